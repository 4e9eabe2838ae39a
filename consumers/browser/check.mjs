// Runs the packed otel-contextvars in headless Chromium (Debian's chromium, driven by
// puppeteer-core): src/page.mjs bundled by esbuild for the browser, served from 127.0.0.1, records
// what the synchronous quickstart observes; the expectations live here. Bounded by timeouts.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import puppeteer from 'puppeteer-core';

const here = new URL('.', import.meta.url).pathname;
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

const bundled = await build({
  entryPoints: [`${here}src/page.mjs`],
  bundle: true,
  write: false,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  metafile: true,
  logLevel: 'error',
});
const taken = Object.keys(bundled.metafile.inputs).filter((f) => f.includes('node_modules/otel-contextvars/'));
assert.ok(taken.length > 0 && taken.every((f) => f.includes('/dist/module/')), `bundled files: ${taken.join(', ')}`);
const script = bundled.outputFiles[0].text;

const server = http.createServer((req, res) => {
  if (req.url === '/page.js') {
    res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
  } else {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!doctype html><title>otel-contextvars</title><script type="module" src="/page.js"></script>');
  }
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const userDataDir = mkdtempSync(path.join(tmpdir(), 'otel-contextvars-chromium-'));
const browser = await puppeteer.launch({
  executablePath: CHROMIUM,
  headless: true,
  userDataDir,
  timeout: 60_000,
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});
let observed;
const pageErrors = [];
let version;
try {
  version = await browser.version();
  const page = await browser.newPage();
  page.on('pageerror', (error) => pageErrors.push(String(error?.stack ?? error)));
  page.on('console', (message) => message.type() === 'error' && pageErrors.push(message.text()));
  await page.goto(`http://127.0.0.1:${server.address().port}/`, { waitUntil: 'load', timeout: 30_000 });
  // The page records its observations at the end of its module; a load error leaves none.
  await page.waitForFunction(() => globalThis.__observed !== undefined, { timeout: 10_000 }).catch(() => undefined);
  observed = await page.evaluate(() => globalThis.__observed);
} finally {
  await browser.close();
  server.close();
  rmSync(userDataDir, { recursive: true, force: true });
}

assert.deepEqual(pageErrors, [], 'no error while loading or running the page');
assert.ok(observed !== undefined, 'the page ran to its end');
assert.deepEqual(observed.setGetReset, ['Guest', 'Alice', true, 'Guest'], 'set, get, reset');
assert.deepEqual(
  [observed.noDefault.error, observed.noDefault.lookup, observed.resetTwice.error, observed.resetTwice.runtime],
  ['LookupError', true, 'RuntimeError', true],
  'errors of the documented classes',
);
assert.deepEqual(observed.run, [['Bob', 'Bob again'], 'Guest'], 'ContextVar.run: a scope, restored after');
assert.deepEqual(observed.runThrows, ['TypeError', 'Guest'], 'ContextVar.run: restored after a throw');
assert.deepEqual(observed.contextRun, [['Carol', true], 'Carol', 'Guest', 'RuntimeError'], 'Context.run');
assert.deepEqual(observed.snapshot, ['not in snapshot', 'later'], 'copyContext() is a snapshot');
assert.equal(observed.registered, true, 'ContextVarsContextManager registers');
assert.deepEqual(observed.with, [[true, 'Dave', 'k'], 'Guest', 'Guest', 'none'], "the manager's with()");
assert.deepEqual(observed.setKeepsActive, ['kept', 'Erin'], 'set() keeps the active OpenTelemetry values');
assert.deepEqual(observed.bind, ['Frank', 'Guest'], "the manager's bind()");
assert.deepEqual(observed.awaitInScope, ['in scope', 'Guest'], 'a scope holds until its first await only');
assert.deepEqual(observed.rootSetSeenByTimer, ['page-wide', 'Guest'], 'a set outside every scope is page-wide');
assert.match(observed.repr, /^<ContextVar name='shown' default=\{ list: \[ 1, 'x' \] \} at 0x[0-9a-f]+>$/, 'repr');
console.log(
  `chromium ${version}: synchronous quickstart, manager with/bind, errors and reprs as documented (${Object.keys(observed).length} observations)`,
);
