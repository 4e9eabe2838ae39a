// A/B of builds of this package, per operation, on the Node line and flags this script runs on:
//   node bench/ab-engine.mjs [--sets 3] [--rounds 21] [--ops with,get] [--pollute] LABEL=PATH/dist/cjs/index.js ... [stock]
// Each build (and `stock`: OpenTelemetry's AsyncLocalStorageContextManager) runs in its own child
// process with only its manager registered. Every operation is timed inside a setImmediate
// callback inside a scope binding one value (ours: `v.run(1, ...)`; stock: `context.with`), as
// `npm run bench -- ops` does. The parent asks the children in turn, rotating who goes first each
// round, and prints per build the median CPU ns per operation and the median of per-round ratios
// to the first build. Engine flags go to node itself: `node --no-async-context-frame bench/ab-engine.mjs ...`.
import { fork } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';

const OPS = ['with', 'api-with', 'get', 'set-reset'];

/** CPU time of this process (user + system), ns: the machine's 2 cores are shared. */
function cpuNs() {
  const u = process.cpuUsage();
  return (u.user + u.system) * 1000;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

// ---- child ----------------------------------------------------------------------------------

function child(target) {
  // `stock+LIB`: the stock manager in a process that has also loaded a build of this package.
  const stock = target.startsWith('stock');
  if (target.startsWith('stock+')) createRequire(path.resolve(target.slice(6)))(path.resolve(target.slice(6)));
  const req = createRequire(stock ? path.resolve('package.json') : path.resolve(target));
  const api = req('@opentelemetry/api');
  const { ROOT_CONTEXT, context, createContextKey } = api;
  const K2 = createContextKey('ab.k2');
  const noop = () => 1;
  let manager;
  let scope;
  let get;
  let setReset;
  if (stock) {
    const { AsyncLocalStorageContextManager } = req('@opentelemetry/context-async-hooks');
    manager = new AsyncLocalStorageContextManager();
    manager.enable();
    const K = createContextKey('ab.v');
    const bound = ROOT_CONTEXT.setValue(K, 1);
    scope = (fn) => context.with(bound, fn);
    get = (n) => {
      let s = 0;
      for (let i = 0; i < n; i++) s += context.active().getValue(K);
      return s;
    };
    setReset = (n) => {
      let s = 0;
      for (let i = 0; i < n; i++) s += context.with(context.active().setValue(K, i), noop);
      return s;
    };
  } else {
    const lib = req(path.resolve(target));
    manager = new lib.ContextVarsContextManager();
    const V = new lib.ContextVar('v');
    scope = (fn) => V.run(1, fn);
    get = (n) => {
      let s = 0;
      for (let i = 0; i < n; i++) s += V.get();
      return s;
    };
    setReset = (n) => {
      for (let i = 0; i < n; i++) V.reset(V.set(i));
      return n;
    };
  }
  context.setGlobalContextManager(manager);
  const loops = {
    with(n) {
      const ctx = manager.active().setValue(K2, 2);
      let s = 0;
      for (let i = 0; i < n; i++) s += manager.with(ctx, noop);
      return s;
    },
    'api-with'(n) {
      const ctx = context.active().setValue(K2, 2);
      let s = 0;
      for (let i = 0; i < n; i++) s += context.with(ctx, noop);
      return s;
    },
    get,
    'set-reset': setReset,
  };
  let sink = 0;
  function time(loop, n) {
    const t0 = cpuNs();
    sink += loop(n);
    return cpuNs() - t0;
  }
  process.on('message', (msg) => {
    // Scheduled inside the scope, so the callback runs in it, as request code does.
    scope(() =>
      setImmediate(() => {
        const loop = loops[msg.op];
        if (msg.calibrate !== undefined) {
          let n = 1024;
          let ns = time(loop, n);
          while (ns < msg.calibrate * 1e6) ns = time(loop, (n *= 2));
          process.send({ n: Math.round((n * msg.calibrate * 1e6) / ns), sink: sink & 1 });
        } else {
          process.send({ ns: time(loop, msg.n) / msg.n, sink: sink & 1 });
        }
      }),
    );
  });
  // As in a server: executionAsyncResource() has seen many kinds of async resource, so its own
  // lookup on the resource is megamorphic, not specialised on the one kind a bench loop runs in.
  // Inside the scope, so that each side's storage is enabled and really reads the resources.
  if (process.argv[4] === 'pollute')
    scope(() => pollute(() => context.active())).then(() => process.send({ ready: true }));
  else process.send({ ready: true });
}

/** Reads the active context in callbacks of several kinds of async resource. */
async function pollute(read) {
  const { createServer, connect } = await import('node:net');
  const { stat } = await import('node:fs');
  for (let i = 0; i < 3; i++) {
    await new Promise((resolve) => setTimeout(() => resolve(read()), 1));
    await new Promise((resolve) => setImmediate(() => resolve(read())));
    await new Promise((resolve) => process.nextTick(() => resolve(read())));
    await new Promise((resolve) => queueMicrotask(() => resolve(read())));
    await Promise.resolve().then(read);
    await new Promise((resolve) => stat('.', () => resolve(read())));
    await new Promise((resolve) => {
      const server = createServer((socket) => socket.on('data', () => (read(), socket.end())));
      server.listen(0, '127.0.0.1', () => {
        const client = connect(server.address().port, '127.0.0.1', () => client.write('x'));
        client.on('data', read);
        client.on('close', () => server.close(() => resolve(read())));
        client.on('end', () => client.end());
      });
    });
  }
}

// ---- parent ---------------------------------------------------------------------------------

function spawnChild(target, polluted) {
  const args = ['--child', target, polluted ? 'pollute' : 'clean'];
  const proc = fork(new URL(import.meta.url).pathname, args, { execArgv: process.execArgv });
  const waiting = [];
  proc.on('message', (m) => waiting.shift()(m));
  proc.on('exit', (code) => {
    if (code !== 0 && code !== null) {
      console.error(`ab-engine: the child for ${target} exited with code ${code}`);
      process.exit(1);
    }
  });
  const next = () => new Promise((resolve) => waiting.push(resolve));
  const ready = next();
  return {
    ready,
    ask: (msg) => {
      const p = next();
      proc.send(msg);
      return p;
    },
    kill: () => proc.kill(),
  };
}

async function parent(argv) {
  let rounds = 21;
  let ops = OPS;
  let batchMs = 20;
  let pollute = false;
  let pairs = 3;
  const builds = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--rounds') rounds = Number(argv[++i]);
    else if (argv[i] === '--ops') ops = argv[++i].split(',');
    else if (argv[i] === '--batch-ms') batchMs = Number(argv[++i]);
    else if (argv[i] === '--pollute') pollute = true;
    else if (argv[i] === '--sets') pairs = Number(argv[++i]);
    else if (argv[i].startsWith('stock')) builds.push({ label: argv[i].split('+')[0], target: argv[i] });
    else {
      const [label, target] = argv[i].split('=');
      builds.push({ label, target });
    }
  }
  if (builds.length < 1) throw new Error('usage: ab-engine.mjs LABEL=path/dist/cjs/index.js ... [stock]');
  const state = pollute ? 'after callbacks of several resource kinds' : 'fresh';
  const head = `node ${process.version} ${process.execArgv.join(' ')}; ${pairs} sets of processes`;
  console.log(`${head} x ${rounds} rounds of ${batchMs} ms; ${state}`);
  // Each build's JIT state differs from one process to the next: rounds pooled over fresh sets.
  const times = new Map(ops.map((op) => [op, builds.map(() => [])]));
  for (let p = 0; p < pairs; p++) {
    const children = builds.map((b) => spawnChild(b.target, pollute));
    await Promise.all(children.map((c) => c.ready));
    for (const op of ops) {
      // The same n for every build, from the slowest one (warms each up too).
      let n = Infinity;
      for (const c of children) n = Math.min(n, (await c.ask({ op, calibrate: batchMs })).n);
      for (let w = 0; w < 3; w++) for (const c of children) await c.ask({ op, n });
      const opTimes = times.get(op);
      for (let r = 0; r < rounds; r++) {
        const order = children.map((_, i) => (i + r + p) % children.length);
        for (const i of order) opTimes[i].push((await children[i].ask({ op, n })).ns);
      }
    }
    for (const c of children) c.kill();
  }
  for (const op of ops) {
    const opTimes = times.get(op);
    const cells = builds.map((b, i) => {
      const ratio = median(opTimes[i].map((t, r) => t / opTimes[0][r]));
      return `${b.label} ${median(opTimes[i]).toFixed(1)} ns${i === 0 ? '' : ` (x${ratio.toFixed(2)})`}`;
    });
    console.log(`${op.padEnd(10)} ${cells.join('   ')}`);
  }
}

if (process.argv[2] === '--child') child(process.argv[3]);
else await parent(process.argv.slice(2));
