// Runs the packed otel-contextvars in Cloudflare's workerd (miniflare 4), bundled by esbuild with
// the conditions wrangler uses (workerd, worker, browser), under nodejs_compat and under
// nodejs_als alone. 50 concurrent requests per case; every loop and wait is bounded. Prints one
// summary line per configuration; exits non-zero when a check fails.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { build } from 'esbuild';
import { Log, LogLevel, Miniflare } from 'miniflare';

const REQUESTS = 50;
const COMPATIBILITY_DATE = '2026-06-01';
const here = new URL('.', import.meta.url).pathname;
mkdirSync(`${here}out`, { recursive: true });

/** Bundles a worker as wrangler does (its conditions; the browser field, which OTel packages use to swap their Node files); returns the package files esbuild took from otel-contextvars. */
async function bundle(name) {
  const result = await build({
    entryPoints: [`${here}src/${name}.mjs`],
    outfile: `${here}out/${name}.mjs`,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['browser', 'module', 'main'],
    external: ['node:*', 'cloudflare:*'],
    metafile: true,
    logLevel: 'error',
  });
  return Object.keys(result.metafile.inputs).filter((f) => f.includes('node_modules/otel-contextvars/'));
}

// A fixed sequence of delays (0-9 ms), so requests interleave the same way on every run.
const delays = Array.from({ length: REQUESTS }, (_, i) => (i * 7919) % 10);

async function fetchAll(mf, path) {
  const responses = await Promise.all(
    delays.map(async (delay, i) => {
      const res = await mf.dispatchFetch(`http://localhost${path}?id=req-${i}&delay=${delay}`);
      assert.equal(res.status, 200, `${path} status`);
      return res.json();
    }),
  );
  return responses;
}

/** Starts workerd with one script; a load failure of the package shows up as ready rejecting. */
async function start(script, flags) {
  const mf = new Miniflare({
    // The bundle as the one module, as wrangler uploads it: workerd itself resolves node:* imports.
    modules: [
      { type: 'ESModule', path: `${here}out/${script}.mjs`, contents: readFileSync(`${here}out/${script}.mjs`) },
    ],
    compatibilityDate: COMPATIBILITY_DATE,
    compatibilityFlags: flags,
    log: new Log(LogLevel.WARN),
    // No fetch of Cloudflare's request.cf data: the network is limited to the npm registry.
    cf: false,
  });
  try {
    await mf.ready;
  } catch (error) {
    await mf.dispose().catch(() => undefined);
    throw error;
  }
  return mf;
}

const failures = [];
async function configuration(label, fn) {
  try {
    console.log(`workerd ${label}: ${await fn()}`);
  } catch (error) {
    failures.push(label);
    console.log(`workerd ${label}: FAILED ${error?.stack ?? error}`);
  }
}

async function plainChecks(flags) {
  const mf = await start('plain', flags);
  try {
    const isolatedRuns = await fetchAll(mf, '/isolated');
    for (const r of isolatedRuns)
      assert.deepEqual(r, { id: r.id, seen: [r.id, r.id] }, 'isolated(): own value after await');

    // A set() outside any scope: the documented RuntimeError naming isolated, or a value that
    // stays in its request. Never another request's value.
    const plainRuns = await fetchAll(mf, '/plain');
    let refused = 0;
    for (const r of plainRuns) {
      if (r.error !== undefined) {
        assert.equal(r.error.name, 'RuntimeError', `plain set(): ${JSON.stringify(r.error)}`);
        assert.match(r.error.message, /isolated/);
        refused += 1;
      } else {
        assert.deepEqual(r.seen, [r.id, r.id], `plain set() saw ${JSON.stringify(r.seen)} in ${r.id}`);
      }
    }

    const scheduled = await fetchAll(mf, '/scheduled-before');
    for (const r of scheduled) {
      assert.deepEqual(r, { id: r.id, seenByEarlierTimer: r.id, afterScope: 'unset' }, 'scheduled before a set');
    }

    const { repr } = await (await mf.dispatchFetch('http://localhost/repr')).json();
    assert.match(repr, /^<ContextVar name='shown' default=\{ list: \[ 1, 'x' \] \} at 0x[0-9a-f]+>$/);
    return (
      `isolated() ${isolatedRuns.length}/${REQUESTS} own values; plain set() outside a scope: ` +
      `${refused} RuntimeError naming isolated, ${REQUESTS - refused} local, 0 foreign; ` +
      `timer scheduled before a set in its scope sees it ${scheduled.length}/${REQUESTS}; repr ok`
    );
  } finally {
    await mf.dispose();
  }
}

async function tracedChecks() {
  const mf = await start('traced', ['nodejs_compat']);
  try {
    const runs = await fetchAll(mf, '/work');
    for (const r of runs) assert.deepEqual(r.seen, [r.id], `plain set() under instrument(): ${JSON.stringify(r)}`);
    // Spans are exported after each response (waitUntil): poll, at most 10 s.
    let spans = [];
    for (let i = 0; i < 100 && spans.length < REQUESTS; i++) {
      spans = await (await mf.dispatchFetch('http://localhost/spans')).json();
      if (spans.length < REQUESTS) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.equal(spans.length, REQUESTS, 'child spans exported');
    const carried = spans.filter((s) => s.attributes['contextvar.rid'] === s.attributes['request.id']);
    assert.equal(
      carried.length,
      REQUESTS,
      `spans carrying their own request's var: ${JSON.stringify(spans.slice(0, 3))}`,
    );
    return `plain set() under instrument() ${runs.length}/${REQUESTS} own values; ContextVarSpanProcessor: ${carried.length}/${REQUESTS} child spans carry their request's var`;
  } finally {
    await mf.dispose();
  }
}

const taken = [...new Set([...(await bundle('plain')), ...(await bundle('traced'))])];
// wrangler's workerd condition picks the package's workerd build (a static node:async_hooks import).
assert.ok(taken.length > 0 && taken.every((f) => f.includes('/dist/workerd/')), `bundled files: ${taken.join(', ')}`);
await configuration('nodejs_compat', () => plainChecks(['nodejs_compat']));
await configuration('nodejs_als', () => plainChecks(['nodejs_als']));
await configuration('nodejs_compat + @microlabs/otel-cf-workers', tracedChecks);
await configuration('without nodejs_als or nodejs_compat', async () => {
  // No AsyncLocalStorage means no isolation between concurrent requests: the Worker does not
  // start, and workerd's error names the module, rather than requests sharing values.
  const error = await start('plain', []).then(
    (mf) => mf.dispose().then(() => assert.fail('the Worker started without AsyncLocalStorage')),
    (e) => e,
  );
  assert.match(String(error?.message), /node:async_hooks/);
  return `does not start: ${String(error.message)
    .match(/[^\n]*node:async_hooks[^\n]*/)?.[0]
    .trim()}`;
});
if (failures.length > 0) {
  console.log(`workerd: ${failures.length} configuration(s) failed: ${failures.join(', ')}`);
  process.exit(1);
}
