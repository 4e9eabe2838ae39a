// Issue 9 item 4: pino through @opentelemetry/instrumentation-pino's log sending, on the 3.x SDK,
// with ContextVarLogRecordProcessor. A real server on 127.0.0.1 and keep-alive clients, twelve
// concurrent requests (test/otel3/fixtures/pino-service.ts, a child process, as instrumentations
// need): every record emitted inside a request carries that request's vars and trace id.
import { runNode } from '../support/run-node';

interface Output {
  answers: Array<{ id: string; traceId: string }>;
  logs: Array<{ body: string; attributes: Record<string, unknown>; traceId: string | null }>;
}

test('each pino line sent as an OTel log record carries its own request\'s vars and trace id under concurrency', async () => {
  const out = await runNode(['--import', './test/otel3/support/resolve.mjs', '--import', 'tsx', 'test/otel3/fixtures/pino-service.ts'],
    { env: { OTEL_LOG_LEVEL: 'none' } });
  const { answers, logs } = JSON.parse(out.trim().split('\n').pop()!) as Output;
  expect(answers).toHaveLength(12);
  expect(new Set(answers.map((a) => a.traceId)).size).toBe(12);
  const traceOf = new Map(answers.map((a) => [a.id, a.traceId]));
  expect(logs).toHaveLength(36);
  for (const record of logs) {
    const id = record.attributes['contextvar.request.id'] as string;
    expect(traceOf.has(id)).toBe(true);
    expect(record.traceId).toBe(traceOf.get(id));
    expect(record.attributes['contextvar.tenant']).toBe(`tenant-${Number(id.slice(4)) % 3}`);
  }
  // Three records per request, in its own order, interleaved with the others'.
  for (const { id } of answers) {
    expect(logs.filter((r) => r.attributes['contextvar.request.id'] === id).map((r) => r.body)).toEqual(['request start', 'request work', 'request end']);
  }
  // Requests overlapped (another request's line between a request's first and last), and later
  // ones started after earlier ones ended, on reused keep-alive sockets (at most 4).
  const first = logs[0]!.attributes['contextvar.request.id'];
  const lastOfFirst = logs.findLastIndex((r) => r.attributes['contextvar.request.id'] === first);
  expect(logs.slice(0, lastOfFirst).some((r) => r.attributes['contextvar.request.id'] !== first)).toBe(true);
  const firstEnd = logs.findIndex((r) => r.body === 'request end');
  expect(logs.slice(firstEnd).some((r) => r.body === 'request start')).toBe(true);
});
