// What holds under Node, Bun and Deno for the packed package, with plain assertions (no jest), so
// the same file runs on all three (consumers/runtimes/run.sh). Each README statement about Bun and
// Deno (docs/platforms.md) names the check here that backs it. Servers listen on 127.0.0.1 only;
// every request loop is bounded.
import { ROOT_CONTEXT, context, createContextKey } from '@opentelemetry/api';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { AsyncLocalStorage } from 'node:async_hooks';
import http from 'node:http';
import { createRequire } from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';
import * as contextvars from 'otel-contextvars';

const { Context, ContextVar, ContextVarsContextManager, copyContext, isolated } = contextvars;

const runtime = globalThis.Deno
  ? `deno ${Deno.version.deno}`
  : globalThis.Bun
    ? `bun ${Bun.version}`
    : `node ${process.version}`;
context.setGlobalContextManager(new ContextVarsContextManager());
const currentUser = new ContextVar('current_user', { default: 'Guest' });
const requestId = new ContextVar('requestId', { default: 'none' });
const REQUESTS = 20;
const checks = [];
const check = (name, fn, only) => checks.push({ name, fn, only });

check('quickstart: the six lines of Python asyncio.gather, in order', async () => {
  const lines = [];
  const handle = isolated(async (name) => {
    const token = currentUser.set(name);
    try {
      lines.push(`Task for ${name}: Currently handled by ${currentUser.get()}`);
      await sleep(20);
      lines.push(`Task for ${name}: Still handled by ${currentUser.get()}`);
    } finally {
      currentUser.reset(token);
    }
  });
  lines.push(`Before tasks: ${currentUser.get()}`);
  await Promise.all([handle('Alice'), handle('Bob')]);
  lines.push(`After tasks: ${currentUser.get()}`);
  assert.deepEqual(lines, [
    'Before tasks: Guest',
    'Task for Alice: Currently handled by Alice',
    'Task for Bob: Currently handled by Bob',
    'Task for Alice: Still handled by Alice',
    'Task for Bob: Still handled by Bob',
    'After tasks: Guest',
  ]);
});

check('loading: import and require of the package are one instance', () => {
  const required = createRequire(import.meta.url)('otel-contextvars');
  assert.equal(required.ContextVar, contextvars.ContextVar);
  assert.equal(required.Context, contextvars.Context);
});

check(
  'propagation: a value set before scheduling is seen in await, then, timers, immediates, microtasks and emitter listeners',
  async () => {
    const emitter = new EventEmitter();
    const seen = await new Context().run(async () => {
      requestId.set('r-1');
      const out = {};
      const timer = new Promise((resolve) => setTimeout(() => resolve(requestId.get()), 1));
      const immediate = new Promise((resolve) => setImmediate(() => resolve(requestId.get())));
      const micro = new Promise((resolve) => queueMicrotask(() => resolve(requestId.get())));
      const listener = new Promise((resolve) => emitter.once('go', () => resolve(requestId.get())));
      emitter.emit('go');
      out.then = await Promise.resolve().then(() => requestId.get());
      await sleep(1);
      out.await = requestId.get();
      Object.assign(out, {
        timer: await timer,
        immediate: await immediate,
        micro: await micro,
        listener: await listener,
      });
      return out;
    });
    assert.deepEqual(seen, {
      then: 'r-1',
      await: 'r-1',
      timer: 'r-1',
      immediate: 'r-1',
      micro: 'r-1',
      listener: 'r-1',
    });
    assert.equal(requestId.get(), 'none');
  },
);

check('propagation: a set inside isolated() or Context.run() does not leak out, a copy is a snapshot', async () => {
  const inner = await isolated(async () => {
    requestId.set('inner');
    await sleep(1);
    return requestId.get();
  })();
  const snapshot = copyContext();
  requestId.run('temporary', () => assert.equal(snapshot.get(requestId), undefined));
  assert.deepEqual([inner, requestId.get()], ['inner', 'none']);
});

check('OpenTelemetry: context.with and vars share one active context across await', async () => {
  const key = createContextKey('api');
  const seen = await context.with(ROOT_CONTEXT.setValue(key, 'api value'), async () => {
    requestId.set('r-2');
    await sleep(1);
    return [context.active().getValue(key), requestId.get()];
  });
  assert.deepEqual(seen, ['api value', 'r-2']);
  assert.equal(context.active(), ROOT_CONTEXT);
  assert.equal(requestId.get(), 'none');
});

/** The README's handler pattern: set() at the start of a request, never reset. */
async function handlerBody(id) {
  const before = requestId.get();
  requestId.set(id);
  await sleep(1);
  return { before, after: requestId.get(), id };
}

/** REQUESTS requests one after another on one keep-alive connection, then REQUESTS at once. */
async function drive(get) {
  const sequential = [];
  for (let i = 0; i < REQUESTS; i += 1) sequential.push(await get(`s${i}`));
  const concurrent = await Promise.all(Array.from({ length: REQUESTS }, (_, i) => get(`c${i}`)));
  return [...sequential, ...concurrent];
}

const bled = (results) => results.filter((r) => r.before !== 'none' || r.after !== r.id);

async function nodeHttp(handlerFor) {
  const server = http.createServer((req, res) => {
    handlerFor(new URL(req.url, 'http://x').searchParams.get('id')).then((body) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(body));
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const agent = new http.Agent({ keepAlive: true, maxSockets: 2 });
  const sockets = new Set();
  const get = (id) =>
    new Promise((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port: server.address().port, path: `/?id=${id}`, agent }, (res) => {
          sockets.add(res.socket);
          let text = '';
          res.on('data', (chunk) => {
            text += chunk;
          });
          res.on('end', () => resolve(JSON.parse(text)));
        })
        .on('error', reject);
    });
  try {
    const results = await drive(get);
    return { results, sockets: sockets.size };
  } finally {
    agent.destroy();
    await new Promise((resolve) => server.close(resolve));
  }
}

check('node:http with keep-alive clients: a plain set() without reset never bleeds into the next request', async () => {
  const { results, sockets } = await nodeHttp(handlerBody);
  assert.ok(sockets <= 2, `keep-alive reused connections (${sockets} sockets for ${results.length} requests)`);
  assert.deepEqual(bled(results), []);
});

async function fetchAll(port) {
  return drive(async (id) => (await fetch(`http://127.0.0.1:${port}/?id=${id}`)).json());
}

async function bunServe(handlerFor) {
  const server = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    fetch: async (req) => Response.json(await handlerFor(new URL(req.url).searchParams.get('id'))),
  });
  try {
    return await fetchAll(server.port);
  } finally {
    server.stop(true);
  }
}

check(
  'Bun.serve: a plain set() without reset never bleeds into the next request',
  async () => {
    assert.deepEqual(bled(await bunServe(handlerBody)), []);
  },
  'bun',
);

check(
  'Bun.serve: an isolated() handler never bleeds either',
  async () => {
    assert.deepEqual(bled(await bunServe(isolated(handlerBody))), []);
  },
  'bun',
);

async function denoServe(handlerFor) {
  const server = Deno.serve({ hostname: '127.0.0.1', port: 0, onListen() {} }, async (req) =>
    Response.json(await handlerFor(new URL(req.url).searchParams.get('id'))),
  );
  try {
    return await fetchAll(server.addr.port);
  } finally {
    await server.shutdown();
  }
}

check(
  'Deno.serve: an isolated() handler never bleeds into the next request',
  async () => {
    assert.deepEqual(bled(await denoServe(isolated(handlerBody))), []);
  },
  'deno',
);

check(
  'Deno.serve: a plain set() without reset IS seen by the next request (documented limitation: use isolated)',
  async () => {
    const results = await denoServe(handlerBody);
    assert.ok(bled(results).length > 0, 'no request saw a previous value: update docs/platforms.md');
    // What does hold: each request reads its own value after its own set().
    assert.deepEqual(
      results.filter((r) => r.after !== r.id),
      [],
    );
  },
  'deno',
);

check(
  "Deno.serve: Deno's own AsyncLocalStorage.enterWith is seen by the next request the same way",
  async () => {
    const als = new AsyncLocalStorage();
    const results = await denoServe(async (id) => {
      const before = als.getStore() ?? 'none';
      als.enterWith(id);
      await sleep(1);
      return { before, after: als.getStore(), id };
    });
    assert.ok(bled(results).length > 0, 'enterWith did not carry over: update docs/platforms.md');
  },
  'deno',
);

let passed = 0;
let failed = 0;
console.log(
  `# ${runtime}; otel-contextvars from ${import.meta.resolve('otel-contextvars').replace(/^.*node_modules\//, '')}`,
);
for (const { name, fn, only } of checks) {
  if (only && !runtime.startsWith(only)) continue;
  try {
    await Promise.race([
      fn(),
      sleep(20_000).then(() => {
        throw new Error('timed out after 20 s');
      }),
    ]);
    passed += 1;
    console.log(`ok - ${name}`);
  } catch (error) {
    failed += 1;
    console.log(
      `not ok - ${name}\n  ${String(error?.stack ?? error)
        .split('\n')
        .slice(0, 6)
        .join('\n  ')}`,
    );
  }
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
