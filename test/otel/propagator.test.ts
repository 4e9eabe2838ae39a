// ContextVarPropagator carries the listed vars across processes in its own header,
// composes with the W3C trace-context and baggage propagators, and ignores malformed or oversized
// input without throwing. Real propagators, a real worker thread and a real child process.
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import {
  ROOT_CONTEXT,
  context,
  defaultTextMapGetter,
  defaultTextMapSetter,
  propagation,
  trace,
} from '@opentelemetry/api';
import type { TextMapGetter } from '@opentelemetry/api';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { Context, ContextVar, ContextVarPropagator } from '../../src/index';
import { cart, propagator as sharedPropagator, requestId, tenant as sharedTenant } from '../fixtures/otel/vars';
import { recordingDiag } from '../support/diag';
import { withGlobalManager } from '../support/global-manager';
import { forkService } from '../support/service';

const tenant = new ContextVar<string>('tenant');
const user = new ContextVar<string>('user');
const attempt = new ContextVar<number>('attempt');
const withDefault = new ContextVar<string>('with-default', { default: 'd' });
const RECEIVER = path.resolve(__dirname, '../fixtures/otel/receiver.ts');

function roundTrip(p: ContextVarPropagator, ctx: Parameters<ContextVarPropagator['inject']>[0]) {
  const carrier: Record<string, string> = {};
  p.inject(ctx, carrier, defaultTextMapSetter);
  return { carrier, extracted: p.extract(ROOT_CONTEXT, carrier, defaultTextMapGetter) };
}

withGlobalManager();

describe('round trip', () => {
  const p = new ContextVarPropagator({ vars: [tenant, user] });

  test.each([
    ['a plain string', 'acme'],
    ['the empty string', ''],
    ['a string with commas, equals signs and semicolons', 'a=1,b=2;c'],
    ['a string with leading and trailing spaces', '  spaced out  '],
    ['a string with percent signs, some looking encoded', '100% %2C %zz %'],
    ['a string with unicode outside the BMP', 'Zoë 日本 😀'],
    ['a string with quotes, backslashes, newlines and control characters', `"q" 'q' \\ \n\t\r\u0000`],
  ])('%s comes back identical', (_what, value) => {
    const { extracted } = roundTrip(p, tenant.setIn(ROOT_CONTEXT, value));
    expect(tenant.getIn(extracted, 'unbound')).toBe(value);
  });

  test('the header is a single line of visible ASCII, safe for any HTTP stack', () => {
    const { carrier } = roundTrip(p, user.setIn(tenant.setIn(ROOT_CONTEXT, 'a, b\n😀'), 'x=y'));
    expect(Object.keys(carrier)).toEqual(['contextvars']);
    expect(carrier.contextvars).toMatch(/^[\x21-\x7e]+$/);
  });

  test('inside context.with(extracted, fn) the vars read the sender’s values, after an await too', async () => {
    const { extracted } = roundTrip(p, user.setIn(tenant.setIn(ROOT_CONTEXT, 'acme'), 'ada'));
    await context.with(extracted, async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      expect(tenant.get()).toBe('acme');
      expect(user.get()).toBe('ada');
    });
  });

  test('inject reads the active context through propagation.inject, with the global propagator', () => {
    propagation.setGlobalPropagator(p);
    try {
      const carrier: Record<string, string> = {};
      tenant.run('active', () => propagation.inject(context.active(), carrier));
      expect(carrier).toEqual({ contextvars: 'tenant=active' });
    } finally {
      propagation.disable();
    }
  });

  test('only bound vars are written: an unbound var (even with a default) is absent, and nothing bound writes no header', () => {
    const q = new ContextVarPropagator({ vars: [tenant, withDefault] });
    expect(roundTrip(q, tenant.setIn(ROOT_CONTEXT, 't')).carrier).toEqual({ contextvars: 'tenant=t' });
    expect(roundTrip(q, ROOT_CONTEXT).carrier).toEqual({});
  });

  test('extract keeps what the context already holds and leaves vars absent from the header unbound', () => {
    const base = user.setIn(ROOT_CONTEXT, 'local');
    const extracted = p.extract(base, { contextvars: 'tenant=remote' }, defaultTextMapGetter);
    expect(tenant.getIn(extracted)).toBe('remote');
    expect(user.getIn(extracted)).toBe('local');
    expect(p.extract(base, {}, { get: () => undefined, keys: () => [] })).toBe(base);
  });

  test('a custom header is used (lowercased), and fields() returns it', () => {
    const q = new ContextVarPropagator({ vars: [tenant], header: 'X-App-Vars' });
    expect(q.fields()).toEqual(['x-app-vars']);
    expect(roundTrip(q, tenant.setIn(ROOT_CONTEXT, 'v')).carrier).toEqual({ 'x-app-vars': 'tenant=v' });
    expect(new ContextVarPropagator({ vars: [] }).fields()).toEqual(['contextvars']);
  });

  test('unknown names in the header are ignored; a repeated name keeps its first value', () => {
    const extracted = p.extract(
      ROOT_CONTEXT,
      { contextvars: 'nobody=1, tenant=first ,tenant=second,user=u' },
      defaultTextMapGetter,
    );
    expect(tenant.getIn(extracted)).toBe('first');
    expect(user.getIn(extracted)).toBe('u');
  });

  test('repeated headers handed over as an array are one list of entries', () => {
    const extracted = p.extract(ROOT_CONTEXT, { contextvars: ['tenant=a', 'user=b'] }, defaultTextMapGetter);
    expect([tenant.getIn(extracted), user.getIn(extracted)]).toEqual(['a', 'b']);
  });
});

describe('codecs', () => {
  test('a var with a codec carries non-string values both ways', () => {
    const p = new ContextVarPropagator({ vars: [attempt], codecs: { attempt: { encode: String, decode: Number } } });
    const { carrier, extracted } = roundTrip(p, attempt.setIn(ROOT_CONTEXT, 3));
    expect(carrier).toEqual({ contextvars: 'attempt=3' });
    expect(attempt.getIn(extracted)).toBe(3);
  });

  test('a non-string var without a codec is not sent, and that is reported once', () => {
    const lines = recordingDiag();
    const p = new ContextVarPropagator({ vars: [attempt, tenant] });
    const ctx = tenant.setIn(attempt.setIn(ROOT_CONTEXT, 3), 't');
    expect(roundTrip(p, ctx).carrier).toEqual({ contextvars: 'tenant=t' });
    roundTrip(p, ctx);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("'attempt'");
  });

  test('a receiver without a codec gets strings only: the wire cannot choose a value’s type', () => {
    const p = new ContextVarPropagator({ vars: [attempt] });
    const extracted = p.extract(ROOT_CONTEXT, { contextvars: 'attempt=3' }, defaultTextMapGetter);
    expect(attempt.getIn(extracted)).toBe('3');
  });

  test('a codec whose encode throws or returns a non-string skips the value; decode throwing drops the entry', () => {
    const lines = recordingDiag();
    const p = new ContextVarPropagator({
      vars: [attempt, user, tenant],
      codecs: {
        attempt: {
          encode: () => {
            throw new Error('nope');
          },
          decode: Number,
        },
        user: { encode: () => 42 as unknown as string, decode: String },
        tenant: {
          encode: String,
          decode: () => {
            throw new Error('refused');
          },
        },
      },
    });
    const ctx = tenant.setIn(user.setIn(attempt.setIn(ROOT_CONTEXT, 1), 'u'), 't');
    const { carrier, extracted } = roundTrip(p, ctx);
    expect(carrier).toEqual({ contextvars: 'tenant=t' });
    expect(tenant.getIn(extracted, 'unbound')).toBe('unbound');
    expect(lines).toHaveLength(3);
  });

  test('a string with a lone surrogate has no UTF-8 form: skipped and reported, never thrown', () => {
    const lines = recordingDiag();
    const p = new ContextVarPropagator({ vars: [tenant, user] });
    const { carrier } = roundTrip(p, user.setIn(tenant.setIn(ROOT_CONTEXT, 'bad \ud800'), 'ok'));
    expect(carrier).toEqual({ contextvars: 'user=ok' });
    expect(lines).toHaveLength(1);
  });
});

describe('with the W3C propagators in a CompositePropagator', () => {
  const composite = new CompositePropagator({
    propagators: [
      new W3CTraceContextPropagator(),
      new W3CBaggagePropagator(),
      new ContextVarPropagator({ vars: [tenant] }),
    ],
  });
  const spanContext = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: 1 };

  test('all three headers are written and each comes back: span context, baggage and vars', () => {
    let ctx = trace.setSpanContext(ROOT_CONTEXT, spanContext);
    ctx = propagation.setBaggage(ctx, propagation.createBaggage({ k: { value: 'v' } }));
    ctx = tenant.setIn(ctx, 'acme');
    const carrier: Record<string, string> = {};
    composite.inject(ctx, carrier, defaultTextMapSetter);
    expect(Object.keys(carrier).sort()).toEqual(['baggage', 'contextvars', 'traceparent']);
    expect(composite.fields()).toEqual(expect.arrayContaining(['traceparent', 'tracestate', 'baggage', 'contextvars']));

    const extracted = composite.extract(ROOT_CONTEXT, carrier, defaultTextMapGetter);
    expect(trace.getSpanContext(extracted)).toMatchObject({ ...spanContext, isRemote: true });
    expect(propagation.getBaggage(extracted)?.getEntry('k')?.value).toBe('v');
    expect(tenant.getIn(extracted)).toBe('acme');
  });

  test('our extract runs on a context from the W3C extractors and keeps their values, whichever order', () => {
    const reversed = new CompositePropagator({
      propagators: [
        new ContextVarPropagator({ vars: [tenant] }),
        new W3CBaggagePropagator(),
        new W3CTraceContextPropagator(),
      ],
    });
    const carrier = {
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      baggage: 'k=v',
      contextvars: 'tenant=acme',
    };
    const extracted = reversed.extract(ROOT_CONTEXT, carrier, defaultTextMapGetter);
    expect(trace.getSpanContext(extracted)?.traceId).toBe(spanContext.traceId);
    expect(propagation.getBaggage(extracted)?.getEntry('k')?.value).toBe('v');
    expect(tenant.getIn(extracted)).toBe('acme');
  });
});

describe('malformed, oversized and hostile input', () => {
  const p = new ContextVarPropagator({ vars: [tenant, user] });
  const mapGetter: TextMapGetter<Record<string, unknown>> = { get: (c, k) => c[k] as string, keys: Object.keys };

  test('malformed entries are skipped and well-formed ones in the same header still count', () => {
    const header = '=x,tenant,%E0%A4%A=1,user=%E0%A4%A,,  ,tenant=ok,==,%%%=%%%';
    const extracted = p.extract(ROOT_CONTEXT, { contextvars: header }, mapGetter);
    expect(tenant.getIn(extracted)).toBe('ok');
    expect(user.getIn(extracted, 'unbound')).toBe('unbound');
  });

  test('a header over 8192 characters or 64 entries is ignored as a whole', () => {
    const long = `tenant=${'a'.repeat(9000)}`;
    const many = `${Array.from({ length: 70 }, (_, i) => `x${i}=1`).join(',')},tenant=late`;
    const manyParts = Array.from({ length: 70 }, () => 'tenant=part');
    for (const value of [long, many, manyParts]) {
      expect(p.extract(ROOT_CONTEXT, { contextvars: value }, mapGetter)).toBe(ROOT_CONTEXT);
    }
  });

  test('inject never writes what extract would refuse: values past the size cap are dropped and reported', () => {
    const lines = recordingDiag();
    const { carrier } = roundTrip(p, user.setIn(tenant.setIn(ROOT_CONTEXT, 'x'.repeat(9000)), 'fits'));
    expect(carrier).toEqual({ contextvars: 'user=fits' });
    expect(lines).toHaveLength(1);
  });

  test('weird carriers and getters are survived: extract returns the given context and never throws', () => {
    const throwing = {
      get() {
        throw new Error('getter exploded');
      },
      keys: () => [],
    };
    // A thrown non-Error whose toString throws too: what a hostile getter can do.
    const throwsUnprintable = {
      get() {
        // eslint-disable-next-line @typescript-eslint/only-throw-error -- the point of this getter
        throw {
          toString() {
            throw new Error('again');
          },
        };
      },
      keys: () => [],
    };
    const hostileArray = new Proxy(['tenant=a'], {
      get(target, key, receiver) {
        if (key === Symbol.iterator) throw new Error('no iterating');
        return Reflect.get(target, key, receiver) as unknown;
      },
    });
    const cases: [unknown, TextMapGetter<never> | undefined][] = [
      [null, undefined],
      [undefined, undefined],
      [42, undefined],
      ['a string', undefined],
      [{ contextvars: 12 }, undefined],
      [{ contextvars: { toString: () => 'tenant=a' } }, undefined],
      [{ contextvars: [1, 2] }, undefined],
      [{ contextvars: hostileArray }, undefined],
      [{}, throwing],
      [{}, throwsUnprintable],
      [{}, null as unknown as TextMapGetter<never>],
    ];
    for (const [carrier, getter] of cases) {
      expect(p.extract(ROOT_CONTEXT, carrier as never, getter)).toBe(ROOT_CONTEXT);
    }
    // Not an OTel context at all: extract hands it back rather than throwing.
    const notAContext = {} as never;
    expect(p.extract(notAContext, { contextvars: 'tenant=a' }, mapGetter)).toBe(notAContext);
  });

  test('inject never throws into the host: a throwing setter, a frozen carrier, a non-context', () => {
    const ctx = tenant.setIn(ROOT_CONTEXT, 'a');
    expect(() =>
      p.inject(
        ctx,
        {},
        {
          set() {
            throw new Error('setter exploded');
          },
        },
      ),
    ).not.toThrow();
    expect(() =>
      p.inject(ctx, Object.freeze({}), {
        set: (c: Record<string, string>, k, v) => {
          'use strict';
          c[k] = v;
        },
      }),
    ).not.toThrow();
    expect(() => p.inject({} as never, {}, { set: () => undefined })).not.toThrow();
    expect(() => p.inject(ctx, null, undefined as never)).not.toThrow();
  });

  test('5,000 random and adversarial headers: none throws, and all take well under a few seconds', () => {
    // A seeded generator, so a failure reproduces.
    let seed = 0x2545f491;
    const rand = (n: number) => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) % n;
    };
    const alphabet = [
      'tenant',
      'user',
      '=',
      ',',
      '%',
      '%2',
      '%E0',
      '%ZZ',
      ' ',
      '\t',
      ';',
      'a',
      '😀',
      '\ud800',
      '\u0000',
      ',,,,',
      '===',
    ];
    const headers: unknown[] = [];
    for (let i = 0; i < 5000; i++) {
      const kind = i % 5;
      if (kind === 0) headers.push(Array.from({ length: rand(200) }, () => alphabet[rand(alphabet.length)]).join(''));
      else if (kind === 1) headers.push(`tenant=${'%'.repeat(rand(8192))}`);
      else if (kind === 2)
        headers.push(Array.from({ length: rand(80) }, () => `user=${'%41'.repeat(rand(40))}`).join(','));
      else if (kind === 3) headers.push(String.fromCharCode(...Array.from({ length: rand(500) }, () => rand(0x10000))));
      else headers.push('x'.repeat(rand(10) === 0 ? 200_000 : 8192));
    }
    const started = process.hrtime.bigint();
    for (const header of headers) {
      expect(() => p.extract(ROOT_CONTEXT, { contextvars: header }, mapGetter)).not.toThrow();
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    expect(seconds).toBeLessThan(5);
  });
});

describe('constructor', () => {
  test.each([
    ['no options', undefined],
    ['vars not an array', { vars: tenant }],
    ['a non-var in vars', { vars: [tenant, 'user'] }],
    ['two vars with one name', { vars: [tenant, new ContextVar('tenant')] }],
    ['a header that is not a string', { vars: [tenant], header: 1 }],
    ['a header that is not an HTTP token', { vars: [tenant], header: 'bad header' }],
    ['an empty header', { vars: [tenant], header: '' }],
    ['the traceparent header', { vars: [tenant], header: 'traceparent' }],
    ['the baggage header, in capitals', { vars: [tenant], header: 'Baggage' }],
    ['codecs that are not an object', { vars: [tenant], codecs: 'json' }],
    ['a codec for a var that is not listed', { vars: [tenant], codecs: { other: { encode: String, decode: String } } }],
    ['a codec without decode', { vars: [tenant], codecs: { tenant: { encode: String } } }],
  ])('throws TypeError for %s', (_what, options) => {
    expect(() => new ContextVarPropagator(options as never)).toThrow(TypeError);
  });
});

describe('across threads and processes, through the same propagator', () => {
  function carrierFor(id: string, tenantValue: string, items: number): Record<string, string> {
    const carrier: Record<string, string> = {};
    new Context().run(() => {
      sharedTenant.set(tenantValue);
      requestId.set(id);
      cart.set({ items });
      sharedPropagator.inject(context.active(), carrier, defaultTextMapSetter);
    });
    return carrier;
  }

  const expected = (id: string, t: string, items: number) => ({
    tenant: t,
    requestId: id,
    cart: { items },
    outside: null,
  });

  test('a worker_threads Worker reads each message’s vars inside context.with(extracted), concurrently', async () => {
    const worker = new Worker(`require('tsx/cjs'); require(${JSON.stringify(RECEIVER)});`, { eval: true });
    try {
      const replies = new Promise<Record<string, unknown>[]>((resolve, reject) => {
        const got: Record<string, unknown>[] = [];
        worker.on('message', (m: Record<string, unknown>) => {
          got.push(m);
          if (got.length === 3) resolve(got);
        });
        worker.on('error', reject);
      });
      worker.postMessage(carrierFor('w-1', 'acme, inc.', 1));
      worker.postMessage(carrierFor('w-2', 'globex=%', 2));
      worker.postMessage(carrierFor('w-3', 'initech 😀', 3));
      const byId = Object.fromEntries((await replies).map((r) => [String(r.requestId), r]));
      expect(byId).toEqual({
        'w-1': expected('w-1', 'acme, inc.', 1),
        'w-2': expected('w-2', 'globex=%', 2),
        'w-3': expected('w-3', 'initech 😀', 3),
      });
    } finally {
      await worker.terminate();
    }
  });

  test('a forked child process reads the vars inside context.with(extracted)', async () => {
    const { child, next, exited } = forkService(RECEIVER);
    try {
      const replied = next();
      child.send(carrierFor('c-1', 'tenant, with = and %', 7));
      const reply = await replied;
      expect(reply).toEqual(expected('c-1', 'tenant, with = and %', 7));
    } finally {
      child.disconnect();
    }
    expect(await exited).toBe(0);
  });
});
