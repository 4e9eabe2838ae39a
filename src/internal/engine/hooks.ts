import type { Context as OtelContext } from '@opentelemetry/api';
import { scopedEngine } from './call';
import type { AsyncHooksHost } from './host';
import { rootFrame } from './root';
import type { Cell, Engine, Frame } from './types';

/** An async resource as this engine sees it: any object, carrying the frame under our symbol. */
type Resource = Record<symbol, Frame | undefined>;

/** What the async-hooks engine needs of `node:async_hooks`. */
export type HooksHost = Required<Pick<AsyncHooksHost, 'createHook' | 'executionAsyncResource'>>;

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
 * `executionAsyncResource()`. Owning the slot lets it undo a `set` at the end of the synchronous
 * run that made it: work scheduled during the run copied the frame already and keeps it; the
 * resource's next callback starts from what it held before.
 */
export function createHooksEngine(host: HooksHost, first: Frame): HooksEngine {
  const { createHook, executionAsyncResource } = host;
  const key = Symbol('otel-contextvars.frame');
  const hook = createHook({
    init(_asyncId, _type, _triggerAsyncId, resource) {
      // Copied even when undefined, so a resource object reused by Node starts clean.
      (resource as Resource)[key] = (executionAsyncResource() as Resource)[key];
    },
  });
  let root = first;
  // Enabled on the first write: until then every frame is the root frame, and a process that
  // loads the package without using it pays nothing per async resource.
  let enabled = false;
  // The resource and frame `current()` last read: `set` follows it with no user code in between,
  // and `executionAsyncResource()` is the largest single cost of a set.
  let lastRes: Resource | null = null;
  let lastFrame: Frame | null = null;
  // The open scopes of this synchronous run, innermost last: the resource each wrote, what it held
  // before, and the cell it entered (null for a `with`). A set on the innermost scope's resource
  // needs no undo record: the scope's close restores it.
  // Slots past `depth` are cleared, never shrunk: changing an array's length costs more than the
  // rest of a scope.
  const scopeRes: (Resource | null)[] = [];
  const scopeBefore: (Frame | undefined)[] = [];
  const scopeCell: (Cell | null)[] = [];
  let depth = 0;
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

  function frameOf(res: Resource): Frame {
    const frame = res[key];
    return frame?.epoch === root.epoch ? frame : root;
  }

  function current(): Frame {
    const res = executionAsyncResource() as Resource;
    lastRes = res;
    return (lastFrame = frameOf(res));
  }

  function set(next: Frame): void {
    enable();
    let res = lastRes;
    if (res === null || frameOf(res) !== lastFrame) res = executionAsyncResource() as Resource;
    if (depth === 0 || res !== scopeRes[depth - 1]) {
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
    lastFrame = next;
  }

  function seal(): void {
    // Newest first, so a resource touched twice (A, B, A) ends with what it held at the start.
    // A resource whose frame changed since (a run put its own back) is left alone.
    for (let i = undoRes.length - 1; i >= 0; i--) {
      const res = undoRes[i];
      if (res[key] === undoFrame[i]) res[key] = undoBefore[i];
    }
    undoRes.length = 0;
    undoBefore.length = 0;
    undoFrame.length = 0;
    sealScheduled = false;
    lastRes = null;
    lastFrame = null;
  }

  function open(res: Resource, cell: Cell | null): number {
    const mark = depth;
    scopeRes[mark] = res;
    scopeBefore[mark] = res[key];
    scopeCell[mark] = cell;
    depth = mark + 1;
    return mark;
  }

  function enter(cell: Cell, context: OtelContext): number {
    enable();
    const res = executionAsyncResource() as Resource;
    const mark = open(res, cell);
    cell.enter();
    res[key] = { cell, context, inRun: true, epoch: root.epoch };
    return mark;
  }

  function withData(context: OtelContext): number {
    enable();
    const res = executionAsyncResource() as Resource;
    const mark = open(res, null);
    const outer = frameOf(res);
    res[key] = outer.context === context ? outer : { cell: outer.cell, context, inRun: outer.inRun, epoch: root.epoch };
    return mark;
  }

  function exit(mark: number): void {
    // Innermost first, so a resource written by two scopes ends with what it held before both.
    for (let i = depth - 1; i >= mark; i--) {
      const res = scopeRes[i];
      const cell = scopeCell[i];
      if (res === null) continue; // never below depth: every open slot holds its resource
      if (cell !== null) {
        // Read afresh: the call's own sets may have left another frame here.
        const inner = res[key];
        cell.exit(inner?.cell === cell ? inner.context : cell.context);
      }
      res[key] = scopeBefore[i];
      // Cleared, so the stack keeps no resource, frame or cell alive after its scope.
      scopeRes[i] = null;
      scopeBefore[i] = undefined;
      scopeCell[i] = null;
    }
    depth = mark;
    // The read cache must not keep the scope's frame (and every value in it) alive.
    lastRes = null;
    lastFrame = null;
  }

  function disable(): void {
    root = rootFrame(root.cell, root.epoch + 1);
  }

  function dispose(): void {
    hook.disable();
    // Marked enabled so that no later write turns the hook back on: disposed means for good.
    enabled = true;
  }

  return { ...scopedEngine('async-hooks', { current, set, enter, with: withData, exit, disable }), seal, dispose };
}
