// Memory figures: bytes a live context retains per bound var, from heap deltas around building
// many contexts and keeping them alive (needs --expose-gc).
import * as api from '@opentelemetry/api';
import type { Context as OtelContext } from '@opentelemetry/api';
import * as lib from 'otel-contextvars';
import { consume, median } from './harness';
import type { Row } from './report';

const { ROOT_CONTEXT, createContextKey } = api;
// Live contexts per measurement: enough that the heap delta dwarfs GC noise, few enough that the
// stock side (which copies its Map at every setValue) builds them in a second.
const LIVE_VARS = 100_000;

function gc(): void {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (collect === undefined) throw new Error('run with node --expose-gc');
  collect();
  collect();
}

/** Heap bytes retained per context built by `build(i)`, median of 3 tries. */
function bytesPerContext(build: (i: number) => unknown, count: number): number {
  const tries: number[] = [];
  for (let t = 0; t < 3; t++) {
    gc();
    const before = process.memoryUsage().heapUsed;
    const live = new Array<unknown>(count);
    for (let i = 0; i < count; i++) live[i] = build(i);
    gc();
    const after = process.memoryUsage().heapUsed;
    consume(live);
    tries.push((after - before) / count);
  }
  return median(tries);
}

const bytes = (x: number): string => `${x.toFixed(0)} B`;

/** Rows: bytes per bound var per live context, ours against stock BaseContext. */
export function memoryRows(): Row[] {
  const vars = Array.from({ length: 100 }, (_, i) => new lib.ContextVar<number>(`m${i}`));
  const keys = vars.map((_, i) => createContextKey(`otel-contextvars.bench.m${i}`));
  const rows: Row[] = [];
  // Values are small integers (stored inline, no allocation of their own), so the deltas are
  // the structures: ours a trie of leaves and nodes, stock a Map per context.
  for (const k of [1, 10, 100]) {
    const ours = bytesPerContext((i) => {
      let c: OtelContext = ROOT_CONTEXT;
      for (let j = 0; j < k; j++) c = vars[j].setIn(c, i + j);
      return c;
    }, LIVE_VARS / k);
    const stock = bytesPerContext((i) => {
      let c: OtelContext = ROOT_CONTEXT;
      for (let j = 0; j < k; j++) c = c.setValue(keys[j], i + j);
      return c;
    }, LIVE_VARS / k);
    rows.push({
      figure: `memory: bytes per bound var per live context, ${k} var${k > 1 ? 's' : ''} bound, nothing shared`,
      ours: bytes(ours / k),
      base: bytes(stock / k),
      ratio: ours / stock,
      goal: null,
    });
  }
  // The common shape: many live contexts derived from one parent (100 vars), each setting one
  // more. Ours shares the parent's trie and copies one path; BaseContext copies its whole Map.
  let oursParent: OtelContext = ROOT_CONTEXT;
  let stockParent: OtelContext = ROOT_CONTEXT;
  for (let j = 0; j < 99; j++) {
    oursParent = vars[j].setIn(oursParent, j);
    stockParent = stockParent.setValue(keys[j], j);
  }
  const ours = bytesPerContext((i) => vars[99].setIn(oursParent, i), 20_000);
  const stock = bytesPerContext((i) => stockParent.setValue(keys[99], i), 5_000);
  rows.push({
    figure: 'memory: bytes per live child context setting 1 var on a 99-var parent',
    ours: bytes(ours),
    base: bytes(stock),
    ratio: ours / stock,
    goal: null,
  });
  // A Python-style Context (copyContext) on top of its OTel context: the cell and the facade.
  const withVars = vars.slice(0, 10).reduce<OtelContext>((c, v, j) => v.setIn(c, j), ROOT_CONTEXT);
  const manager = new lib.ContextVarsContextManager();
  const snapshot = manager.with(withVars, () => bytesPerContext(() => lib.copyContext(), 20_000));
  rows.push({
    figure: 'memory: copyContext() snapshot (10 vars bound, trie shared) / bare OTel context, bytes each',
    ours: bytes(snapshot),
    base: '-',
    ratio: NaN,
    goal: null,
  });
  return rows;
}
