import { createHook, executionAsyncResource } from 'node:async_hooks';
import type { Context as OtelContext } from '@opentelemetry/api';
import type { Cell, Engine, Frame } from './types';

/** An async resource as this engine sees it: any object, carrying the frame under our symbol. */
type Resource = Record<symbol, Frame | undefined>;

/** The async-hooks engine, with what its start-up self-check needs to drive it. */
export interface HooksEngine extends Engine {
  /** What the end of a synchronous run does (normally from process.nextTick); for the self-check. */
  seal(): void;
  /** Turns the init hook off for good (the self-check's throwaway instance). */
  dispose(): void;
}

/**
 * The engine where AsyncLocalStorage runs on async hooks (Node 20, 22; 24+ with
 * `--no-async-context-frame`). There `enterWith` writes the store onto the current async resource,
 * where it stays for that resource's next callback: the next request on a keep-alive connection,
 * the next tick of an interval (nodejs/node#41978). This engine keeps its own per-resource frame,
 * with public APIs only, as Node's `executionAsyncResource` documentation shows: an init hook
 * copies the creating resource's frame onto each new resource, and reads go through
 * `executionAsyncResource()`. Owning the slot lets it undo an `enter` at the end of the
 * synchronous run that made it: work scheduled during the run copied the frame already and keeps
 * it; the resource's next callback starts from what it held before.
 */
export function createHooksEngine(root: Frame): HooksEngine {
  const key = Symbol('otel-contextvars.frame');
  const hook = createHook({
    init(_asyncId, _type, _triggerAsyncId, resource) {
      // Copied even when undefined, so a resource object reused by Node starts clean.
      (resource as Resource)[key] = (executionAsyncResource() as Resource)[key];
    },
  });
  // Enabled on the first write: until then every frame is the root frame, and a process that
  // loads the package without using it pays nothing per async resource.
  let enabled = false;
  // The resource `current()` last read: `enter` follows it with no user code in between, and
  // `executionAsyncResource()` is the largest single cost of a set.
  let lastRes: Resource | null = null;
  // The resource of the innermost `run` on the synchronous stack: its `finally` restores it, so
  // an `enter` there needs no undo record.
  let scopeRes: Resource | null = null;
  // Undo records of this synchronous run, one per resource touched in a row: the resource, what
  // it held before, and the frame this run left on it.
  const undoRes: Resource[] = [];
  const undoBefore: (Frame | undefined)[] = [];
  const undoFrame: Frame[] = [];
  let sealScheduled = false;

  function enable(): void {
    if (!enabled) {
      enabled = true;
      hook.enable();
    }
  }

  function current(): Frame {
    const res = executionAsyncResource() as Resource;
    lastRes = res;
    return res[key] ?? root;
  }

  function enter(prev: Frame, next: Frame): void {
    next.cell.data = next.data;
    enable();
    let res = lastRes;
    if (res === null || (res[key] ?? root) !== prev) res = executionAsyncResource() as Resource;
    if (res !== scopeRes) {
      const n = undoRes.length;
      if (n > 0 && undoRes[n - 1] === res) {
        undoFrame[n - 1] = next;
      } else {
        undoRes.push(res);
        undoBefore.push(res[key]);
        undoFrame.push(next);
      }
      if (!sealScheduled) {
        sealScheduled = true;
        process.nextTick(seal);
      }
    }
    res[key] = next;
  }

  function seal(): void {
    // Newest first, so a resource touched twice (A, B, A) ends with what it held at the start.
    // A resource whose frame changed since (a `run` put its own back) is left alone.
    for (let i = undoRes.length - 1; i >= 0; i--) {
      const res = undoRes[i];
      if (res[key] === undoFrame[i]) res[key] = undoBefore[i];
    }
    undoRes.length = 0;
    undoBefore.length = 0;
    undoFrame.length = 0;
    sealScheduled = false;
  }

  function run<R>(
    cell: Cell | null,
    data: OtelContext,
    fn: (...a: never) => R,
    thisArg: unknown,
    args: readonly unknown[],
  ): R {
    if (!enabled) enable();
    const res = executionAsyncResource() as Resource;
    const stored = res[key];
    const outer = stored ?? root;
    const entering = cell !== null && cell !== outer.cell;
    const outerScope = scopeRes;
    scopeRes = res;
    if (entering) {
      cell.entered = true;
      res[key] = { cell, data };
    } else {
      res[key] = outer.data === data ? outer : { cell: outer.cell, data };
    }
    try {
      if (thisArg !== undefined) return Reflect.apply(fn, thisArg, args) as R;
      // fn takes `never` arguments: tsc rejects a call with none unless asserted.
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
      return args.length === 0 ? (fn as () => R)() : (fn as (...a: unknown[]) => R)(...args);
    } finally {
      if (entering) {
        // Python keeps what ran inside `ctx.run` in `ctx`: the cell holds the mapping current
        // at the end (a set inside a nested `with` wrote through, but ended with its scope).
        // Read afresh: fn's own runs may have left another frame here (TS still has it narrowed).
        const inner = res[key] as Frame | undefined;
        if (inner?.cell === cell) cell.data = inner.data;
        cell.entered = false;
      }
      res[key] = stored;
      scopeRes = outerScope;
    }
  }

  function dispose(): void {
    hook.disable();
    // Marked enabled so that no later write turns the hook back on: disposed means for good.
    enabled = true;
  }

  return { kind: 'async-hooks', current, enter, run, seal, dispose };
}
