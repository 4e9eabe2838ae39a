// Real components end to end: two Node processes on 127.0.0.1, each with a tracer
// provider, @opentelemetry/instrumentation-http, our context manager and a CompositePropagator of
// W3C trace context + W3C baggage + ContextVarPropagator (test/fixtures/otel/telemetry.ts).
import path from 'node:path';
import { SpanKind } from '@opentelemetry/api';
import type { SpanRecord } from '../fixtures/otel/telemetry';
import { forkService } from '../support/service';

const SERVICE = path.resolve(__dirname, '../fixtures/otel/service.ts');

interface Answer {
  sent: { tenant: string; requestId: string; cart: { items: number } };
  answer: {
    tenant: string | null;
    requestId: string | null;
    cart: unknown;
    baggage: string | null;
    traceId: string | null;
    log: Record<string, unknown>;
  };
  traceId: string;
}

let answers: Answer[];
let clientSpans: SpanRecord[];
let serverSpans: SpanRecord[];
let exitCodes: (number | null)[];

beforeAll(async () => {
  const server = forkService(SERVICE, ['server']);
  try {
    const { port } = (await server.next()) as { port: number };
    const client = forkService(SERVICE, ['client', String(port)]);
    ({ answers, spans: clientSpans } = (await client.next()) as { answers: Answer[]; spans: SpanRecord[] });
    const finished = server.next();
    server.child.send('finish');
    ({ spans: serverSpans } = (await finished) as { spans: SpanRecord[] });
    exitCodes = await Promise.all([client.exited, server.exited]);
  } finally {
    if (server.child.exitCode === null) server.child.kill();
  }
});

test('both services exit cleanly after three concurrent requests', () => {
  expect(answers).toHaveLength(3);
  expect(exitCodes).toEqual([0, 0]);
});

test('each server handler sees its own caller’s vars, strings and codec values alike', () => {
  for (const { sent, answer } of answers) {
    expect({ tenant: answer.tenant, requestId: answer.requestId, cart: answer.cart }).toEqual(sent);
  }
});

test('W3C baggage still arrives next to our header: nothing is clobbered', () => {
  expect(answers.map((a) => a.answer.baggage)).toEqual(['client-0', 'client-1', 'client-2']);
});

test('client and server spans of one request share one trace id, distinct per request', () => {
  const clientHttp = clientSpans.filter((s) => s.kind === (SpanKind.CLIENT as number));
  const server = serverSpans.filter((s) => s.kind === (SpanKind.SERVER as number));
  expect(clientHttp).toHaveLength(3);
  expect(server).toHaveLength(3);
  for (const { answer, traceId } of answers) {
    expect(answer.traceId).toBe(traceId);
    const clientSpan = clientHttp.find((s) => s.traceId === traceId);
    const serverSpan = server.find((s) => s.traceId === traceId);
    // The server span's parent is the client's HTTP span: the W3C traceparent did its work.
    expect(serverSpan?.parentSpanId).toBe(clientSpan?.spanId);
  }
  expect(new Set(answers.map((a) => a.traceId)).size).toBe(3);
});

test('the server span carries the propagated vars as attributes, set by ContextVarSpanProcessor', () => {
  for (const { sent, traceId } of answers) {
    const serverSpan = serverSpans.find((s) => s.kind === (SpanKind.SERVER as number) && s.traceId === traceId);
    expect(serverSpan?.attributes).toMatchObject({
      'contextvar.tenant': sent.tenant,
      'contextvar.request.id': sent.requestId,
    });
  }
});

test('logFields inside the server handler names the request’s trace and the propagated vars', () => {
  for (const { sent, answer, traceId } of answers) {
    expect(answer.log).toMatchObject({
      trace_id: traceId,
      trace_flags: '01',
      tenant: sent.tenant,
      'request.id': sent.requestId,
    });
  }
});
