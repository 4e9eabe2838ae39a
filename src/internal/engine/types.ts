import type { Context as OtelContext } from '@opentelemetry/api';

/**
 * The identity behind a Python-style `Context`: what a Token is bound to and what `Context.run`
 * enters. `data` is the mapping the Context shows when read from outside: every `enter` in the
 * cell writes through to it (so sets made after an await inside are kept too), and the end of a
 * `run` that entered the cell stores the mapping current then, as a Python Context keeps what ran
 * inside it. Inside the cell, reads use the live frame instead.
 */
export interface Cell {
  data: OtelContext;
  /** True while `run` has entered the cell (Python refuses to enter an entered Context). */
  entered: boolean;
  /** The public Context object for this cell, made on first request. */
  facade: object | undefined;
}

/**
 * What the engine keeps current: a cell and the OpenTelemetry Context active in it. Frames are
 * never changed once made, so a frame captured by scheduled work stays what it was.
 */
export interface Frame {
  readonly cell: Cell;
  readonly data: OtelContext;
}

/**
 * One implementation per AsyncLocalStorage engine of Node.js, chosen once at load (see index.ts).
 * Three operations, as small as AsyncLocalStorage itself: read the current frame, enter one for
 * the rest of the synchronous run (`enterWith`), run a function with one (`run`).
 */
export interface Engine {
  /** Which implementation this is, for tests and diagnostics. */
  readonly kind: EngineKind;
  /** The frame code runs in now. */
  current(): Frame;
  /**
   * Makes `next` current for the rest of this synchronous run and everything it schedules from
   * now on, never for the next callback of the same async resource (Python's `ContextVar.set`,
   * OTel's `attach`, Node's `enterWith` without its leak). `prev` is what `current()` returned in
   * the same synchronous stretch, with no user code run in between.
   */
  enter(prev: Frame, next: Frame): void;
  /**
   * Calls `fn` with a frame of `data` current: in `cell` (entered for the duration) or, when
   * `cell` is null, in the current cell. Whatever `fn` enters stays inside; the caller's frame is
   * back when `fn` returns or throws. The one scoped primitive under `with`, `bind`, `Context.run`,
   * `ContextVar.run` and `isolated`. Implementations call `fn` directly when `thisArg` is
   * undefined: `Reflect.apply` with an array made elsewhere costs as much as the rest of a `with`
   * on Node 20 (measured: 25 ns -> 15 ns per `with`).
   */
  run<R>(cell: Cell | null, data: OtelContext, fn: (...a: never) => R, thisArg: unknown, args: readonly unknown[]): R;
}

/**
 * `async-context-frame`: AsyncLocalStorage on AsyncContextFrame (Node 24+, 22 with a flag).
 * `async-hooks`: this package's own resource storage on public async_hooks (Node 20, 22, and 24+
 * with `--no-async-context-frame`). `fallback`: plain AsyncLocalStorage on async hooks, used only
 * when the start-up self-check of `async-hooks` fails: values always seen, may leak into the next
 * callback of one resource.
 */
export type EngineKind = 'async-context-frame' | 'async-hooks' | 'fallback';
