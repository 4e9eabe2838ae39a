import { AsyncLocalStorage, AsyncResource, executionAsyncResource } from 'node:async_hooks';
import { ROOT_CONTEXT, diag } from '@opentelemetry/api';
import type { Context as OtelContext } from '@opentelemetry/api';
import { shared } from './shared';

/**
 * The identity behind a Python-style `Context`: what a Token is bound to and what `Context.run`
 * enters. `data` is the mapping the Context shows when read from outside; while code runs inside
 * it, the live mapping is the current frame's `data`.
 */
export interface Cell {
  data: OtelContext;
  entered: boolean;
  /** The public Context object for this cell, made on first request. */
  facade: object | undefined;
}

/**
 * What the AsyncLocalStorage holds: a cell and the OTel Context active in it. Frames are replaced,
 * never changed, except for `res` and `restore`, which only live until the end of the synchronous
 * run that installed the frame (see `seal`).
 */
export interface Frame {
  readonly cell: Cell;
  readonly data: OtelContext;
  /** The async resource this frame was installed on by `enter`, until sealed; else null. */
  res: object | null;
  /** What `res` held before this run's first `enter`, until sealed; else null. */
  restore: Frame | null;
}

/** An async resource object, as AsyncLocalStorage on async hooks stores frames on it. */
export type Resource = Record<symbol, Frame | undefined>;

function detectStoreKey(als: AsyncLocalStorage<Frame>): symbol | undefined {
  // On the async-hooks engine (Node 20, 22), enterWith writes the store onto the current async
  // resource and it stays there for that resource's next callback: the next request on a
  // keep-alive connection, the next tick of an interval (nodejs/node#41978). On the
  // AsyncContextFrame engine (Node 24+) each callback starts from the frame captured when it was
  // scheduled. Detected, not version-checked: one resource, two callbacks.
  const probe = new AsyncLocalStorage<boolean>();
  const resource = new AsyncResource('otel-contextvars-probe');
  resource.runInAsyncScope(() => probe.enterWith(true));
  const sticky = resource.runInAsyncScope(() => probe.getStore() === true);
  probe.disable();
  resource.emitDestroy();
  if (!sticky) return undefined;
  const key = (als as unknown as { kResourceStore?: unknown }).kResourceStore;
  if (typeof key === 'symbol') return key;
  diag.error('otel-contextvars: this Node.js keeps enterWith stores between callbacks of one resource ' +
    'and exposes no way to undo it; values set without reset may be seen by the next request on a connection');
  return undefined;
}

function createState() {
  const als = new AsyncLocalStorage<Frame>();
  const rootCell: Cell = { data: ROOT_CONTEXT, entered: false, facade: undefined };
  return {
    als,
    storeKey: detectStoreKey(als),
    enabled: false,
    rootCell,
    rootFrame: { cell: rootCell, data: ROOT_CONTEXT, res: null, restore: null } as Frame,
    /** The resource of the innermost scoped run on the current synchronous stack. */
    scopeRes: null as object | null,
    /** Frames installed by `enter` in the current synchronous run, sealed at its end. */
    pending: [] as Frame[],
    sealScheduled: false,
    nextVarId: 0,
    reprCounter: 0,
    /** How many vars were created under each name (bounded; see ContextVar's constructor). */
    nameCounts: new Map<string, number>(),
    namesWarned: false,
    /** Countdown of set() calls to the next look at the globally registered context manager. */
    splitCheckIn: 1,
    splitWarned: false,
  };
}

/** The one process-wide state every copy of the package shares. */
export const engine = shared('engine', createState);
const als = engine.als;
const storeKey = engine.storeKey;

/** True where this process needs (and has) the end-of-run undo of `enter` (Node 20 and 22). */
export const undoesStickyStores: boolean = storeKey !== undefined;

/**
 * The async resource whose store holds the current frame where stores stick to resources (Node
 * 20, 22); null on AsyncContextFrame. Read once per set/reset and handed to `frameOn` and `enter`:
 * `executionAsyncResource()` is the largest single cost of a set on those lines.
 */
export const currentResource: () => Resource | null = storeKey === undefined
  ? () => null
  : () => executionAsyncResource() as Resource;

/** The frame current on `res` (from {@link currentResource}). */
export const frameOn: (res: Resource | null) => Frame = storeKey === undefined
  ? () => als.getStore() ?? engine.rootFrame
  : (res) => res![storeKey] ?? engine.rootFrame;

/** The frame code is running in now. */
export const currentFrame: () => Frame = storeKey === undefined
  ? () => als.getStore() ?? engine.rootFrame
  // The store AsyncLocalStorage.getStore() would read, without its method call and enabled check.
  : () => (executionAsyncResource() as Resource)[storeKey] ?? engine.rootFrame;

function enable(): void {
  // Registers the storage with async_hooks so new resources copy the store (once per process).
  if (!engine.enabled) {
    als.enterWith(als.getStore() as Frame);
    engine.enabled = true;
  }
}

function seal(): void {
  // Runs once the synchronous run that called `enter` is over. Every resource still holding a
  // frame that run installed gets back what it held before, so its next callback (the next
  // request on the connection) starts clean. Work scheduled during the run already copied the
  // frame at its creation and keeps it: set() reaches everything it scheduled, and nothing else.
  const list = engine.pending;
  engine.pending = [];
  engine.sealScheduled = false;
  for (const frame of list) {
    const res = frame.res as Resource;
    if (res[storeKey!] === frame) res[storeKey!] = frame.restore ?? undefined;
  }
  for (const frame of list) {
    frame.res = null;
    frame.restore = null;
  }
}

/**
 * Makes `data` current for the rest of this synchronous run and everything it schedules from now
 * on (Python's `ContextVar.set`, OTel's `attach`, Node's `enterWith`), in `prev`'s cell.
 */
export function enter(prev: Frame, data: OtelContext, res: Resource | null = currentResource()): void {
  const cell = prev.cell;
  // Write-through: a Context read from outside shows the last value set inside it, as in Python.
  cell.data = data;
  if (res === null) {
    als.enterWith({ cell, data, res: null, restore: null });
    return;
  }
  enable();
  if (res === engine.scopeRes) {
    // Inside one of our scoped runs on this resource: its `finally` restores the resource.
    res[storeKey!] = { cell, data, res: null, restore: null };
    return;
  }
  const pending = engine.pending;
  let frame: Frame;
  if (prev.res === res) {
    // A second enter on this resource in this run: keep what it held before the first one.
    frame = { cell, data, res, restore: prev.restore };
    if (pending[pending.length - 1] === prev) {
      // Only the newest frame on a resource is ever restored from; replacing keeps the list as
      // short as the number of resources touched, however many sets one run makes.
      pending[pending.length - 1] = frame;
      prev.res = null;
      prev.restore = null;
    } else {
      pending.push(frame);
    }
  } else {
    frame = { cell, data, res, restore: prev };
    pending.push(frame);
  }
  res[storeKey!] = frame;
  if (!engine.sealScheduled) {
    engine.sealScheduled = true;
    process.nextTick(seal);
  }
}

/**
 * Runs `fn` with `data` current in `cell` (null: the current cell), restoring what was current
 * afterwards, whether `fn` returns or throws. The core of `with`, `Context.run` and `ContextVar.run`.
 */
export const scoped: <R>(cell: Cell | null, data: OtelContext, fn: (...a: never) => R, thisArg: unknown, args: unknown[]) => R =
  storeKey === undefined ? scopedOnFrames : scopedOnResources;

function scopedOnFrames<R>(cell: Cell | null, data: OtelContext, fn: (...a: never) => R, thisArg: unknown, args: unknown[]): R {
  const stored = als.getStore();
  const outer = stored ?? engine.rootFrame;
  if (outer.data === data && (cell === null || cell === outer.cell)) {
    // Already there (`with(active(), fn)`, a bound function called in its own context): skip the
    // new AsyncContextFrame, which costs more than everything else here. Unlike
    // AsyncLocalStorage.run's own shortcut, a set() inside fn must still not reach the caller:
    // if fn entered something, put the caller's frame back.
    try {
      return Reflect.apply(fn, thisArg, args) as R;
    } finally {
      if (als.getStore() !== stored) als.enterWith(stored as Frame);
    }
  }
  const frame: Frame = { cell: cell ?? outer.cell, data, res: null, restore: null };
  return als.run(frame, Reflect.apply, fn, thisArg, args) as R;
}

function scopedOnResources<R>(cell: Cell | null, data: OtelContext, fn: (...a: never) => R, thisArg: unknown, args: unknown[]): R {
  // AsyncLocalStorage.run does the same on this engine; doing it here reads the outer frame from
  // the resource we swap anyway, instead of a second lookup.
  enable();
  const res = executionAsyncResource() as Resource;
  const outer = res[storeKey!];
  const current = outer ?? engine.rootFrame;
  const outerScope = engine.scopeRes;
  res[storeKey!] = { cell: cell ?? current.cell, data, res: null, restore: null };
  engine.scopeRes = res;
  try {
    return Reflect.apply(fn, thisArg, args) as R;
  } finally {
    res[storeKey!] = outer;
    engine.scopeRes = outerScope;
  }
}

/**
 * Runs `fn` inside `cell` (Python's `Context.run`): sets inside are stored in the cell, which is
 * left holding the mapping current when `fn` returns or throws. The caller checks re-entry.
 */
export function runInCell<R>(cell: Cell, fn: (...a: never) => R, thisArg: unknown, args: unknown[]): R {
  cell.entered = true;
  try {
    return scoped(cell, cell.data, runCapturing, undefined, [cell, fn, thisArg, args]) as R;
  } finally {
    cell.entered = false;
  }
}

function runCapturing(cell: Cell, fn: (...a: never) => unknown, thisArg: unknown, args: unknown[]): unknown {
  try {
    return Reflect.apply(fn, thisArg, args);
  } finally {
    const frame = currentFrame();
    if (frame.cell === cell) cell.data = frame.data;
  }
}

/** A fresh cell holding `data` (the identity behind a new Context). */
export function newCell(data: OtelContext): Cell {
  return { data, entered: false, facade: undefined };
}
