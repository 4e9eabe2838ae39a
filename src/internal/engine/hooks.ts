import type { Context as OtelContext } from '@opentelemetry/api';
import { scopedEngine } from './call';
import type { AsyncHooksHost } from './host';
import { leaveAll } from './root';
import type { Cell, Engine, Frame, Mark } from './types';

/** An async resource as this engine sees it: any object, carrying the frame under our symbol. */
type Resource = Record<symbol, Frame | undefined>;

/**
 * What the async-hooks engine needs of `node:async_hooks`. Without `executionAsyncId` it works
 * the same, without its cache of the current resource.
 */
export type HooksHost = Required<Pick<AsyncHooksHost, 'createHook' | 'executionAsyncResource'>> &
  Pick<AsyncHooksHost, 'executionAsyncId'>;

// What the cache is keyed by when it holds no id, and the id every callback reads as without
// executionAsyncId: never equal, so the cache never hits by id then.
const EMPTY = -1;
const NO_ID = -2;
const noId = (): number => NO_ID;

/**
 * What a `with` scope replaced, held by its caller until the scope closes: the resource, the frame
 * it held, the depth of the stack of entered scopes, and the slot's symbol (a disable() in between
 * moves to another one).
 */
interface WithMark {
  readonly res: Resource;
  readonly before: Frame | undefined;
  readonly depth: number;
  readonly key: symbol;
}

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
   * The cache of the current resource: the resource of async id `cachedId` and its frame (root
   * for none). Node runs each callback with its resource's async id current (the two are pushed
   * and popped together), so while executionAsyncId() is `cachedId`, executionAsyncResource() is
   * `cachedRes` and need not be asked again. Asking costs more than the rest of a `get`: a
   * server's callbacks run on many kinds of resource, which makes every property access on "the
   * current resource" megamorphic, Node's own inside executionAsyncResource() and ours. A write to
   * the cached resource stays in the cache (`dirty`) until the cache changes hands or a seal, so
   * a `with` writes no resource at all. Every read of a slot goes through the cache, which is the
   * truth for its resource; Node never gives one id to two resources. Id 0 (code run from native
   * code outside any callback, such as an ES module's top level) can cover several resources:
   * there only the resource's identity says it is the cached one (`cachedId` is EMPTY).
   */
  cachedId: number;
  cachedRes: Resource;
  cachedFrame: Frame;
  dirty: boolean;
  /** What the cache holds when it holds no resource (never the current one). */
  readonly none: Resource;
  /**
   * The scopes that entered a cell (Context.run, ContextVar.run, isolated) open in this
   * synchronous run, innermost last, three slots each: the resource the scope wrote, the frame it
   * held before, and the cell. A set on the innermost one's resource needs no undo record: its
   * close restores it. One flat array, cleared slot by slot and never shrunk: changing an array's
   * length, or three arrays, cost more than the rest of a scope (measured on Node 20). A `with`
   * keeps its own record instead (WithMark): a long-lived array written per scope cost a `with`
   * a third of its time on Node 20, a young record its caller holds costs little.
   */
  readonly scopes: (Resource | Frame | Cell | undefined)[];
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
  const executionAsyncId = host.executionAsyncId ?? noId;
  const hook = createHook({
    init(_asyncId, _type, _triggerAsyncId, resource) {
      const s = store;
      // A resource object Node reuses (an HTTP parser) comes back with a new id: its slot is
      // written below, and no frame of its last life is written back over it.
      if (resource === s.cachedRes) {
        s.dirty = false;
        uncache(s);
      }
      const id = executionAsyncId();
      const parent = id === s.cachedId ? s.cachedRes : resourceOf(s, id, executionAsyncResource() as Resource);
      // Copied even when undefined, so a resource object reused by Node starts clean.
      (resource as Resource)[s.key] = parent === s.cachedRes ? s.cachedFrame : parent[s.key];
    },
  });
  const none: Resource = {};
  const store: HooksStore = {
    kind: 'async-hooks',
    host,
    root,
    key: Symbol('otel-contextvars.frame'),
    hook,
    enabled: false,
    cachedId: EMPTY,
    cachedRes: none,
    cachedFrame: root,
    dirty: false,
    none,
    scopes: [],
    depth: 0,
    undoRes: [],
    undoBefore: [],
    undoFrame: [],
    sealScheduled: false,
  };
  return store;
}

/** Writes the cached frame back to its resource. */
function flush(s: HooksStore): void {
  if (s.dirty) {
    s.dirty = false;
    s.cachedRes[s.key] = s.cachedFrame;
  }
}

/** Empties the cache, written back first; an empty cache keeps nothing alive. */
function uncache(s: HooksStore): void {
  flush(s);
  s.cachedId = EMPTY;
  s.cachedRes = s.none;
  s.cachedFrame = s.root;
}

/** Caches `res`, the resource of the current callback (async id `id`), on a cache miss by id. */
function resourceOf(s: HooksStore, id: number, res: Resource): Resource {
  if (res !== s.cachedRes) {
    flush(s);
    s.cachedRes = res;
    s.cachedFrame = res[s.key] ?? s.root;
  }
  s.cachedId = id > 0 ? id : EMPTY;
  return res;
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
  const executionAsyncId = s.host.executionAsyncId ?? noId;
  const { root, scopes, undoRes, undoBefore, undoFrame } = s;

  function enable(): void {
    if (!s.enabled) {
      s.enabled = true;
      s.hook.enable();
    }
  }

  /** The resource the current callback runs in, through the cache (filled on a miss). */
  function currentResource(): Resource {
    const id = executionAsyncId();
    if (id === s.cachedId) return s.cachedRes;
    return resourceOf(s, id, executionAsyncResource() as Resource);
  }

  /** What `res` holds: the cached frame when it is the cached resource (root stands for none). */
  function frameOf(res: Resource): Frame | undefined {
    return res === s.cachedRes ? s.cachedFrame : res[s.key];
  }

  /** Makes `frame` what `res` holds: in the cache when it is the cached resource. */
  function write(res: Resource, frame: Frame | undefined): void {
    if (res === s.cachedRes) {
      s.cachedFrame = frame ?? root;
      s.dirty = true;
    } else {
      res[s.key] = frame;
    }
  }

  function current(): Frame {
    const id = executionAsyncId();
    if (id === s.cachedId) return s.cachedFrame;
    return frameOf(resourceOf(s, id, executionAsyncResource() as Resource)) ?? root;
  }

  function set(next: Frame): void {
    enable();
    const res = currentResource();
    const depth = s.depth;
    if (depth === 0 || res !== scopes[depth - 3]) {
      const n = undoRes.length;
      if (n > 0 && undoRes[n - 1] === res) {
        undoFrame[n - 1] = next;
      } else {
        undoRes.push(res);
        undoBefore.push(frameOf(res));
        undoFrame.push(next);
      }
      if (!s.sealScheduled) {
        s.sealScheduled = true;
        process.nextTick(seal);
      }
    }
    write(res, next);
  }

  function seal(): void {
    // The slots read below are the truth once the cache is written back; between synchronous
    // runs the cache keeps nothing alive.
    uncache(s);
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
  }

  function enter(cell: Cell, context: OtelContext): number {
    if (!s.enabled) enable();
    const res = currentResource();
    const mark = s.depth;
    scopes[mark] = res;
    scopes[mark + 1] = frameOf(res);
    scopes[mark + 2] = cell;
    s.depth = mark + 3;
    cell.enter();
    write(res, { cell, context, inRun: true });
    return mark;
  }

  function withData(context: OtelContext): WithMark {
    if (!s.enabled) enable();
    const res = currentResource();
    const before = frameOf(res);
    const outer = before ?? root;
    write(res, outer.context === context ? outer : { cell: outer.cell, context, inRun: outer.inRun });
    return { res, before, depth: s.depth, key: s.key };
  }

  function exit(mark: Mark): void {
    if (typeof mark === 'number') exitTo(mark);
    else exitWith(mark as WithMark);
  }

  function exitWith(mark: WithMark): void {
    // Entered scopes opened inside and left open (a stack overflow can skip a `finally`).
    if (mark.depth < s.depth) exitTo(mark.depth);
    // A scope open across a disable(): nothing of it comes back.
    if (mark.key === s.key) write(mark.res, mark.before);
  }

  function exitTo(mark: number): void {
    // A scope open across a disable(): the stack was emptied, nothing of it comes back.
    if (mark >= s.depth) return;
    // Innermost first, so a resource written by two scopes ends with what it held before both;
    // usually there is just the one, closed by the try/finally that opened it. A `with` opened
    // inside and left open is undone by this scope's own restore.
    for (let at = s.depth - 3; at >= mark; at -= 3) {
      const res = scopes[at] as Resource;
      const cell = scopes[at + 2] as Cell;
      // Read afresh: the call's own sets may have left another frame here.
      const inner = frameOf(res);
      cell.exit(inner?.cell === cell ? inner.context : cell.context);
      write(res, scopes[at + 1] as Frame | undefined);
      // Cleared, so the stack keeps no resource, frame or cell alive after its scope.
      scopes[at] = undefined;
      scopes[at + 1] = undefined;
      scopes[at + 2] = undefined;
    }
    s.depth = mark;
  }

  function disable(): void {
    leaveAll(scopes, s.depth, 3, 2);
    scopes.fill(undefined);
    s.depth = 0;
    // Not written back: under the old symbol it would be read nowhere anyway.
    s.dirty = false;
    uncache(s);
    s.key = Symbol('otel-contextvars.frame');
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
