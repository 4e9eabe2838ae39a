// Per-operation figures: with, get, set+reset and how set+reset scales with the number of bound
// vars. Each side runs in its own child (ops-child.ts) with only its own manager registered; the
// parent asks the two in alternating rounds and keeps the median of per-round ratios, pooled over
// several fresh pairs of children.
// The complexity rows at the end are ours only, measured in this process.
import * as api from '@opentelemetry/api';
import type { Context as OtelContext } from '@opentelemetry/api';
import * as lib from 'otel-contextvars';
import { onPairs } from './child';
import type { Child } from './child';
import { alternate, compare, pool } from './harness';
import type { Comparison, Rounds } from './harness';
import type { OpName, OpRequest } from './ops-child';
import { ns } from './report';
import type { Goal, Row } from './report';

/** Pairs of fresh child processes (one per side) each figure is measured on, pooled. */
const PAIRS = 3;
/** Alternating rounds per pair. */
const ROUNDS = 11;
const WARMUP = 5;
/** Target CPU time of one timed batch, ms. */
const BATCH_MS = 20;
/** The bound-var counts of the set+reset chart. */
export const VAR_COUNTS = [1, 10, 100, 1000] as const;

type Where = OpRequest['where'];

/**
 * Calibrates on both sides (the slower one sets n), then times in alternating rounds. The first
 * calibration only warms up: in a fresh child the loop starts unoptimized, which would size the
 * batches far too small.
 */
async function compareOp(a: Child, reqA: OpRequest, b: Child, reqB: OpRequest): Promise<Rounds> {
  let n = Infinity;
  for (let i = 0; i < 2; i++) {
    n = Math.min(
      await a.ask<number>({ ...reqA, calibrate: BATCH_MS }),
      await b.ask<number>({ ...reqB, calibrate: BATCH_MS }),
    );
  }
  return alternate(
    () => a.ask<number>({ ...reqA, n }),
    () => b.ask<number>({ ...reqB, n }),
    ROUNDS,
    WARMUP,
  );
}

function row(figure: string, c: Comparison, goal: Goal | null): Row {
  return { figure, ours: ns(c.a), base: ns(c.b), ratio: c.ratio, goal };
}

const OPS: readonly { op: OpName; figure: string; goal: Goal | null }[] = [
  {
    op: 'with',
    figure: 'manager.with(ctx, noop), ctx = active().setValue(k2,v) made once',
    goal: { op: '<=', value: 1.0 },
  },
  { op: 'api-with', figure: 'context.with(ctx, noop) through the API, ctx made once', goal: { op: '<=', value: 1.0 } },
  // What instrumentation does before each scope (trace.setSpan(context.active(), span)): information.
  { op: 'with-fresh', figure: 'manager.with(active().setValue(k2,i), noop), a new context each call', goal: null },
  { op: 'get', figure: 'v.get() / context.active().getValue(k)', goal: { op: '<=', value: 0.8 } },
  {
    op: 'set-reset',
    figure: 'v.set(x); v.reset(t) / context.with(active().setValue(k,x), noop)',
    // The goal: 0.8 where AsyncLocalStorage runs on async hooks (Node 20, 22), 1.0 on Node 24+.
    goal: { op: '<=', value: Number(process.versions.node.split('.')[0]) >= 24 ? 1.0 : 0.8 },
  },
];

/** The set+reset cost at each bound-var count, both sides (for the chart and its table). */
export interface ScalingPoint {
  vars: number;
  ours: number;
  stock: number;
  ratio: number;
}

/** What {@link microRows} measures. */
export interface MicroResult {
  /** In a setImmediate callback within a scope binding one var: the goal rows. */
  goals: Row[];
  /** The same at the child's module top level (still inside that scope): information. */
  topLevel: Row[];
  /** set+reset against the number of bound vars, ours / stock, and ours at 1,000 / at 1. */
  scaling: Row[];
  points: ScalingPoint[];
  /** Ours only, in this process. */
  complexity: Row[];
}

/** Every per-operation figure, in table order. */
export async function microRows(log: (s: string) => void): Promise<MicroResult> {
  // Per figure, the rounds of each pair of processes, pooled at the end.
  const results = new Map<string, Rounds[]>();
  const add = (key: string, r: Rounds): void => void results.set(key, [...(results.get(key) ?? []), r]);
  const pooled = (key: string): Rounds => pool(results.get(key)!);
  let pair = 0;
  await onPairs('ops-child.ts', PAIRS, 'ours', 'stock', async (ours, stock) => {
    pair++;
    const both = (op: OpName, where: Where, vars = 1): Promise<Rounds> =>
      compareOp(ours, { op, where, vars }, stock, { op, where, vars });
    // Module top level first: a child answers 'top' requests until its first 'callback' one.
    log(`per-operation, ours / stock, process pair ${pair} of ${PAIRS}`);
    for (const o of OPS) add(`top ${o.op}`, await both(o.op, 'top'));
    for (const o of OPS) add(`callback ${o.op}`, await both(o.op, 'callback'));
    for (const vars of VAR_COUNTS) add(`vars ${vars}`, await both('set-reset', 'callback', vars));
  });
  // Ours at 1,000 bound vars against ours at 1, each in a child of its own: one process
  // alternating between the two would measure its inline caches turning polymorphic over the
  // two context shapes, not what an app with 1,000 vars pays.
  log('set+reset at 1,000 vars / at 1 var, ours');
  await onPairs('ops-child.ts', PAIRS, 'ours', 'ours', async (many, one) => {
    add(
      'flat',
      await compareOp(many, { op: 'set-reset', where: 'callback', vars: 1000 }, one, {
        op: 'set-reset',
        where: 'callback',
        vars: 1,
      }),
    );
  });
  const topLevel = OPS.map((o) => row(`${o.figure}, module top level`, pooled(`top ${o.op}`), null));
  const goals = OPS.map((o) => row(o.figure, pooled(`callback ${o.op}`), o.goal));
  const points: ScalingPoint[] = [];
  const scaling: Row[] = [];
  for (const vars of VAR_COUNTS) {
    const c = pooled(`vars ${vars}`);
    points.push({ vars, ours: c.a, stock: c.b, ratio: c.ratio });
    scaling.push(
      row(`set+reset, ${vars.toLocaleString('en-US')} var${vars > 1 ? 's' : ''} bound, ours / stock idiom`, c, null),
    );
  }
  scaling.push(row('set+reset, 1,000 vars bound / 1 var bound (ours)', pooled('flat'), { op: '<=', value: 1.5 }));
  log('complexity (in process)');
  return { goals, topLevel, scaling, points, complexity: complexityRows() };
}

// ---- complexity: ours in two states, in this process -------------------------------------------

const { ROOT_CONTEXT } = api;
const { ContextVar, ContextVarsContextManager, copyContext } = lib;

function complexityRows(): Row[] {
  const manager = new ContextVarsContextManager();
  const V = new ContextVar<number>('v');
  const others = Array.from({ length: 999 }, (_, i) => new ContextVar<number>(`other${i}`));
  const ctx1 = V.setIn(ROOT_CONTEXT, 1);
  const ctx1000 = others.reduce<OtelContext>((c, o, i) => o.setIn(c, i), ctx1);
  const ctx10 = others.slice(0, 9).reduce<OtelContext>((c, o, i) => o.setIn(c, i), ctx1);
  const one = (): number => 1;
  const inCtx = (ctx: OtelContext, body: (n: number) => number) => (n: number) => manager.with(ctx, body, undefined, n);
  const getLoop = (n: number): number => {
    let s = 0;
    for (let i = 0; i < n; i++) s += V.get();
    return s;
  };
  const copyLoop = (n: number): number => {
    let s = 0;
    for (let i = 0; i < n; i++) s += copyContext().size;
    return s;
  };
  const iterateLoop = (n: number): number => {
    let s = 0;
    for (let i = 0; i < n; i++) for (const [, value] of copyContext()) s += value as number;
    return s;
  };
  const withLoop =
    (ctx: OtelContext) =>
    (n: number): number => {
      let s = 0;
      for (let i = 0; i < n; i++) s += manager.with(ctx, one);
      return s;
    };
  const rows: Row[] = [
    row('get: 1,000 vars bound / 1 bound', compare(inCtx(ctx1000, getLoop), inCtx(ctx1, getLoop)), null),
    row('copyContext(): 1,000 vars bound / 1 bound', compare(inCtx(ctx1000, copyLoop), inCtx(ctx1, copyLoop)), null),
    row('with(ctx, fn): ctx with 1,000 vars / 1 var', compare(withLoop(ctx1000), withLoop(ctx1)), null),
  ];
  const perEntry = compare(inCtx(ctx1000, iterateLoop), inCtx(ctx10, iterateLoop));
  rows.push(
    row(
      'Context iteration per entry: 1,000 vars / 10 vars',
      { a: perEntry.a / 1000, b: perEntry.b / 10, ratio: perEntry.ratio / 100 },
      null,
    ),
  );
  return rows;
}
