// In-process figures: reads, scoped runs, set/reset and how they scale with the number of vars.
// Both managers live in this process; each batch registers the side it measures with the
// OpenTelemetry API first, so `context.active()` dispatches to that side's manager.
import { AsyncLocalStorage } from 'node:async_hooks';
import * as api from '@opentelemetry/api';
import type { Context as OtelContext, ContextManager } from '@opentelemetry/api';
import * as asyncHooks from '@opentelemetry/context-async-hooks';
import * as lib from 'otel-contextvars';
import { compare, compareAsync } from './harness';
import type { Comparison } from './harness';
import { ns } from './report';
import type { Goal, Row } from './report';

// The built package (dist/cjs, through the package's self-reference), not src: that is what
// users run, and TypeScript sources compiled on the fly by tsx are several times slower (its
// CommonJS output reads every import through a getter). Imports are copied into constants once so
// the hot loops below do not pay for those getters either.
const { ROOT_CONTEXT, context, createContextKey } = api;
const { AsyncLocalStorageContextManager } = asyncHooks;
const { ContextVar, ContextVarsContextManager, copyContext } = lib;

const ours = new ContextVarsContextManager();
const stock = new AsyncLocalStorageContextManager();

function register(m: ContextManager): void {
  // context.disable() unregisters (and disables) whatever is registered; the stock manager
  // re-enables its storage on its next run, ours needs nothing.
  context.disable();
  context.setGlobalContextManager(m);
}
const useOurs = (): void => register(ours);
const useStock = (): void => register(stock);

const V = new ContextVar<number>('v');
const KEY = createContextKey('otel-contextvars.bench.key');
// A module-level array, so closures below cannot constant-fold what they read.
const one = (): number => 1;

const oursCtx1 = V.setIn(ROOT_CONTEXT, 1);
const stockCtx1 = ROOT_CONTEXT.setValue(KEY, 1);

// 999 more vars / keys, for the "1,000 bound" contexts.
const others = Array.from({ length: 999 }, (_, i) => new ContextVar<number>(`other${i}`));
let oursCtx1000: OtelContext = ROOT_CONTEXT;
let stockCtx1000: OtelContext = ROOT_CONTEXT;
for (let i = 0; i < others.length; i++) {
  oursCtx1000 = others[i]!.setIn(oursCtx1000, i);
  stockCtx1000 = stockCtx1000.setValue(createContextKey(`otel-contextvars.bench.k${i}`), i);
}
oursCtx1000 = V.setIn(oursCtx1000, 1);
stockCtx1000 = stockCtx1000.setValue(KEY, 1);
// What HTTP instrumentation builds: a plain BaseContext from ROOT_CONTEXT, here with 1,000 keys,
// and one var set on top of it.
const oursOnForeign1000 = V.setIn(stockCtx1000, 1);
const tenVars = others.slice(0, 9).reduce<OtelContext>((c, v, i) => v.setIn(c, i), oursCtx1);

const floorAls = new AsyncLocalStorage<{ v: number }>();

function row(figure: string, c: Comparison, goal: Goal | null, fmt: (x: number) => string = ns): Row {
  return { figure, ours: fmt(c.a), base: fmt(c.b), ratio: c.ratio, goal };
}

// ---- bodies --------------------------------------------------------------------------------

function getLoop(n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += V.get();
  return s;
}
function apiGetLoop(n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += context.active().getValue(KEY) as number;
  return s;
}
function stockGetLoop(n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += stock.active().getValue(KEY) as number;
  return s;
}
function floorLoop(n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += floorAls.getStore()!.v;
  return s;
}

function oursWithLoop(n: number, ctx: OtelContext = stockCtx1): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += ours.with(ctx, one);
  return s;
}
function stockWithLoop(n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += stock.with(stockCtx1, one);
  return s;
}
function apiWithLoop(n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += context.with(stockCtx1, one);
  return s;
}

function setResetLoop(n: number): number {
  for (let i = 0; i < n; i++) {
    const t = V.set(i);
    V.reset(t);
  }
  return n;
}
function apiSetLoop(n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += context.with(context.active().setValue(KEY, i), one);
  return s;
}
function stockSetLoop(n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += stock.with(stock.active().setValue(KEY, i), one);
  return s;
}

function copyLoop(n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += copyContext() === undefined ? 0 : 1;
  return s;
}
function iterateLoop(n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) for (const [, value] of copyContext()) s += value as number;
  return s;
}

// Runs `body` inside `with(ctx)` of `m`: one scope per batch, so a set() in the body never
// outlives the batch, and the measured operation runs where request code runs.
const inOurs = (ctx: OtelContext, body: (n: number) => number) => (n: number) => ours.with(ctx, body, undefined, n);
const inStock = (ctx: OtelContext, body: (n: number) => number) => (n: number) => stock.with(ctx, body, undefined, n);

/** Every in-process timing figure, in table order. */
export async function microRows(log: (s: string) => void): Promise<{ goals: Row[]; complexity: Row[] }> {
  const goals: Row[] = [];
  const complexity: Row[] = [];
  const floorBody = (n: number) => floorAls.run({ v: 1 }, floorLoop, n);

  log('get');
  goals.push(row('v.get() / context.active().getValue(k), stock via API',
    compare(inOurs(oursCtx1, getLoop), inStock(stockCtx1, apiGetLoop), { beforeA: useOurs, beforeB: useStock }), { op: '<=', value: 0.8 }));
  goals.push(row('v.get() / stock.active().getValue(k), direct',
    compare(inOurs(oursCtx1, getLoop), inStock(stockCtx1, stockGetLoop)), { op: '<=', value: 0.8 }));
  goals.push(row('context.active().getValue(k) via API: ours registered / stock registered',
    compare(inOurs(stockCtx1, apiGetLoop), inStock(stockCtx1, apiGetLoop), { beforeA: useOurs, beforeB: useStock }), null));
  goals.push(row('v.get() / raw AsyncLocalStorage getStore() (floor)',
    compare(inOurs(oursCtx1, getLoop), floorBody), null));
  goals.push(row('stock.active().getValue(k) / raw getStore() (floor)',
    compare(inStock(stockCtx1, stockGetLoop), floorBody), null));

  log('with');
  goals.push(row('manager.with(ctx, fn), direct',
    compare((n) => oursWithLoop(n), stockWithLoop), { op: '<=', value: 1.02 }));
  goals.push(row('context.with(ctx, fn) via API, each registered',
    compare(apiWithLoop, apiWithLoop, { beforeA: useOurs, beforeB: useStock }), { op: '<=', value: 1.02 }));

  log('set/reset');
  goals.push(row('v.set(x)+v.reset(t) / context.with(active().setValue(k,x), fn) via API',
    compare(inOurs(oursCtx1, setResetLoop), inStock(stockCtx1, apiSetLoop), { beforeA: useOurs, beforeB: useStock }), { op: '<=', value: 0.8 }));
  goals.push(row('v.set(x)+v.reset(t) / stock.with(stock.active().setValue(k,x), fn) direct',
    compare(inOurs(oursCtx1, setResetLoop), inStock(stockCtx1, stockSetLoop)), { op: '<=', value: 0.8 }));
  // Outside any with(): a callback's top level, where (on Node 20/22) set() records the frame for
  // the end-of-run undo. Each batch awaits a macrotask so that undo is inside the timing.
  // The loop runs in a fresh setImmediate callback (a callback's top level, as in an event
  // handler), so nothing it enters stays in this function's context on Node 24+.
  const inCallback = (body: (n: number) => number) => (n: number) =>
    new Promise<number>((resolve) => setImmediate(() => {
      const s = body(n);
      setImmediate(resolve, s);
    }));
  const bare = await compareAsync(
    inCallback(setResetLoop),
    inCallback((n) => stock.with(stockCtx1, stockSetLoop, undefined, n)),
    20_000, 15);
  goals.push(row('same, set/reset outside any with() (end-of-run undo included)', bare, { op: '<=', value: 0.8 }));

  log('scaling');
  goals.push(row('set+reset, 1,000 vars bound / 1 bound (ours)',
    compare(inOurs(oursCtx1000, setResetLoop), inOurs(oursCtx1, setResetLoop)), { op: '<=', value: 1.5 }));
  goals.push(row('set+reset on a foreign BaseContext of 1,000 keys / 1 bound (ours)',
    compare(inOurs(oursOnForeign1000, setResetLoop), inOurs(oursCtx1, setResetLoop)), { op: '<=', value: 1.5 }));
  goals.push(row('stock with(setValue), 1,000 keys / 1 key (BaseContext copies its Map)',
    compare(inStock(stockCtx1000, stockSetLoop), inStock(stockCtx1, stockSetLoop)), null));

  log('complexity');
  complexity.push(row('get: 1,000 vars bound / 1 bound',
    compare(inOurs(oursCtx1000, getLoop), inOurs(oursCtx1, getLoop)), null));
  complexity.push(row('copyContext(): 1,000 vars bound / 1 bound',
    compare(inOurs(oursCtx1000, copyLoop), inOurs(oursCtx1, copyLoop)), null));
  complexity.push(row('with(ctx, fn): ctx with 1,000 vars / 1 var',
    compare((n) => oursWithLoop(n, oursCtx1000), (n) => oursWithLoop(n, oursCtx1)), null));
  const perEntry = compare(inOurs(oursCtx1000, iterateLoop), inOurs(tenVars, iterateLoop));
  complexity.push(row('Context iteration per entry: 1,000 vars / 10 vars',
    { a: perEntry.a / 1000, b: perEntry.b / 10, ratio: perEntry.ratio / 100 }, null));
  return { goals, complexity };
}
