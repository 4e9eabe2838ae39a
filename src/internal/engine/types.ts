import type { Context as OtelContext } from '@opentelemetry/api';

/**
 * The identity behind a Python-style `Context`: what a Token belongs to and what `Context.run`
 * enters. It owns its state, as CPython's context object does (only enter and exit change it):
 * `context` is the mapping the Context shows when read from outside, updated by the sets made while
 * it is entered (in a run of it, or in async work that run scheduled) and by the end of a run
 * that entered it. Code running in the cell reads the live frame instead.
 */
export class Cell {
  #context: OtelContext;
  #entered = false;
  /** The public Context object for this cell, made on first request. */
  facade: object | undefined = undefined;

  constructor(context: OtelContext) {
    this.#context = context;
  }

  /** The mapping this cell holds: what a run entering it starts from. */
  get context(): OtelContext {
    return this.#context;
  }

  /** True while a run has entered the cell (Python refuses to enter an entered Context). */
  get entered(): boolean {
    return this.#entered;
  }

  /** Marks the cell entered for the duration of a run. */
  enter(): void {
    this.#entered = true;
  }

  /** Ends a run of the cell: it keeps `context`, the mapping current when the run ended. */
  exit(context: OtelContext): void {
    this.#context = context;
    this.#entered = false;
  }

  /** Keeps a mapping set in a frame that belongs to a run of this cell (after an await, too). */
  keep(context: OtelContext): void {
    this.#context = context;
  }
}

/**
 * What the engine keeps current: a cell, the OpenTelemetry Context active in it, and whether the
 * frame descends from a run that entered the cell (only those sets are kept by the cell: a set in
 * a request handler running in the root cell never shows through the root Context). Frames never
 * change once made, so a frame captured by scheduled work stays what it was.
 */
export interface Frame {
  readonly cell: Cell;
  readonly context: OtelContext;
  readonly inRun: boolean;
}

/**
 * What closes a scope: its place on the engine's stack of open scopes (-1 where the engine can
 * only wrap a call), or, for the async-hooks engine's `with`, a record of what the scope replaced
 * (a young object the caller holds costs less there than a place on a long-lived stack).
 */
export type Mark = number | object;

/**
 * One implementation per way a runtime can carry context, chosen once at load (see index.ts).
 * Read the current frame; make one current for the rest of the synchronous run (`enterWith`);
 * open and close a synchronous scope. Scopes are opened and closed by the public methods
 * themselves (`ContextVar.run`, `Context.run`, `isolated`, the manager's `with` and bound
 * functions), around their own call of the user's function, as `AsyncLocalStorage.run` does:
 * a wrapper function per scope would add a JS frame per nesting level, and nesting depth is what
 * users hit first (measured: two frames per level reach 80% of `AsyncLocalStorage.run`'s depth).
 */
export interface Engine {
  /** Which implementation this is, for tests and diagnostics. */
  readonly kind: EngineKind;
  /** The frame code runs in now; the root frame outside any. */
  current(): Frame;
  /**
   * Makes `next` current for the rest of this synchronous run and everything it schedules from
   * now on, never for the next callback of the same async resource (Python's `ContextVar.set`,
   * OTel's `attach`, Node's `enterWith` without its leak). `next` is derived from what `current()`
   * returned in the same synchronous stretch, with no user code run in between.
   * @throws RuntimeError on the run-scoped engine outside any scope.
   */
  set(next: Frame): void;
  /**
   * Opens a scope in `cell`, entered until the scope closes, with `context` current. Returns the
   * mark to close it with, or -1 on an engine that can only wrap a call ({@link Engine.wrap}).
   */
  enter(cell: Cell, context: OtelContext): number;
  /** Opens a scope with `context` current in the current cell; returns a mark, or -1 (see enter). */
  with(context: OtelContext): Mark;
  /**
   * Closes the scope opened at `mark` and any opened after it and left open (a stack overflow can
   * skip a `finally`): the frame current before it is back, and a cell it entered keeps the
   * mapping current at its close, as a Python Context keeps what ran inside it.
   */
  exit(mark: Mark): void;
  /** Calls `fn` in a scope in `cell` (or, when `cell` is null, in the current cell) on an engine whose enter/with returned -1. */
  wrap<R>(
    cell: Cell | null,
    context: OtelContext,
    fn: (...a: never) => R,
    thisArg: unknown,
    args: readonly unknown[],
  ): R;
  /**
   * Makes every frame made before active nowhere (the managers' `disable()`): the engine moves to
   * a new slot (a new AsyncLocalStorage, a new resource symbol), so nothing is checked per read.
   */
  disable(): void;
}

/**
 * `async-context-frame`: AsyncLocalStorage on AsyncContextFrame (Node 24+, 22 with a flag).
 * `async-hooks`: this package's own resource storage on public async_hooks (Node 20, 22, and 24+
 * with `--no-async-context-frame`). `fallback`: plain AsyncLocalStorage on async hooks, used when
 * the start-up self-check of `async-hooks` fails: values always seen, may leak into the next
 * callback of one resource. `run-scoped`: only `AsyncLocalStorage.run` works (Cloudflare workerd,
 * Vercel/Next.js edge): one mutable box per scope. `synchronous`: no AsyncLocalStorage at all
 * (browsers): scopes hold for synchronous code only, as OpenTelemetry's StackContextManager.
 */
export type EngineKind = 'async-context-frame' | 'async-hooks' | 'fallback' | 'run-scoped' | 'synchronous';
