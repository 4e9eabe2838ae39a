// The README's telemetry file, copied as written (ESM and CommonJS), in front of two express
// services that call each other with fetch: every span and log record of both services carries
// the request's vars, exported over OTLP/HTTP to a receiver on 127.0.0.1, and the second service
// reads the vars the first one set.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { close, getJson } from '../support/http';
import { ENGINE_FLAGS, ROOT } from '../support/run-node';
import { expectBuiltPackage } from '../support/built';
import { otlpReceiver } from './support/otlp-receiver';
import type { OtlpReceiver } from './support/otlp-receiver';

beforeAll(expectBuiltPackage);

const SCRATCH = path.join(ROOT, 'test/otel3/scratch');
const FIXTURES = path.join(ROOT, 'test/otel3/fixtures/telemetry-app');
const RESOLVE = path.join(ROOT, 'test/otel3/support/resolve.mjs');

/** The README block that starts with `// <name>`, as a user copies it. */
function readmeBlock(name: string): string {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const block = [...readme.matchAll(/^```js\n([\s\S]*?)^```$/gm)]
    .map((m) => m[1])
    .find((b) => b.startsWith(`// ${name}\n`));
  if (block === undefined) throw new Error(`README.md has no js block starting with // ${name}`);
  return block;
}

/** A directory holding the README's telemetry file and the fixture app, as an application would. */
function writeApp(kind: 'esm' | 'cjs'): { dir: string; args: string[] } {
  const dir = path.join(SCRATCH, `${kind}-${process.pid}`);
  fs.mkdirSync(dir, { recursive: true });
  const [telemetry, app, type] =
    kind === 'esm' ? ['telemetry.mjs', 'app.mjs', 'module'] : ['telemetry.cjs', 'app.cjs', 'commonjs'];
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ type }));
  fs.writeFileSync(path.join(dir, telemetry), readmeBlock(telemetry));
  fs.copyFileSync(path.join(FIXTURES, app), path.join(dir, app));
  // resolve.mjs (required first, so it is in place before a --require'd telemetry.cjs) only maps `otel-contextvars` to the built package and the api to test/otel3's
  // 1.10, as an application's node_modules would; everything else resolves from test/otel3.
  const preload = kind === 'esm' ? ['--import', `./${telemetry}`] : ['--require', `./${telemetry}`];
  return { dir, args: [...ENGINE_FLAGS, '--require', RESOLVE, ...preload, `./${app}`] };
}

interface Service {
  child: ChildProcess;
  port: number;
  stdout: () => string;
  exited: Promise<number | null>;
}

/** Starts one service and resolves once it printed its port; rejects with its stderr if it exits first. */
function startService(
  app: { dir: string; args: string[] },
  env: Record<string, string>,
  started: { child: ChildProcess }[],
): Promise<Service> {
  const child = spawn(process.execPath, app.args, { cwd: app.dir, env: { ...process.env, ...env } });
  started.push({ child });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      const port = /^listening (\d+)$/m.exec(stdout)?.[1];
      if (port !== undefined) resolve({ child, port: Number(port), stdout: () => stdout, exited });
    });
    void exited.then((code) => reject(new Error(`service exited with ${code} before listening: ${stderr}`)));
  });
}

async function stop(service: Service): Promise<void> {
  service.child.kill('SIGTERM'); // the telemetry file flushes both exporters on SIGTERM
  expect(await service.exited).toBe(0);
}

/** Runs both services behind the README file, sends one request, and returns what was exported. */
async function checkout(kind: 'esm' | 'cjs', withMixin: boolean) {
  const receiver: OtlpReceiver = await otlpReceiver();
  const app = writeApp(kind);
  const started: { child: ChildProcess }[] = [];
  const env = {
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${receiver.port}`,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', // the receiver below reads JSON, not protobuf
    OTEL_LOG_LEVEL: 'warn',
    WITH_MIXIN: withMixin ? '1' : '0',
  };
  const agent = new http.Agent();
  try {
    const stock = await startService(app, { ...env, OTEL_SERVICE_NAME: 'stock' }, started);
    const shop = await startService(app, { ...env, OTEL_SERVICE_NAME: 'shop', NEXT_PORT: String(stock.port) }, started);
    const answer = await getJson(agent, shop.port, '/checkout', { 'x-tenant': 'acme', 'x-request-id': 'req-7' });
    await stop(shop);
    await stop(stock);
    return { answer, spans: receiver.spans(), records: receiver.records(), lines: shop.stdout() + stock.stdout() };
  } finally {
    agent.destroy();
    for (const service of started) service.child.kill();
    await close(receiver.server);
    fs.rmSync(app.dir, { recursive: true, force: true });
  }
}

const VARS = { 'contextvar.tenant': 'acme', 'contextvar.request.id': 'req-7' };

describe.each(['esm', 'cjs'] as const)('the README telemetry file (%s) in front of two express services', (kind) => {
  test('the second service, called with fetch, reads the vars the first one set', async () => {
    const { answer, spans, records, lines } = await checkout(kind, false);
    expect(answer).toEqual({ tenant: 'acme', requestId: 'req-7', next: { tenant: 'acme', requestId: 'req-7' } });

    // Spans of both services, one trace: the shop's fetch (undici) client span, the stock
    // service's http server span and express spans all carry the vars.
    const traceIds = new Set(spans.map((s) => s.traceId));
    expect(traceIds.size).toBe(1);
    const fetchSpan = spans.find((s) => s.service === 'shop' && s.kind === 3);
    expect(fetchSpan?.attributes).toMatchObject(VARS);
    const stockServer = spans.find((s) => s.service === 'stock' && s.kind === 2);
    expect(stockServer?.attributes).toMatchObject(VARS);
    // Every span of the called service; in the caller, the spans that start after the middleware
    // that sets the vars (its own span and the server span start before it, so they have none).
    for (const span of spans.filter((s) => s.service === 'stock')) expect(span.attributes).toMatchObject(VARS);
    const handlers = spans.filter((s) => s.attributes['express.type'] === 'request_handler');
    expect(new Set(handlers.map((s) => s.service))).toEqual(new Set(['shop', 'stock']));
    for (const span of handlers) expect(span.attributes).toMatchObject(VARS);

    // One log record per pino line, in the same trace, each var once (no bare `tenant`).
    expect(records.map((r) => [r.service, r.body])).toEqual(
      expect.arrayContaining([
        ['shop', 'checkout'],
        ['stock', 'stock'],
      ]),
    );
    for (const record of records) {
      expect(traceIds.has(record.traceId)).toBe(true);
      expect(record.attributes).toMatchObject(VARS);
      expect(record.attributes).not.toHaveProperty('tenant');
    }
    // The stdout lines carry the trace ids from the pino instrumentation.
    const printed = lines
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(printed.map((l) => l.msg).sort()).toEqual(['checkout', 'stock']);
    for (const line of printed) expect(traceIds.has(String(line.trace_id))).toBe(true);
  });
});

test('with the logFields mixin added as well, each var lands twice on a log record', async () => {
  const { records } = await checkout('esm', true);
  const shop = records.find((r) => r.service === 'shop');
  expect(shop?.attributes).toMatchObject({ ...VARS, tenant: 'acme', 'request.id': 'req-7' });
});
