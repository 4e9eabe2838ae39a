// `npm run demo`: two instrumented services on 127.0.0.1, three concurrent requests, and what
// OpenTelemetry saw of them: each trace as a tree with the vars on its spans, and the log records
// of both processes that carry its trace id (on the 2.x line, for Node older than 22.15: pino's log
// lines; examples/demo/line.ts chooses).
//
// This process is the frontend. Its middleware sets request.id, tenant and user.id once per
// request; nothing passes them down. It calls the backend, a second Node process
// (examples/demo/backend.ts), with fetch(): the undici instrumentation injects the vars
// (ContextVarPropagator) next to traceparent and baggage, and they are back in the vars before the
// backend's handler runs.
//
// With OTEL_EXPORTER_OTLP_ENDPOINT (or OTEL_TRACES_EXPORTER=otlp) set, both services also export
// over OTLP/HTTP, e.g. to an OpenTelemetry Collector or Jaeger (see docs/demo.md).
import { line, lineSummary } from './demo/line';
import { otlpRequested } from './demo/records';
import type { LogEntry, SpanRecord } from './demo/records';
import { requestId, tenant, user } from './demo/vars';
import { formatTraces } from './demo/print';
import type { SentRequest } from './demo/print';
import type { BackendMessage } from './demo/backend';
import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { context, trace } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';

// Never hang: whatever goes wrong, the demo ends (and takes the backend with it) within this time.
const DEADLINE_MS = 30_000;
const watchdog = setTimeout(() => {
  console.error(`demo: no result after ${DEADLINE_MS / 1000} s, giving up`);
  process.exit(1);
}, DEADLINE_MS);
watchdog.unref();

const telemetry = line.startTelemetry('frontend');
const log = telemetry.logger;
const tracer = trace.getTracer('demo-frontend');

function get(
  port: number,
  pathname: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: pathname, headers, timeout: 5_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${pathname}: no answer in 5 s`)));
    req.on('error', reject);
  });
}

/** A call to the backend with fetch(), traced by @opentelemetry/instrumentation-undici. */
async function fetchText(port: number, pathname: string): Promise<{ status: number; body: string }> {
  const res = await fetch(`http://127.0.0.1:${port}${pathname}`, { signal: AbortSignal.timeout(5_000) });
  return { status: res.status, body: await res.text() };
}

function header(req: http.IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The frontend: one request = one checkout, which calls the backend twice. */
function startFrontend(backendPort: number): http.Server {
  return http.createServer((req, res) => {
    // Middleware pattern: set once, at the top of the request, without reset. The instrumentation
    // runs each request's handler in a context of its own, so nothing set here can bleed into the
    // next request, even on the same keep-alive connection.
    requestId.set(header(req, 'x-request-id') ?? randomUUID());
    tenant.set(header(req, 'x-tenant') ?? 'anonymous');
    user.set(header(req, 'x-user') ?? 'guest');
    void tracer.startActiveSpan('checkout', async (span) => {
      try {
        log.info('checkout started');
        for (const step of ['/stock', '/payment']) {
          const answer = await fetchText(backendPort, step);
          if (answer.status !== 200) throw new Error(`backend ${step}: ${answer.status}`);
        }
        log.info('checkout complete');
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ traceId: span.spanContext().traceId }));
      } catch (error) {
        log.error({ err: error }, 'checkout failed');
        res.statusCode = 502;
        res.end();
      } finally {
        span.end();
      }
    });
  });
}

function startBackend(): {
  pid: number | undefined;
  next: () => Promise<BackendMessage>;
  closed: Promise<void>;
  stop: () => void;
} {
  const child = fork(path.join(__dirname, 'demo', 'backend.ts'), [], {
    // The project root, so that `--import tsx` resolves whether started by tsx, node or a test.
    cwd: path.resolve(__dirname, '..'),
    execPath: process.execPath,
    // The same AsyncLocalStorage engine as this process, and TypeScript through tsx.
    execArgv: [...process.execArgv.filter((arg) => arg.endsWith('async-context-frame')), '--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const closed = new Promise<void>((resolve) => child.on('close', () => resolve()));
  const next = () =>
    new Promise<BackendMessage>((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`backend exited early (code ${code})`));
      child.once('exit', onExit);
      child.once('message', (message) => {
        child.off('exit', onExit);
        resolve(message as BackendMessage);
      });
    });
  // Kill it if the demo ends any other way than by the backend's own clean exit.
  process.on('exit', () => child.kill());
  return { pid: child.pid, next, closed, stop: () => child.send('finish') };
}

async function main(): Promise<void> {
  const backend = startBackend();
  const { port: backendPort } = (await backend.next()) as { port: number };
  const frontend = startFrontend(backendPort);
  await new Promise<void>((resolve) => frontend.listen(0, '127.0.0.1', resolve));
  const frontendPort = (frontend.address() as AddressInfo).port;
  console.log(lineSummary);
  console.log(
    `frontend http://127.0.0.1:${frontendPort}  ->  backend http://127.0.0.1:${backendPort} (a second Node process, pid ${backend.pid})`,
  );
  console.log(
    `OTLP export: ${otlpRequested() ? 'on (OTEL_* environment)' : 'off (set OTEL_EXPORTER_OTLP_ENDPOINT to send these traces to a collector)'}\n`,
  );

  // Three concurrent customers; the third sends no request id, so the middleware makes one.
  const customers: Record<string, string>[] = [
    { 'x-request-id': 'req-1001', 'x-tenant': 'acme', 'x-user': 'alice' },
    { 'x-request-id': 'req-1002', 'x-tenant': 'globex', 'x-user': 'bob' },
    { 'x-tenant': 'initech', 'x-user': 'carol' },
  ];
  // The load generator is not a service: its calls are left untraced, so each trace starts at the
  // frontend, as it would for a request from a browser.
  const requests: SentRequest[] = await context.with(suppressTracing(context.active()), () =>
    Promise.all(
      customers.map(async (headers) => {
        const answer = await get(frontendPort, '/checkout', headers);
        if (answer.status !== 200) throw new Error(`GET /checkout answered ${answer.status}`);
        return { headers, traceId: (JSON.parse(answer.body) as { traceId: string }).traceId };
      }),
    ),
  );

  frontend.closeAllConnections();
  await new Promise((resolve) => frontend.close(resolve));
  const finished = backend.next();
  backend.stop();
  const backendSent = (await finished) as { spans: SpanRecord[]; logs: LogEntry[] };
  const spans = [...(await telemetry.finishedSpans()), ...backendSent.spans];
  const logs = [...(await telemetry.finishedLogs()), ...backendSent.logs];
  // Both services flush their OTLP export (if any) at the same time: the backend before it exits.
  await Promise.all([backend.closed, telemetry.shutdown()]);
  console.log("contextvar.* columns: the span attributes ContextVarSpanProcessor recorded. The frontend's server span");
  console.log(
    'starts before its middleware sets the vars, so it has none; every span after it does, in both services.\n',
  );
  for (const text of formatTraces(requests, spans, logs, line.logKind)) console.log(text);
  const traced = new Set(requests.map((r) => r.traceId));
  const correlated = logs.filter((l) => l.traceId !== undefined && traced.has(l.traceId)).length;
  console.log(
    `${traced.size} traces, ${spans.length} spans from 2 processes, ${correlated} of ${logs.length} ${line.logKind} correlated`,
  );
}

// An explicit exit: an OTLP exporter still retrying against an absent collector would otherwise
// keep the process alive after shutdown() has already waited for it as long as it should.
main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error('demo failed:', error);
    process.exit(1);
  },
);
