// fetch() between two real services on 127.0.0.1, each its own Node process with a tracer
// provider, @opentelemetry/instrumentation-http (server side) and -undici (fetch), our context
// manager and ContextVarPropagator, in each of its two formats (test/fixtures/otel/fetch-telemetry.ts).
import path from 'node:path';
import { SpanKind } from '@opentelemetry/api';
import type { SpanRecord } from '../fixtures/otel/span-records';
import { forkService } from '../support/service';

const SERVICE = path.resolve(__dirname, '../fixtures/otel/fetch-service.ts');

interface Answer {
  sent: { tenant: string; requestId: string };
  answer: { tenant: string | null; requestId: string | null; traceId: string | null };
  traceId: string;
}
interface Run {
  answers: Answer[];
  clientSpans: SpanRecord[];
  serverSpans: SpanRecord[];
  exitCodes: (number | null)[];
}

async function callThroughFetch(format: string): Promise<Run> {
  const server = forkService(SERVICE, ['server', format]);
  try {
    const { port } = (await server.next()) as { port: number };
    const client = forkService(SERVICE, ['client', format, String(port)]);
    const { answers, spans: clientSpans } = (await client.next()) as { answers: Answer[]; spans: SpanRecord[] };
    const finished = server.next();
    server.child.send('finish');
    const { spans: serverSpans } = (await finished) as { spans: SpanRecord[] };
    return { answers, clientSpans, serverSpans, exitCodes: await Promise.all([client.exited, server.exited]) };
  } finally {
    if (server.child.exitCode === null) server.child.kill();
  }
}

const runs: Record<string, Promise<Run>> = {};
beforeAll(() => {
  // Both formats at once: four processes, mostly waiting on each other.
  for (const format of ['header', 'baggage']) runs[format] = callThroughFetch(format);
  // Settled here too, so a failure of one format is reported by its own tests, not as unhandled.
  for (const run of Object.values(runs)) run.catch(() => undefined);
});

describe.each(['header', 'baggage'])("ContextVarPropagator format '%s' over fetch()", (format) => {
  let run: Run;
  beforeAll(async () => {
    run = await runs[format];
  });

  test('both services exit cleanly after three concurrent fetches', () => {
    expect(run.answers).toHaveLength(3);
    expect(run.exitCodes).toEqual([0, 0]);
  });

  test('the called service’s handler sees each caller’s own vars', () => {
    for (const { sent, answer } of run.answers) {
      expect({ tenant: answer.tenant, requestId: answer.requestId }).toEqual(sent);
    }
  });

  test('the server span is a child of the caller’s fetch client span, in the caller’s trace', () => {
    const fetchSpans = run.clientSpans.filter((s) => s.kind === (SpanKind.CLIENT as number));
    const serverSpans = run.serverSpans.filter((s) => s.kind === (SpanKind.SERVER as number));
    expect(fetchSpans).toHaveLength(3);
    expect(serverSpans).toHaveLength(3);
    for (const { answer, traceId } of run.answers) {
      expect(answer.traceId).toBe(traceId);
      const fetchSpan = fetchSpans.find((s) => s.traceId === traceId);
      expect(serverSpans.find((s) => s.traceId === traceId)?.parentSpanId).toBe(fetchSpan?.spanId);
    }
    expect(new Set(run.answers.map((a) => a.traceId)).size).toBe(3);
  });

  test('the fetch client span (instrumentation-undici) carries the caller’s vars through ContextVarSpanProcessor', () => {
    for (const { sent, traceId } of run.answers) {
      const fetchSpan = run.clientSpans.find((s) => s.kind === (SpanKind.CLIENT as number) && s.traceId === traceId);
      expect(fetchSpan?.attributes).toMatchObject({
        'contextvar.tenant': sent.tenant,
        'contextvar.request.id': sent.requestId,
      });
    }
  });
});
