// Builds the app (`next build`), serves it (`next start` on 127.0.0.1) and sends 50 concurrent
// requests to the Node.js-runtime route and 50 to the edge-runtime route. Checks, per runtime:
// each handler sees only its own value (never another request's, never the proxy's), and the
// spans the handlers start, exported by @vercel/otel ('auto', configured by the standard OTLP
// environment variables) to an OTLP/HTTP JSON collector served here, carry the var
// (`contextvar.rid`) through ContextVarSpanProcessor. Prints one line per check and the figures;
// exits non-zero when a check fails. Usage: node check.mjs [--no-build]
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { rmSync } from 'node:fs';

const REQUESTS = 50;
const here = (p) => new URL(p, import.meta.url).pathname;
const runtimes = ['nodejs', 'edge'];
let passed = 0;
let failed = 0;

function check(name, ok, detail = '') {
  if (ok) passed += 1;
  else failed += 1;
  console.log(`${ok ? 'ok' : 'not ok'} - ${name}${ok || !detail ? '' : `\n  ${detail}`}`);
}

/** Runs a command to completion, its output kept for the failure message; bounded by `timeoutMs`. */
function run(cmd, args, options, timeoutMs) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/** An OTLP/HTTP JSON trace receiver on 127.0.0.1: every span it is sent, flattened. */
async function startCollector() {
  const spans = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      try {
        for (const rs of JSON.parse(body).resourceSpans ?? []) {
          const runtime = rs.resource?.attributes?.find((a) => a.key === 'vercel.runtime')?.value?.stringValue;
          for (const ss of rs.scopeSpans ?? []) {
            for (const span of ss.spans ?? []) {
              const attrs = Object.fromEntries((span.attributes ?? []).map((a) => [a.key, a.value?.stringValue]));
              spans.push({ name: span.name, runtime, attrs });
            }
          }
        }
      } catch {
        // A body this receiver cannot read counts as no spans; the checks then say what is missing.
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { spans, server, url: `http://127.0.0.1:${server.address().port}/v1/traces` };
}

async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitUntil(predicate, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await predicate()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

const nextBin = here('node_modules/next/dist/bin/next');
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1', OTEL_BSP_SCHEDULE_DELAY: '200' };

if (!process.argv.includes('--no-build')) {
  rmSync(here('.next'), { recursive: true, force: true });
  const started = Date.now();
  const { code, output } = await run(process.execPath, [nextBin, 'build'], { cwd: here('.'), env }, 300_000);
  check(`next build (${((Date.now() - started) / 1000).toFixed(0)} s)`, code === 0, output.slice(-3000));
  if (code !== 0) {
    console.log(`${passed} passed, ${failed} failed`);
    process.exit(1);
  }
}

const collector = await startCollector();
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const server = spawn(process.execPath, [nextBin, 'start', '-H', '127.0.0.1', '-p', String(port)], {
  cwd: here('.'),
  env: { ...env, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: collector.url, OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json' },
  stdio: ['ignore', 'pipe', 'pipe'],
});
let serverLog = '';
server.stdout.on('data', (d) => (serverLog += d));
server.stderr.on('data', (d) => (serverLog += d));

try {
  const up = await waitUntil(
    () =>
      fetch(`${base}/api/node?rid=warmup`).then(
        (r) => r.ok,
        () => false,
      ),
    60_000,
  );
  check('next start serves on 127.0.0.1', up, serverLog.slice(-3000));
  if (up) {
    for (const runtime of runtimes) await checkRuntime(runtime);
  }
} finally {
  server.kill('SIGTERM');
  collector.server.close();
}
if (failed > 0) console.log(`server output (last 3000 characters):\n${serverLog.slice(-3000)}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);

async function checkRuntime(runtime) {
  const path = runtime === 'edge' ? '/api/edge' : '/api/node';
  // One request first, so the route's chunk is loaded before the concurrent burst.
  await fetch(`${base}${path}?rid=${runtime}-warmup`).catch(() => undefined);
  const ids = Array.from({ length: REQUESTS }, (_, i) => `${runtime}-${i}`);
  const results = await Promise.all(
    ids.map(async (id) => {
      try {
        const res = await fetch(`${base}${path}?rid=${id}`);
        return res.ok ? await res.json() : { error: `HTTP ${res.status}: ${(await res.text()).slice(0, 300)}` };
      } catch (error) {
        return { error: String(error) };
      }
    }),
  );
  const errors = results.filter((r) => r.error || r.setError);
  check(`${runtime}: ${REQUESTS} concurrent requests answered`, errors.length === 0, JSON.stringify(errors[0]));
  const ranOn = new Set(results.map((r) => r.runtime));
  check(
    `${runtime}: the route ran on the ${runtime} runtime (${[...ranOn].join(', ')})`,
    ranOn.size === 1 && ranOn.has(runtime),
  );
  const clean = results.filter((r, i) => r.rid === ids[i] && r.before === 'unset');
  check(
    `${runtime}: no handler saw another request's value or the proxy's before its own set (${clean.length}/${REQUESTS})`,
    clean.length === REQUESTS,
    JSON.stringify(results.find((r, i) => !(r.rid === ids[i] && r.before === 'unset'))),
  );
  const own = results.filter((r, i) => r.seen?.length === 3 && r.seen.every((v) => v === ids[i]));
  check(
    `${runtime}: each handler saw only its own value after timers and inside its span (${own.length}/${REQUESTS})`,
    own.length === REQUESTS,
    JSON.stringify(results.find((r, i) => !(r.seen?.length === 3 && r.seen.every((v) => v === ids[i])))),
  );
  const viaHeader = results.filter((r, i) => r.proxyHeader === `proxy-${ids[i]}`);
  check(
    `${runtime}: the proxy's value reached the handler as a request header (${viaHeader.length}/${REQUESTS})`,
    viaHeader.length === REQUESTS,
  );
  const early = results.filter((r, i) => r.scheduledBefore === ids[i]).length;
  const foreign = results.filter((r, i) => ![ids[i], 'unset'].includes(r.scheduledBefore)).length;
  console.log(
    `# ${runtime}: a timer started before the set saw it in ${early}/${REQUESTS} handlers ` +
      `(${early === 0 ? "Node's engines" : 'run-scoped engine'} semantics)`,
  );
  check(`${runtime}: a timer started before the set saw its own request's value or none`, foreign === 0);
  const mine = () =>
    collector.spans.filter((s) => s.name === `work ${runtime}` && ids.includes(s.attrs['request.rid']));
  await waitUntil(() => mine().length >= REQUESTS, 15_000);
  const spans = mine();
  const carried = spans.filter((s) => s.attrs['contextvar.rid'] === s.attrs['request.rid']);
  console.log(
    `# ${runtime}: ${spans.length}/${REQUESTS} handler spans exported, ${carried.length} carry contextvar.rid`,
  );
  check(
    `${runtime}: every handler span was exported and carries its own request's var (${carried.length}/${REQUESTS})`,
    spans.length === REQUESTS && carried.length === REQUESTS,
    JSON.stringify(spans.find((s) => s.attrs['contextvar.rid'] !== s.attrs['request.rid'])),
  );
}
