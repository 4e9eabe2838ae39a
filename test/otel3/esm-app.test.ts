// An ES-module express 5 + pino app on the OpenTelemetry JS 3.x line, started as users start
// one: `node --import ./telemetry.mjs app.mjs` (test/otel3/fixtures/esm-app). Its telemetry
// module registers the ES-module loader hook of OpenTelemetry's instrumentations; without the hook
// the express spans and the pino log records are lost silently, which the last test shows.
import { execFile } from 'node:child_process';
import { ENGINE_FLAGS, ROOT } from '../support/run-node';

interface Vars {
  requestId: string;
  tenant: string;
}
interface Report {
  hook: string;
  answers: { sent: Vars; got: Vars & { stock: Vars } }[];
  spans: {
    name: string;
    scope: string;
    kind: number;
    traceId: string;
    spanId: string;
    parentSpanId?: string;
    attributes: Record<string, unknown>;
  }[];
  records: { body: string; traceId: string | null; attributes: Record<string, unknown> }[];
  pinoLines: Record<string, unknown>[];
}

/** Runs the app with its telemetry module first; `hook` forces one loader-hook form. */
function runApp(hook?: string): Promise<{ report: Report; stderr: string }> {
  const args = [
    ...ENGINE_FLAGS,
    // The test rig's resolution of `otel-contextvars` and api 1.10 (an app has them installed).
    '--import',
    './test/otel3/support/resolve.mjs',
    '--import',
    './test/otel3/fixtures/esm-app/telemetry.mjs',
    './test/otel3/fixtures/esm-app/app.mjs',
  ];
  // No metrics exporter: NodeSDK's default one would spend seconds at shutdown exporting to nobody.
  const env: NodeJS.ProcessEnv = { ...process.env, OTEL_LOG_LEVEL: 'none', OTEL_METRICS_EXPORTER: 'none' };
  if (hook === undefined) delete env.OTEL_CONTEXTVARS_ESM_HOOK;
  else env.OTEL_CONTEXTVARS_ESM_HOOK = hook;
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { cwd: ROOT, env, timeout: 30_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`the ESM app failed: ${error.message}\n${stderr}`));
      else resolve({ report: JSON.parse(stdout.trim().split('\n').pop()!) as Report, stderr });
    });
  });
}

/** The express spans of the /orders handler (the /stock handler's have vars from the fetch that called it). */
const orderHandlers = (report: Report): Report['spans'] =>
  report.spans.filter((s) => s.name === 'request handler' && s.attributes['http.route'] === '/orders');
const tenantOf = (requestId: unknown): string => `tenant-${Number(String(requestId).slice(4)) % 3}`;

type Run = Awaited<ReturnType<typeof runApp>>;
let app: Run;
let others: Record<'register' | 'none', Promise<Run>>;
beforeAll(async () => {
  // The other two forms start with it: three processes, mostly waiting on their own requests.
  others = { register: runApp('register'), none: runApp('none') };
  for (const run of Object.values(others)) run.catch(() => undefined);
  app = await runApp();
});

test('the telemetry module starts the app with no warning on this Node line', () => {
  expect(['registerHooks', 'register']).toContain(app.report.hook);
  expect(app.stderr).not.toMatch(/Warning/);
});

test('every request’s handler answers with its own vars', () => {
  expect(app.report.answers).toHaveLength(12);
  for (const { sent, got } of app.report.answers) expect(got).toEqual({ ...sent, stock: sent });
});

test('express request handler spans exist and carry each request’s vars', () => {
  const handlers = orderHandlers(app.report);
  expect(handlers.map((s) => s.attributes['contextvar.request.id']).sort()).toEqual(
    app.report.answers.map((a) => a.sent.requestId).sort(),
  );
  for (const span of handlers) {
    expect(span.attributes['contextvar.tenant']).toBe(tenantOf(span.attributes['contextvar.request.id']));
  }
});

test('pino lines sent as OTel log records and written by pino carry each request’s vars and trace', () => {
  const traceOf = new Map(
    app.report.spans
      .filter((s) => s.name === 'request handler')
      .map((s) => [s.attributes['contextvar.request.id'], s.traceId]),
  );
  expect(app.report.records).toHaveLength(24);
  for (const record of app.report.records) {
    const id = record.attributes['contextvar.request.id'];
    expect(record.attributes['contextvar.tenant']).toBe(tenantOf(id));
    expect(record.traceId).toBe(traceOf.get(id));
  }
  expect(app.report.pinoLines).toHaveLength(24);
  for (const line of app.report.pinoLines) {
    expect(line.tenant).toBe(tenantOf(line['request.id']));
    expect(line.trace_id).toBe(traceOf.get(line['request.id']));
  }
});

test('fetch() from a handler (instrumentation-undici) carries the vars: on its client span and to the handler it calls, in one trace', () => {
  const fetches = app.report.spans.filter((s) => s.scope === '@opentelemetry/instrumentation-undici');
  expect(fetches).toHaveLength(12);
  for (const span of fetches) {
    expect(span.attributes['contextvar.tenant']).toBe(tenantOf(span.attributes['contextvar.request.id']));
    const called = app.report.spans.find((s) => s.parentSpanId === span.spanId);
    expect(called?.attributes['http.route']).toBe('/stock');
    expect(called?.attributes['contextvar.request.id']).toBe(span.attributes['contextvar.request.id']);
  }
});

test('without the loader hook the same app loses its express spans and log records, silently', async () => {
  const { report, stderr } = await others.none;
  expect(report.answers.every(({ sent, got }) => got.requestId === sent.requestId)).toBe(true);
  expect(report.spans.filter((s) => s.name === 'request handler')).toHaveLength(0);
  expect(report.records).toHaveLength(0);
  expect(stderr).toBe('');
});

test('the fallback for lines without in-thread hooks, module.register, works too; only Node 26 warns, deprecating it', async () => {
  const { report, stderr } = await others.register;
  expect(report.hook).toBe('register');
  expect(orderHandlers(report)).toHaveLength(12);
  expect(report.records).toHaveLength(24);
  // Node 26 deprecates module.register (DEP0205); the telemetry module uses it only where
  // module.registerHooks cannot run the hook, which is never the case on 26.
  const warnings = stderr.match(/\w*Warning[^\n]*/g) ?? [];
  for (const warning of warnings) expect(warning).toMatch(/DeprecationWarning: `module.register\(\)` is deprecated/);
});
