import type { Context as OtelContext } from '@opentelemetry/api';
import { scopedEngine } from './call';
import type { AsyncHooksHost } from './host';
import { leaveAll } from './root';
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
 * Everything the async-hooks engine keeps, as data that every loaded copy of the package works on
 * with its own code (see index.ts). The one part that is code is the init hook, made with the
 * store: it copies the slot named by `key` from the creating resource onto each new one.
 */
export interface HooksStore {
  readonly kind: 'async-hooks';
  readonly host: HooksHost;
  readonly root: Frame;
  /** The slot on every resource; disable() moves to a new one, so old frames are read nowhere. */
  key: symbol;
  readonly hook: { enable(): unknown; disable(): unknown };
  /**
   * Whether the init hook is on. It is turned on by the first write: until then every frame is the
   * root frame, and a process that loads the package without using it pays nothing per resource.
   */
  enabled: boolean;
  /**
   * The resource and frame `current()` last read: `set` follows it with no user code in between,
   * and `executionAsyncResource()` is the largest single cost of a set.
   */
  lastRes: Resource | null;
  lastFrame: Frame | null;
  /**
   * The open scopes of this synchronous run, innermost last, three slots each: the resource the
   * scope wrote, the frame it held before, and the cell the scope entered (null for a `with`). A
   * set on the innermost scope's resource needs no undo record: the scope's close restores it.
   * One flat array, cleared slot by slot and never shrunk: changing an array's length, or three
   * arrays, cost more than the rest of a `with` (measured on Node 20).
   */
  readonly scopes: (Resource | Frame | Cell | null | undefined)[];
  depth: number;
  /**
   * Undo records of this synchronous run, one per resource touched in a row: the resource, what it
   * held before, and the frame this run left on it.
   */
  readonly undoRes: Resource[];
  readonly undoBefore: (Frame | undefined)[];
  readonly undoFrame: Frame[];
  sealScheduled: boolean;
}

/** The async-hooks engine's state and its init hook, made once per process by the copy that chose it. */
export function hooksStore(host: HooksHost, root: Frame): HooksStore {
  const { createHook, executionAsyncResource } = host;
  const hook = createHook({
    init(_asyncId, _type, _triggerAsyncId, resource) {
      // Copied even when undefined, so a resource object reused by Node starts clean.
      (resource as Resource)[store.key] = (executionAsyncResource() as Resource)[store.key];
    },
  });
  const store: HooksStore = {
    kind: 'async-hooks',
    host,
    root,
    key: Symbol('otel-contextvars.frame'),
    hook,
    enabled: false,
    lastRes: null,
    lastFrame: null,
    scopes: [],
    depth: 0,
    undoRes: [],
    undoBefore: [],
    undoFrame: [],
    sealScheduled: false,
  };
  return store;
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
export function createHooksEngine(s: HooksStore): HooksEngine {
  const { executionAsyncResource } = s.host;
  const { root, scopes, undoRes, undoBefore, undoFrame } = s;

  function enable(): void {
    if (!s.enabled) {
      s.enabled = true;
      s.hook.enable();
    }
  }

  function current(): Frame {
    const res = executionAsyncResource() as Resource;
    s.lastRes = res;
    return (s.lastFrame = res[s.key] ?? root);
  }

  function set(next: Frame): void {
    enable();
    const key = s.key;
    let res = s.lastRes;
    if (res === null || (res[key] ?? root) !== s.lastFrame) res = executionAsyncResource() as Resource;
    const depth = s.depth;
    if (depth === 0 || res !== scopes[depth - 3]) {
      const n = undoRes.length;
      if (n > 0 && undoRes[n - 1] === res) {
        undoFrame[n - 1] = next;
      } else {
        undoRes.push(res);
        undoBefore.push(res[key]);
        undoFrame.push(next);
      }
      if (!s.sealScheduled) {
        s.sealScheduled = true;
        process.nextTick(seal);
      }
    }
    res[key] = next;
    s.lastFrame = next;
  }

  function seal(): void {
    // Newest first, so a resource touched twice (A, B, A) ends with what it held at the start.
    // A resource whose frame changed since (a run put its own back) is left alone.
    const key = s.key;
    for (let i = undoRes.length - 1; i >= 0; i--) {
      const res = undoRes[i];
      if (res[key] === undoFrame[i]) res[key] = undoBefore[i];
    }
    undoRes.length = 0;
    undoBefore.length = 0;
    undoFrame.length = 0;
    s.sealScheduled = false;
    s.lastRes = null;
    s.lastFrame = null;
  }

  function enter(cell: Cell, context: OtelContext): number {
    if (!s.enabled) enable();
    const res = executionAsyncResource() as Resource;
    const key = s.key;
    const mark = s.depth;
    scopes[mark] = res;
    scopes[mark + 1] = res[key];
    scopes[mark + 2] = cell;
    s.depth = mark + 3;
    cell.enter();
    res[key] = { cell, context, inRun: true };
    return mark;
  }

  function withData(context: OtelContext): number {
    if (!s.enabled) enable();
    const res = executionAsyncResource() as Resource;
    const key = s.key;
    const stored = res[key];
    const mark = s.depth;
    scopes[mark] = res;
    scopes[mark + 1] = stored;
    scopes[mark + 2] = null;
    s.depth = mark + 3;
    const outer = stored ?? root;
    res[key] = outer.context === context ? outer : { cell: outer.cell, context, inRun: outer.inRun };
    return mark;
  }

  function exit(mark: number): void {
    // A scope open across a disable(): the stack was emptied, nothing of it comes back.
    if (mark >= s.depth) return;
    const key = s.key;
    // Innermost first, so a resource written by two scopes ends with what it held before both;
    // usually there is just the one, closed by the try/finally that opened it.
    for (let at = s.depth - 3; at >= mark; at -= 3) {
      const res = scopes[at] as Resource;
      const cell = scopes[at + 2] as Cell | null;
      if (cell !== null) {
        // Read afresh: the call's own sets may have left another frame here.
        const inner = res[key];
        cell.exit(inner?.cell === cell ? inner.context : cell.context);
      }
      res[key] = scopes[at + 1] as Frame | undefined;
      // Cleared, so the stack keeps no resource, frame or cell alive after its scope.
      scopes[at] = undefined;
      scopes[at + 1] = undefined;
      scopes[at + 2] = undefined;
    }
    s.depth = mark;
    // The read cache must not keep the scope's frame (and every value in it) alive.
    s.lastRes = null;
    s.lastFrame = null;
  }

  function disable(): void {
    leaveAll(scopes, s.depth, 3, 2);
    scopes.fill(undefined);
    s.depth = 0;
    s.key = Symbol('otel-contextvars.frame');
    s.lastRes = null;
    s.lastFrame = null;
  }

  function dispose(): void {
    s.hook.disable();
    // Marked enabled so that no later write turns the hook back on: disposed means for good.
    s.enabled = true;
  }

  return { ...scopedEngine('async-hooks', { current, set, enter, with: withData, exit, disable }), seal, dispose };
}

/** An engine on a store of its own, not shared: the self-check's throwaway instance. */
export function newHooksEngine(host: HooksHost, root: Frame): HooksEngine {
  return createHooksEngine(hooksStore(host, root));
}
