// The OpenTelemetry integration under hostile input: nothing it writes makes Node's http throw,
// nothing it reports costs more than once, nothing it validates explodes on shared sub-objects,
// and nothing it returns to a logger breaks JSON.stringify. Real http server on 127.0.0.1, real
// SDKs (2.x line), real pino.
import http from 'node:http';
import { Writable } from 'node:stream';
import { inspect } from 'node:util';
import { ROOT_CONTEXT, baggageEntryMetadataFromString, context, diag, propagation } from '@opentelemetry/api';
import type { Context as OtelContext, ContextManager } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import pino from 'pino';
import {
  Context,
  ContextVar,
  ContextVarLogRecordProcessor,
  ContextVarPropagator,
  ContextVarSpanProcessor,
  ContextVarsContextManager,
  logFields,
  takeOverContextManager,
} from '../../src/index';
import { recordingDiag } from '../support/diag';
import { expectBuiltPackage } from '../support/built';
import { close, listen } from '../support/http';
import { runNode } from '../support/run-node';
import { splitWarnings } from '../support/split';

const tenant = new ContextVar<string>('tenant');
const payload = new ContextVar<unknown>('payload');

afterEach(() => {
  context.disable();
  propagation.disable();
  diag.disable();
});

/** Sends `headers` with a real http.request and resolves to the headers the server received. */
function send(port: number, headers: Record<string, string>): Promise<http.IncomingHttpHeaders> {
  return new Promise((resolve, reject) => {
    // http.request throws synchronously (ERR_INVALID_CHAR) on a header value it refuses.
    const req = http.request({ host: '127.0.0.1', port, path: '/', headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve(JSON.parse(body) as http.IncomingHttpHeaders));
    });
    req.on('error', reject);
    req.end();
  });
}

function injected(propagator: ContextVarPropagator, ctx: OtelContext): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagator.inject(ctx, carrier);
  return carrier;
}

describe('inject writes only headers that Node http accepts', () => {
  const server = http.createServer((req, res) => res.end(JSON.stringify(req.headers)));
  let port = 0;
  beforeAll(async () => {
    port = await listen(server);
  });
  afterAll(async () => {
    await close(server);
  });

  const baggage = (): ContextVarPropagator => new ContextVarPropagator({ vars: [tenant], format: 'baggage' });
  const hostileProperties: [string, string][] = [
    ['a property with CR LF', 'tenant=acme;prop\r\nX: 1'],
    ['a non-latin1 property value', 'tenant=acme;p=€'],
    ['a NUL in a property', 'tenant=acme;p=a\u0000b'],
    ['a non-latin1 property key', 'tenant=acme;€=1;ok=2'],
    ['properties on another entry', 'other=1;q=\u2028x;\u0000,tenant=acme'],
  ];

  test.each(hostileProperties)(
    'format baggage: %s, extracted and re-injected, is sent without ERR_INVALID_CHAR and the value arrives',
    async (_name, header) => {
      const lines = recordingDiag();
      const p = baggage();
      const ctx = p.extract(ROOT_CONTEXT, { baggage: header });
      expect(tenant.getIn(ctx)).toBe('acme');
      const received = await send(port, injected(p, ctx));
      expect(received.baggage).toMatch(/^[\x21-\x7e]+$/);
      expect(tenant.getIn(p.extract(ROOT_CONTEXT, { baggage: received.baggage }))).toBe('acme');
      expect(lines.filter((l) => l.includes('properties')).length).toBeLessThanOrEqual(1);
    },
  );

  test('format baggage: metadata made with baggageEntryMetadataFromString is encoded or dropped, reported once', async () => {
    const lines = recordingDiag();
    const p = baggage();
    const metadata = baggageEntryMetadataFromString('p=\r\nX: 1;€=x;ok=caf\u00e9;fine=1;\u0000');
    const bag = propagation.createBaggage({ user: { value: 'u\r\n€', metadata }, tenant: { value: 'acme', metadata } });
    const ctx = tenant.setIn(propagation.setBaggage(ROOT_CONTEXT, bag), 'acme');
    for (let i = 0; i < 50; i++) await send(port, injected(p, ctx));
    const received = await send(port, injected(p, ctx));
    expect(received.baggage).toMatch(/^[\x21-\x7e]+$/);
    const back = propagation.getBaggage(p.extract(ROOT_CONTEXT, { baggage: received.baggage }));
    expect(back?.getEntry('user')?.value).toBe('u\r\n€');
    expect(back?.getEntry('user')?.metadata?.toString()).toBe('p=%0D%0AX:%201;ok=caf%C3%A9;fine=1');
    expect(lines.filter((l) => l.includes('ContextVarPropagator'))).toHaveLength(1);
  });

  test('format header: names and values with CR, LF, NUL and non-latin1 text are sent and arrive unchanged', async () => {
    const odd = new ContextVar<string>('name\r\nX-Injected: 1');
    const p = new ContextVarPropagator({ vars: [tenant, odd] });
    const ctx = odd.setIn(tenant.setIn(ROOT_CONTEXT, 'a\u0000b\r\nc: €'), '\u2028é€');
    const received = await send(port, injected(p, ctx));
    expect(received['x-injected']).toBeUndefined();
    const back = p.extract(ROOT_CONTEXT, received);
    expect([tenant.getIn(back), odd.getIn(back)]).toEqual(['a\u0000b\r\nc: €', '\u2028é€']);
  });
});

describe('extract and construction bounds', () => {
  test('an array carrier of 5,000,000 parts is refused before joining, in under 50 ms, reported once', () => {
    const lines = recordingDiag();
    const p = new ContextVarPropagator({ vars: [tenant], format: 'baggage' });
    const parts = new Array<string>(5_000_000).fill('k=v');
    const start = performance.now();
    const ctx = p.extract(ROOT_CONTEXT, { baggage: parts });
    const elapsed = performance.now() - start;
    expect(ctx).toBe(ROOT_CONTEXT);
    expect(elapsed).toBeLessThan(50);
    p.extract(ROOT_CONTEXT, { baggage: parts.slice(0, 100_000) });
    expect(lines.filter((l) => l.includes('over 8192'))).toHaveLength(1);
  });

  test('a baggage header of more than 180 members keeps the first 180 and says so once', () => {
    const lines = recordingDiag();
    const p = new ContextVarPropagator({ vars: [tenant], format: 'baggage' });
    const header = Array.from({ length: 200 }, (_, i) => `k${i}=${i}`).join(',');
    const ctx = p.extract(ROOT_CONTEXT, { baggage: header });
    p.extract(ROOT_CONTEXT, { baggage: header });
    expect(propagation.getBaggage(ctx)?.getAllEntries()).toHaveLength(180);
    expect(lines.filter((l) => l.includes('180'))).toHaveLength(1);
  });

  test.each(['__proto__', 'constructor', 'connection', 'transfer-encoding', 'content-length', 'host', 'upgrade'])(
    'header %p, which a carrier object or Node http would not take as an ordinary header, is a TypeError at construction',
    (header) => {
      expect(() => new ContextVarPropagator({ vars: [tenant], header })).toThrow(TypeError);
    },
  );
});

describe('takeOverContextManager never throws', () => {
  test('when the registered manager throws from active(), ours is registered and the root context active', () => {
    const lines = recordingDiag();
    const broken: ContextManager = Object.assign(new AsyncLocalStorageContextManager(), {
      active: (): never => {
        throw new Error('active exploded');
      },
    });
    context.setGlobalContextManager(broken);
    let manager: ContextVarsContextManager | undefined;
    expect(() => (manager = takeOverContextManager())).not.toThrow();
    expect(manager).toBeInstanceOf(ContextVarsContextManager);
    expect(context.active()).toBe(ROOT_CONTEXT);
    tenant.run('acme', () => expect(tenant.getIn(context.active())).toBe('acme'));
    expect(lines.some((l) => l.includes('active exploded'))).toBe(true);
  });

  test('when the registered manager throws from disable(), it does not throw either; a process warning says it could not register', () => {
    let explode = true;
    const stock = new AsyncLocalStorageContextManager();
    const broken: ContextManager = Object.assign(stock, {
      disable: (): AsyncLocalStorageContextManager => {
        if (explode) throw new Error('disable exploded');
        return stock;
      },
    });
    context.setGlobalContextManager(broken);
    const warnings = splitWarnings();
    try {
      expect(() => takeOverContextManager()).not.toThrow();
      expect(warnings.calls()).toEqual([expect.stringMatching(/could not register/)]);
    } finally {
      warnings.restore();
      explode = false;
    }
  });
});

/** A value that counts how often it is rendered for a message. */
class Rendered {
  renders = 0;
  [inspect.custom](): string {
    this.renders++;
    return 'Rendered {}';
  }
}

describe('a skipped value is rendered once, then costs about what a string costs', () => {
  /** Each processor's per-item call, on a minimal target with both members the SDKs' items have. */
  const processors: [string, () => (ctx: OtelContext) => void][] = [
    [
      'span processor',
      () => {
        const p = new ContextVarSpanProcessor({ vars: [payload] });
        return (ctx) => p.onStart({ attributes: {}, setAttribute: () => undefined }, ctx);
      },
    ],
    [
      'log record processor',
      () => {
        const p = new ContextVarLogRecordProcessor({ vars: [payload] });
        return (ctx) => p.onEmit({ attributes: {}, setAttribute: () => undefined }, ctx);
      },
    ],
  ];

  test.each(processors)('%s: 1,000 spans or records with a class instance render it once', (_name, make) => {
    recordingDiag();
    const record = make();
    const value = new Rendered();
    const ctx = payload.setIn(ROOT_CONTEXT, value);
    for (let i = 0; i < 1000; i++) record(ctx);
    expect(value.renders).toBe(1);
  });

  test.each(processors)(
    '%s: a var holding a 100,000-key object costs under 0.1 ms a span or record after its report (median of 51)',
    (_name, make) => {
      recordingDiag();
      const record = make();
      const big = Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`k${i}`, i]));
      const ctx = payload.setIn(ROOT_CONTEXT, big);
      record(ctx);
      // The median: one garbage collection on a loaded machine must not decide the result.
      const times = Array.from({ length: 51 }, () => {
        const start = performance.now();
        record(ctx);
        return performance.now() - start;
      }).sort((x, y) => x - y);
      expect(times[25]).toBeLessThan(0.1);
    },
  );
});

describe('log record validation visits each object once', () => {
  function setup() {
    const exporter = new InMemoryLogRecordExporter();
    const provider = new LoggerProvider({
      processors: [new ContextVarLogRecordProcessor({ vars: [payload] }), new SimpleLogRecordProcessor({ exporter })],
    });
    return { logger: provider.getLogger('hostile'), records: () => exporter.getFinishedLogRecords() };
  }

  test('21 arrays sharing their children (2^20 paths) are skipped in under 20 ms a record, with no SDK warning', () => {
    const lines = recordingDiag();
    let shared: unknown[] = ['leaf'];
    for (let i = 0; i < 20; i++) shared = [shared, shared];
    const { logger, records } = setup();
    const ctx = payload.setIn(ROOT_CONTEXT, shared);
    const start = performance.now();
    for (let i = 0; i < 10; i++) logger.emit({ body: 'x', context: ctx });
    expect((performance.now() - start) / 10).toBeLessThan(20);
    expect(records().map((r) => r.attributes)).toEqual(Array.from({ length: 10 }, () => ({})));
    expect(lines.filter((l) => !l.includes('ContextVarLogRecordProcessor'))).toEqual([]);
  });

  test('an object nested 30 deep is recorded; one nested 100,000 deep is skipped without a throw or SDK warning', () => {
    const lines = recordingDiag();
    const nest = (depth: number): unknown => {
      let v: unknown = 'leaf';
      for (let i = 0; i < depth; i++) v = { v };
      return v;
    };
    const { logger, records } = setup();
    logger.emit({ body: '30', context: payload.setIn(ROOT_CONTEXT, nest(30)) });
    const deep = payload.setIn(ROOT_CONTEXT, nest(100_000));
    expect(() => logger.emit({ body: '100000', context: deep })).not.toThrow();
    expect(records()[0].attributes['contextvar.payload']).toEqual(nest(30));
    expect(records()[1].attributes).toEqual({});
    expect(lines.filter((l) => !l.includes('ContextVarLogRecordProcessor'))).toEqual([]);
  });

  test('the memory of refusals keeps nothing alive: refused objects the app drops are collected (node --expose-gc)', async () => {
    expectBuiltPackage();
    const out = await runNode(['--expose-gc', 'test/fixtures/log-verdict-gc.cjs']);
    // The control objects, still referenced, are not collected: the count can see retention.
    expect(JSON.parse(out)).toEqual({ dropped: 5, kept: 0, recorded: 0, keptAlive: 5 });
  });
});

describe('logFields output is JSON-safe', () => {
  const count = new ContextVar<unknown>('count');
  const cyclic: Record<string, unknown> = { a: 1 };
  cyclic.self = cyclic;

  test('a bigint becomes its decimal string, also nested; the output is a JSON copy of the value', () => {
    const value = { total: 12345678901234567890n, list: [1n] };
    const fields = new Context().run(() => {
      count.set(10n);
      payload.set(value);
      return logFields({ vars: [count, payload] });
    });
    expect(fields).toEqual({ count: '10', payload: { total: '12345678901234567890', list: ['1'] } });
    expect(JSON.stringify(fields)).toBe('{"count":"10","payload":{"total":"12345678901234567890","list":["1"]}}');
  });

  test.each([
    ['a cycle', cyclic],
    [
      'a throwing getter',
      {
        get boom(): never {
          throw new Error('getter');
        },
      },
    ],
    [
      'a throwing toJSON',
      {
        toJSON(): never {
          throw new Error('toJSON');
        },
      },
    ],
  ])('a value with %s is left out and reported once; pino writes every line', (name, value) => {
    const lines = recordingDiag();
    const held = new ContextVar<unknown>(`held ${name}`);
    const out: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _enc, cb) {
        out.push(chunk.toString());
        cb();
      },
    });
    const logger = pino({ mixin: () => logFields({ vars: [tenant, held] }) }, stream);
    new Context().run(() => {
      tenant.set('acme');
      held.set(value);
      for (let i = 0; i < 3; i++) {
        const fields = logFields({ vars: [tenant, held] });
        expect(() => JSON.stringify(fields)).not.toThrow();
        expect(fields).toEqual({ tenant: 'acme' });
        logger.info('line');
      }
    });
    expect(out.map((l) => (JSON.parse(l) as { tenant: string }).tenant)).toEqual(['acme', 'acme', 'acme']);
    expect(lines.filter((l) => l.includes('logFields'))).toHaveLength(1);
  });
});
