import { ROOT_CONTEXT } from '@opentelemetry/api';
import type { Context as OtelContext } from '@opentelemetry/api';
import { RuntimeError } from './errors';
import { readVarIn, varCountIn, varEntriesIn, NO_VALUE } from './internal/data';
import { engine, newCell } from './internal/engine/index';
import type { Cell } from './internal/engine/index';
import { hex, inspectSymbol, reprId, reprValue } from './internal/repr';
import { ContextVar, varId } from './var';

// The cell the next `new Context()` adopts (set only by copyContext / currentContext below).
let adopting: Cell | undefined;

function adopt(cell: Cell): Context {
  adopting = cell;
  try {
    return new Context();
  } finally {
    adopting = undefined;
  }
}

function requireVar(v: unknown): asserts v is ContextVar<unknown> {
  // Python: "a ContextVar key was expected, got 1".
  if (!(v instanceof ContextVar)) throw new TypeError(`a ContextVar key was expected, got ${reprValue(v)}`);
}

/** @internal The identity behind a Context. */
export let cellOf: (c: Context) => Cell;

/**
 * A mapping of ContextVars to values: the unit `run()` enters and a Token belongs to. A read-only
 * Map from the outside; `run()` is the only way to change it. Python equivalent:
 * `contextvars.Context`. Mapping reads ignore a var's default, as Python's do.
 */
export class Context implements ReadonlyMap<ContextVar<unknown>, unknown> {
  readonly #cell: Cell;
  #reprId = 0;

  /** An empty Context. Python: `Context()`. @throws TypeError when given any argument. */
  constructor(...args: never[]) {
    if (new.target !== Context) throw new TypeError("type 'Context' is not an acceptable base type");
    if (args.length > 0) throw new TypeError('Context() does not accept any arguments');
    this.#cell = adopting ?? newCell(ROOT_CONTEXT);
    this.#cell.facade ??= this;
  }

  static {
    cellOf = (c) => c.#cell;
  }

  /** The mapping as seen now: live while code runs inside this Context, else what it holds. */
  #data(): OtelContext {
    const frame = engine.current();
    return frame.cell === this.#cell ? frame.data : this.#cell.data;
  }

  /**
   * Calls `fn(...args)` inside this Context: sets made by `fn` are stored here, the outer context
   * is back once `fn` returns or throws. Python: `Context.run(callable, *args)`.
   * @throws TypeError if `fn` is not a function; RuntimeError if this Context is already entered.
   */
  run<R, A extends unknown[]>(fn: (...args: A) => R, ...args: A): R {
    if (typeof fn !== 'function') throw new TypeError(`Context.run: a function was expected, got ${reprValue(fn)}`);
    if (this.#cell.entered) throw new RuntimeError(`cannot enter context: ${this.toString()} is already entered`);
    return engine.run(this.#cell, this.#cell.data, fn, undefined, args);
  }

  /** A shallow snapshot: later sets do not change it; values are shared. Python: `Context.copy()`. */
  copy(): Context {
    return adopt(newCell(this.#data()));
  }

  /** The var's value here, else `defaultValue` (the var's own default is ignored). Python: `Context.get`. */
  get<T>(v: ContextVar<T>): T | undefined;
  get<T, D>(v: ContextVar<T>, defaultValue: D): T | D;
  get<T, D>(v: ContextVar<T>, defaultValue?: D): T | D | undefined {
    requireVar(v);
    const value = readVarIn(this.#data(), varId(v));
    return value === NO_VALUE ? defaultValue : (value as T);
  }

  /** Whether the var is bound here. Python: `var in ctx`. */
  has(v: ContextVar<unknown>): boolean {
    requireVar(v);
    return readVarIn(this.#data(), varId(v)) !== NO_VALUE;
  }

  /** How many vars are bound. O(1). Python: `len(ctx)`. */
  get size(): number {
    return varCountIn(this.#data());
  }

  /** [var, value] pairs in a stable order. Python: `ctx.items()`. */
  *entries(): MapIterator<[ContextVar<unknown>, unknown]> {
    yield* varEntriesIn(this.#data()) as Iterable<[ContextVar<unknown>, unknown]>;
  }

  /** The bound vars. Python: `ctx.keys()` / `iter(ctx)`. */
  *keys(): MapIterator<ContextVar<unknown>> {
    for (const [v] of this.entries()) yield v;
  }

  /** The bound values. Python: `ctx.values()`. */
  *values(): MapIterator<unknown> {
    for (const [, value] of this.entries()) yield value;
  }

  /** Same as `entries()`, as for a Map. */
  [Symbol.iterator](): MapIterator<[ContextVar<unknown>, unknown]> {
    return this.entries();
  }

  /** Calls `callback(value, var, this)` for each binding, as `Map.prototype.forEach` does. */
  forEach(callback: (value: unknown, key: ContextVar<unknown>, map: ReadonlyMap<ContextVar<unknown>, unknown>) => void, thisArg?: unknown): void {
    if (typeof callback !== 'function') throw new TypeError(`Context.forEach: a function was expected, got ${reprValue(callback)}`);
    for (const [v, value] of this.entries()) callback.call(thisArg, value, v, this);
  }

  /** True when both bind the same vars to identical (`Object.is`) values. Python: `ctx1 == ctx2`. */
  equals(other: Context): boolean {
    if (!(other instanceof Context)) throw new TypeError(`Context.equals: a Context was expected, got ${reprValue(other)}`);
    const mine = this.#data();
    const theirs = other.#data();
    if (mine === theirs) return true;
    if (varCountIn(mine) !== varCountIn(theirs)) return false;
    for (const [v, value] of varEntriesIn(mine)) {
      const their = readVarIn(theirs, varId(v as ContextVar<unknown>));
      if (their === NO_VALUE || !Object.is(their, value)) return false;
    }
    return true;
  }

  /** Python's repr, with a per-object id for the address: `<Context object at 0x21>`. */
  toString(): string {
    this.#reprId = reprId(this.#reprId);
    return `<Context object at ${hex(this.#reprId)}>`;
  }

  [inspectSymbol](): string {
    return this.toString();
  }

  get [Symbol.toStringTag](): string {
    return 'Context';
  }
}

/**
 * A snapshot of the current context: every var, plus the span and baggage of the active
 * OpenTelemetry Context. O(1). Python: `contextvars.copy_context()`.
 */
export function copyContext(): Context {
  return adopt(newCell(engine.current().data));
}

/**
 * The Context code is running in right now: the object itself, not a copy, so tokens can be
 * checked against it and its mapping reads are live. (Python has no public equivalent; CPython's
 * `PyContext_CopyCurrent` copies.)
 */
export function currentContext(): Context {
  const cell = engine.current().cell;
  return (cell.facade as Context | undefined) ?? adopt(cell);
}
