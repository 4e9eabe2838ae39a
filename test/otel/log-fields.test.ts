// logFields() gives trace_id, span_id, trace_flags of the active span (when valid)
// plus the listed bound vars, for a pino mixin or a winston format. Real pino and winston writing
// to in-memory streams, a real HTTP server with concurrent requests, no mocks.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { INVALID_SPAN_CONTEXT, ROOT_CONTEXT, TraceFlags, context, diag, trace } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import pino from 'pino';
import winston from 'winston';
import { Context, ContextVar, ContextVarSpanProcessor, ContextVarsContextManager, logFields } from '../../src/index';
import { recordingDiag } from '../support/diag';

const requestId = new ContextVar<string>('request_id');
const tenant = new ContextVar<string>('tenant', { default: 'no-tenant' });
const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({
  spanProcessors: [new ContextVarSpanProcessor({ vars: [requestId] }), new SimpleSpanProcessor(exporter)],
});
const tracer = provider.getTracer('log-fields-test');
const sampled = {
  traceId: '0af7651916cd43dd8448eb211c80319c',
  spanId: 'b7ad6b7169203331',
  traceFlags: TraceFlags.SAMPLED,
};

beforeAll(() => {
  context.setGlobalContextManager(new ContextVarsContextManager());
});

afterAll(async () => {
  context.disable();
  await provider.shutdown();
});

afterEach(() => {
  diag.disable();
});

describe('fields', () => {
  test('with no active span there are no trace fields; bound listed vars are there, unbound ones (even with a default) are not', () => {
    new Context().run(() => {
      requestId.set('r-1');
      expect(logFields({ vars: [requestId, tenant] })).toEqual({ request_id: 'r-1' });
      expect(logFields()).toEqual({});
    });
  });

  test('an active sampled span gives trace_id, span_id and trace_flags "01"', () => {
    context.with(trace.setSpanContext(ROOT_CONTEXT, sampled), () => {
      expect(logFields()).toEqual({ trace_id: sampled.traceId, span_id: sampled.spanId, trace_flags: '01' });
    });
  });

  test('an unsampled span gives trace_flags "00"; flags are always two hex digits', () => {
    context.with(trace.setSpanContext(ROOT_CONTEXT, { ...sampled, traceFlags: TraceFlags.NONE }), () => {
      expect(logFields().trace_flags).toBe('00');
    });
    context.with(trace.setSpanContext(ROOT_CONTEXT, { ...sampled, traceFlags: 0x1f }), () => {
      expect(logFields().trace_flags).toBe('1f');
    });
  });

  test('an invalid span context gives no trace fields', () => {
    context.with(trace.setSpanContext(ROOT_CONTEXT, INVALID_SPAN_CONTEXT), () => {
      expect(logFields()).toEqual({});
    });
  });

  test('values bound to undefined and null are reported as bound; a var named __proto__ is a plain field', () => {
    const proto = new ContextVar<string>('__proto__');
    new Context().run(() => {
      requestId.set(undefined as unknown as string);
      tenant.set(null as unknown as string);
      proto.set('p');
      const fields = logFields({ vars: [requestId, tenant, proto] });
      expect(Object.keys(fields)).toEqual(['request_id', 'tenant', '__proto__']);
      expect(Object.getPrototypeOf(fields)).toBe(Object.prototype);
      expect(Object.getOwnPropertyDescriptor(fields, '__proto__')?.value).toBe('p');
    });
  });

  test('the trace fields win over a var of the same name', () => {
    const clash = new ContextVar<string>('trace_id');
    clash.run('from-var', () =>
      context.with(trace.setSpanContext(context.active(), sampled), () => {
        expect(logFields({ vars: [clash] }).trace_id).toBe(sampled.traceId);
      }),
    );
  });

  test('bad options never throw: they yield the fields that can be read, each kind of problem reported once through diag', () => {
    const lines = recordingDiag();
    const hostile = {
      get vars(): never {
        throw new Error('boom');
      },
    };
    requestId.run('r', () => {
      for (let round = 0; round < 3; round++) {
        for (const options of [null, 5, { vars: 'x' }, { vars: [1, null, requestId] }, hostile]) {
          expect(() => logFields(options as never)).not.toThrow();
        }
      }
      expect(logFields({ vars: [7, requestId] as never })).toEqual({ request_id: 'r' });
    });
    // Three kinds (vars not an array, an item not a var, unreadable options), however many calls.
    expect(lines).toEqual([
      "otel-contextvars logFields: vars must be an array of ContextVars, got 'x'",
      'otel-contextvars logFields: a ContextVar was expected in vars, got 1',
      'otel-contextvars logFields: could not read the options: Error: boom',
    ]);
  });
});

interface Line {
  msg?: string;
  message?: string;
  request_id?: string;
  trace_id?: string;
  span_id?: string;
  trace_flags?: string;
}

/**
 * Starts a real HTTP server whose handler sets the request id from a header, opens an active span,
 * and logs three lines through `log` with awaits (and timers of varying length) between them, so
 * the lines of concurrent requests interleave. Sends `count` concurrent requests over keep-alive.
 */
async function serveConcurrentRequests(log: (message: string) => void, count: number): Promise<void> {
  const server = http.createServer((req, res) => {
    const id = String(req.headers['x-request-id']);
    requestId.set(id);
    void tracer.startActiveSpan('handle', async (span) => {
      log(`${id} start`);
      await new Promise((resolve) => setTimeout(resolve, Number(id.slice(2)) % 4));
      log(`${id} middle`);
      await null;
      log(`${id} end`);
      span.end();
      res.end(id);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
  try {
    await Promise.all(
      Array.from(
        { length: count },
        (_, i) =>
          new Promise<void>((resolve, reject) => {
            http
              .get({ host: '127.0.0.1', port, agent, headers: { 'x-request-id': `r-${i}` } }, (res) => {
                res.resume();
                res.on('end', resolve);
              })
              .on('error', reject);
          }),
      ),
    );
  } finally {
    agent.destroy();
    await new Promise((resolve) => server.close(resolve));
  }
}

/** Every line carries its own request's id and trace, never another's; one trace per request. */
function expectCorrelated(lines: Line[], count: number): void {
  expect(lines).toHaveLength(count * 3);
  const traceOf = new Map<string, string>();
  for (const line of lines) {
    const text = line.msg ?? line.message ?? '';
    const id = text.split(' ')[0];
    expect(line.request_id).toBe(id);
    expect(line.trace_id).toMatch(/^[0-9a-f]{32}$/);
    expect(line.span_id).toMatch(/^[0-9a-f]{16}$/);
    expect(line.trace_flags).toBe('01');
    if (traceOf.has(id)) expect(line.trace_id).toBe(traceOf.get(id));
    else traceOf.set(id, line.trace_id!);
  }
  expect(new Set(traceOf.values()).size).toBe(count);
  // The span each request exported has the trace its log lines name, and the request id attribute.
  expect(exporter.getFinishedSpans()).toHaveLength(count);
  for (const span of exporter.getFinishedSpans()) {
    const id = span.attributes['contextvar.request_id'] as string;
    expect(span.spanContext().traceId).toBe(traceOf.get(id));
  }
}

describe('recipes with the real loggers, under concurrent requests', () => {
  const COUNT = 12;

  beforeEach(() => exporter.reset());

  test('pino with mixin: () => logFields({ vars }) — each line carries its own request’s trace and vars', async () => {
    const written: string[] = [];
    const logger = pino(
      { mixin: () => logFields({ vars: [requestId] }) },
      {
        write: (s: string) => {
          written.push(s);
        },
      },
    );
    await serveConcurrentRequests((message) => logger.info(message), COUNT);
    expectCorrelated(
      written.map((s) => JSON.parse(s) as Line),
      COUNT,
    );
  });

  test('winston with a logFields format — each line carries its own request’s trace and vars', async () => {
    const written: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        written.push(chunk.toString());
        callback();
      },
    });
    const correlate = winston.format((info) => Object.assign(info, logFields({ vars: [requestId] })));
    const logger = winston.createLogger({
      format: winston.format.combine(correlate(), winston.format.json()),
      transports: [new winston.transports.Stream({ stream })],
    });
    await serveConcurrentRequests((message) => logger.info(message), COUNT);
    await new Promise((resolve) => setImmediate(resolve));
    expectCorrelated(
      written.map((s) => JSON.parse(s) as Line),
      COUNT,
    );
    logger.close();
  });
});
