import { runNode } from './run-node';

interface Output {
  answers: { id: string; traceId: string }[];
  logs: { body: string; attributes: Record<string, unknown>; traceId: string | null }[];
}

/**
 * Runs test/fixtures/pino/service.ts with one line's telemetry module (and `node` options before
 * it), and checks that each pino line sent as an OTel log record carries its own request's vars
 * and trace id: twelve concurrent requests on keep-alive connections, three records each.
 */
export async function checkPinoLogSending(nodeOptions: string[], telemetry: string): Promise<void> {
  const out = await runNode([...nodeOptions, '--import', 'tsx', 'test/fixtures/pino/service.ts', telemetry], {
    env: { OTEL_LOG_LEVEL: 'none' },
  });
  const { answers, logs } = JSON.parse(out.trim().split('\n').pop()!) as Output;
  expect(answers).toHaveLength(12);
  expect(new Set(answers.map((a) => a.traceId)).size).toBe(12);
  for (const a of answers) expect(a.traceId).toMatch(/^[0-9a-f]{32}$/);
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
    expect(logs.filter((r) => r.attributes['contextvar.request.id'] === id).map((r) => r.body)).toEqual([
      'request start',
      'request work',
      'request end',
    ]);
  }
  // Requests overlapped (another request's line between a request's first and last), and later
  // ones started after earlier ones ended, on reused keep-alive sockets (at most 4).
  const first = logs[0].attributes['contextvar.request.id'];
  const lastOfFirst = logs.findLastIndex((r) => r.attributes['contextvar.request.id'] === first);
  expect(logs.slice(0, lastOfFirst).some((r) => r.attributes['contextvar.request.id'] !== first)).toBe(true);
  const firstEnd = logs.findIndex((r) => r.body === 'request end');
  expect(logs.slice(firstEnd).some((r) => r.body === 'request start')).toBe(true);
}
