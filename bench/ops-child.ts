// Child process of the per-operation figures: `ours` (ContextVarsContextManager registered, values
// in ContextVars) or `stock` (AsyncLocalStorageContextManager registered, values under context
// keys), the only manager in this process. Each request { op, where, vars, n } times n runs of one
// operation inside a scope binding `vars` values (ours: `v.run(1, cb)` for one var; stock:
// `with(ROOT.setValue(k, 1), cb)`) and replies with CPU ns per operation (see cpuClock); { op, where, vars,
// calibrate: ms } replies with the n that takes about that long.
// `where: 'callback'` times it inside a setImmediate callback, where request code runs;
// `where: 'top'` at this module's top level, as a quick script would (all 'top' requests come
// first: once a 'callback' request arrives, the child stays on the event loop).
import * as api from '@opentelemetry/api';
import type { Context as OtelContext } from '@opentelemetry/api';
import * as asyncHooks from '@opentelemetry/context-async-hooks';
import * as lib from 'otel-contextvars';
import { readSyncRequest, reply } from './child';
import { calibrate, cpuClock, timeOnce } from './harness';

// The built package (dist/cjs, through the package's self-reference), not src: that is what
// users run. Imports are copied into constants once so the loops do not pay for tsx's getters.
const { ROOT_CONTEXT, context, createContextKey } = api;
const side = process.argv[2];

/** One operation, n times in a loop; returns something derived from the work. */
type Loop = (n: number) => number;

/** What one request asks for. */
export interface OpRequest {
  op: OpName;
  where: 'callback' | 'top';
  /** Values bound in the scope the loop runs in (1 = the one var / key read by `get`). */
  vars: number;
  n?: number;
  calibrate?: number;
}

/** The operations, each the idiom of its side (see docs/performance.md). */
export type OpName = 'with' | 'api-with' | 'with-fresh' | 'get' | 'set-reset';

const noop = (): number => 1;
const K2 = createContextKey('otel-contextvars.bench.k2');
const MAX_VARS = 1000;

/** `with` and `context.with`: the same code on both sides; only the registered manager differs. */
function withLoops(manager: api.ContextManager): Record<'with' | 'api-with' | 'with-fresh', Loop> {
  return {
    'with-fresh'(n) {
      let s = 0;
      for (let i = 0; i < n; i++) s += manager.with(manager.active().setValue(K2, i), noop);
      return s;
    },
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
  };
}

interface SideOps {
  manager: api.ContextManager;
  /** Runs fn in a scope binding `vars` values. */
  scope(vars: number, fn: () => number): number;
  loops: Record<OpName, Loop>;
}

function oursSide(): SideOps {
  const manager = new lib.ContextVarsContextManager();
  const V = new lib.ContextVar<number>('v');
  const others = Array.from({ length: MAX_VARS - 1 }, (_, i) => new lib.ContextVar<number>(`other${i}`));
  const bound = (vars: number): OtelContext =>
    others.slice(0, vars - 1).reduce<OtelContext>((c, o, i) => o.setIn(c, i), ROOT_CONTEXT);
  const scopes = new Map<number, OtelContext>();
  return {
    manager,
    scope(vars, fn) {
      if (vars === 1) return V.run(1, fn);
      let ctx = scopes.get(vars);
      if (ctx === undefined) scopes.set(vars, (ctx = bound(vars)));
      // The other vars come in through with(); the measured var through run(), as for one var.
      return manager.with(ctx, () => V.run(1, fn));
    },
    loops: {
      ...withLoops(manager),
      get(n) {
        let s = 0;
        for (let i = 0; i < n; i++) s += V.get();
        return s;
      },
      'set-reset'(n) {
        for (let i = 0; i < n; i++) {
          const t = V.set(i);
          V.reset(t);
        }
        return n;
      },
    },
  };
}

function stockSide(): SideOps {
  const manager = new asyncHooks.AsyncLocalStorageContextManager();
  const K = createContextKey('otel-contextvars.bench.v');
  const others = Array.from({ length: MAX_VARS - 1 }, (_, i) => createContextKey(`otel-contextvars.bench.other${i}`));
  const scopes = new Map<number, OtelContext>();
  return {
    manager,
    scope(vars, fn) {
      let ctx = scopes.get(vars);
      if (ctx === undefined) {
        ctx = others
          .slice(0, vars - 1)
          .reduce<OtelContext>((c, k, i) => c.setValue(k, i), ROOT_CONTEXT)
          .setValue(K, 1);
        scopes.set(vars, ctx);
      }
      return context.with(ctx, fn);
    },
    loops: {
      ...withLoops(manager),
      get(n) {
        let s = 0;
        for (let i = 0; i < n; i++) s += context.active().getValue(K) as number;
        return s;
      },
      // The stock manager's idiom for "set a value for what follows": a nested with().
      'set-reset'(n) {
        let s = 0;
        for (let i = 0; i < n; i++) s += context.with(context.active().setValue(K, i), noop);
        return s;
      },
    },
  };
}

const ops = side === 'ours' ? oursSide() : side === 'stock' ? stockSide() : undefined;
if (ops === undefined) throw new Error(`ops-child: side must be ours or stock, got ${side}`);
context.setGlobalContextManager(ops.manager);

const sideOps = ops;

function handle(req: OpRequest): number {
  // Requests come from the parent as JSON: the op is checked, not trusted.
  const loop = (sideOps.loops as Partial<Record<string, Loop>>)[req.op];
  if (loop === undefined) throw new Error(`ops-child: unknown op ${req.op}`);
  return sideOps.scope(req.vars, () => {
    if (req.calibrate !== undefined) return calibrate(loop, req.calibrate, cpuClock);
    const n = req.n!;
    return timeOnce(loop, n, cpuClock) / n;
  });
}

function onEventLoop(req: OpRequest): void {
  setImmediate(() => {
    reply(handle(req));
    onEventLoop(readSyncRequest() as OpRequest);
  });
}

reply('ready');
// Module top level: 'top' requests are answered right here, with no callback on the stack.
for (;;) {
  const req = readSyncRequest() as OpRequest;
  if (req.where === 'top') {
    reply(handle(req));
    continue;
  }
  onEventLoop(req);
  break;
}
