import { AsyncLocalStorage } from 'node:async_hooks';
import type { Context as OtelContext } from '@opentelemetry/api';
import type { Cell, Engine, EngineKind, Frame } from './types';

/**
 * The engine on Node's own AsyncLocalStorage, used as it is. Right where AsyncLocalStorage runs
 * on AsyncContextFrame (Node 24+, 22 with `--experimental-async-context-frame`): every callback
 * starts from the frame captured when it was scheduled, so `enterWith` never reaches the next
 * callback of the same resource. Elsewhere it is only the fallback (see index.ts): values are
 * always seen, but `enterWith` sticks to the current resource (nodejs/node#41978).
 */
export function createAlsEngine(kind: EngineKind, root: Frame): Engine {
  const als = new AsyncLocalStorage<Frame>();

  function current(): Frame {
    return als.getStore() ?? root;
  }

  function enter(_prev: Frame, next: Frame): void {
    next.cell.data = next.data;
    als.enterWith(next);
  }

  function run<R>(
    cell: Cell | null,
    data: OtelContext,
    fn: (...a: never) => R,
    thisArg: unknown,
    args: readonly unknown[],
  ): R {
    const stored = als.getStore();
    const outer = stored ?? root;
    const entering = cell !== null && cell !== outer.cell;
    if (!entering && outer.data === data) {
      // Already there (`with(active(), fn)`, a bound function called in its own context): skip
      // the new AsyncContextFrame, the largest cost here. Unlike AsyncLocalStorage.run's own
      // shortcut, a set() inside fn must still not reach the caller: put the caller's frame back.
      try {
        if (thisArg !== undefined) return Reflect.apply(fn, thisArg, args) as R;
        // fn takes `never` arguments: tsc rejects a call with none unless asserted.
        // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
        return args.length === 0 ? (fn as () => R)() : (fn as (...a: unknown[]) => R)(...args);
      } finally {
        if (als.getStore() !== stored) als.enterWith(outer);
      }
    }
    if (entering) cell.entered = true;
    // What AsyncLocalStorage.run does on AsyncContextFrame (enter, call, enter the prior store),
    // without its second getStore() and its extra JS frame per nesting level.
    als.enterWith({ cell: entering ? cell : outer.cell, data });
    try {
      if (thisArg !== undefined) return Reflect.apply(fn, thisArg, args) as R;
      // fn takes `never` arguments: tsc rejects a call with none unless asserted.
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
      return args.length === 0 ? (fn as () => R)() : (fn as (...a: unknown[]) => R)(...args);
    } finally {
      if (entering) {
        // As in hooks.ts: the cell keeps the mapping current at the end of `ctx.run`.
        const inner = als.getStore();
        if (inner?.cell === cell) cell.data = inner.data;
        cell.entered = false;
      }
      als.enterWith(outer);
    }
  }

  return { kind, current, enter, run };
}
