// The demo's backend service, a separate Node process forked by examples/demo.ts (not meant to be
// run by hand). It sets no vars itself: every value it reads and logs arrived in the frontend's
// request headers, extracted by ContextVarPropagator through the HTTP instrumentation.
// Its spans and log entries go back to the parent over IPC.
import { line } from './line';
import type { LogEntry, SpanRecord } from './records';
import { requestId, tenant, user } from './vars';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { trace } from '@opentelemetry/api';

if (process.send === undefined) {
  console.error('examples/demo/backend.ts is started by examples/demo.ts: run `npm run demo`.');
  process.exit(1);
}

/** What the parent process and the backend say to each other over IPC. */
export type BackendMessage = { port: number } | { spans: SpanRecord[]; logs: LogEntry[] };

const telemetry = line.startTelemetry('backend');
const log = telemetry.logger;
const tracer = trace.getTracer('demo-backend');

function send(message: BackendMessage): Promise<void> {
  return new Promise((resolve, reject) =>
    process.send!(message, (error: Error | null) => (error ? reject(error) : resolve())),
  );
}

// A plain handler, no middleware: the HTTP instrumentation already runs it inside the context it
// extracted from the request, so tenant.get() is the frontend's value, even after an await.
const server = http.createServer((req, res) => {
  const path = new URL(req.url ?? '/', 'http://backend').pathname;
  const work = path === '/stock' ? 'reserve stock' : 'charge payment';
  void tracer.startActiveSpan(work, async (span) => {
    await sleep(5);
    log.info(`${work} for tenant ${tenant.get('?')}, user ${user.get('?')}`);
    span.end();
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ ok: true, requestId: requestId.get(null) }));
  });
});

server.listen(0, '127.0.0.1', () => void send({ port: (server.address() as AddressInfo).port }));

process.on('message', (message) => {
  if (message !== 'finish') return;
  server.closeAllConnections();
  server.close(() => {
    void Promise.all([telemetry.finishedSpans(), telemetry.finishedLogs()])
      .then(([spans, logs]) => send({ spans, logs }))
      .then(() => telemetry.shutdown())
      .finally(() => process.disconnect());
  });
});
// The IPC channel closes when the parent exits, even if it crashed: never outlive the demo.
process.on('disconnect', () => process.exit(0));
setTimeout(() => process.exit(1), 30_000).unref();
