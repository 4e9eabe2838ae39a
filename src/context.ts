import { ROOT_CONTEXT } from '@opentelemetry/api';
import type { Context as OtelContext } from '@opentelemetry/api';
import { RuntimeError } from './errors';
import { readVarIn, varCountIn, varEntriesIn, NO_VALUE } from './internal/var-context';
import { cellOf, registerReaders, varIdOf } from './internal/brand';
import { Cell, engine } from './internal/engine/index';
import { hex, inspectSymbol, reprId, reprValue } from './internal/repr';
import type { ContextVar } from './var';

// The hidden constructor, as Token's: a module-private symbol first, then the cell to wrap.
const ADOPT = Symbol('otel-contextvars.adopt');

/** A Context's mapping as seen now: live while code runs inside it, else what it holds. */
function liveData(cell: Cell): OtelContext {
  const frame = engine.current();
  return frame.cell === cell ? frame.context : cell.context;
}

function adopt(cell: Cell): Context {
  return new (Context as unknown as new (adopt: symbol, cell: Cell) => Context)(ADOPT, cell);
}

/** The var's trie id; a var of any loaded copy of the package is accepted (internal/brand.ts). */
function idOfVar(v: unknown): number {
  const id = varIdOf(v);
  // Python: "a ContextVar key was expected, got 1".
  if (id === undefined) throw new TypeError(`a ContextVar key was expected, got ${reprValue(v)}`);
  return id;
}

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
    const adopted = args.length === 2 && (args[0] as unknown) === ADOPT;
    if (args.length > 0 && !adopted) throw new TypeError('Context() does not accept any arguments');
    this.#cell = adopted ? args[1] : new Cell(ROOT_CONTEXT);
    this.#cell.facade ??= this;
  }

  static {
    registerReaders('cells', (c) => (#cell in c ? c.#cell : undefined));
  }

  #context(): OtelContext {
    return liveData(this.#cell);
  }

  /**
   * Calls `fn(...args)` inside this Context: sets made by `fn` are stored here, the outer context
   * is back once `fn` returns or throws. Python: `Context.run(callable, *args)`.
   * @throws TypeError if `fn` is not a function; RuntimeError if this Context is already entered.
   */
  run<R, A extends unknown[]>(fn: (...args: A) => R, ...args: A): R {
    if (typeof fn !== 'function') throw new TypeError(`Context.run: a function was expected, got ${reprValue(fn)}`);
    const cell = this.#cell;
    // Python refuses to enter the Context code is running in, or one a run has entered.
    if (cell.entered || engine.current().cell === cell)
      throw new RuntimeError(`cannot enter context: ${this.toString()} is already entered`);
    const context = cell.context;
    // Opened and closed here, around the call: one JS frame per nesting level (see Engine).
    const mark = engine.enter(cell, context);
    if (mark < 0) return engine.wrap(cell, context, fn, undefined, args);
    try {
      // fn takes `A` arguments: tsc rejects a call with none unless asserted.
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
      return args.length === 0 ? (fn as () => R)() : fn(...args);
    } finally {
      engine.exit(mark);
    }
  }

  /** A shallow snapshot: later sets do not change it; values are shared. Python: `Context.copy()`. */
  copy(): Context {
    return adopt(new Cell(this.#context()));
  }

  /** The var's value here, else `defaultValue` (the var's own default is ignored). Python: `Context.get`. */
  get<T>(v: ContextVar<T>): T | undefined;
  get<T, D>(v: ContextVar<T>, defaultValue: D): T | D;
  get<T, D>(v: ContextVar<T>, defaultValue?: D): T | D | undefined {
    const value = readVarIn(this.#context(), idOfVar(v));
    return value === NO_VALUE ? defaultValue : (value as T);
  }

  /** Whether the var is bound here. Python: `var in ctx`. */
  has(v: ContextVar<unknown>): boolean {
    return readVarIn(this.#context(), idOfVar(v)) !== NO_VALUE;
  }

  /** How many vars are bound. O(1). Python: `len(ctx)`. */
  get size(): number {
    return varCountIn(this.#context());
  }

  /** [var, value] pairs in a stable order. Python: `ctx.items()`. */
  *entries(): MapIterator<[ContextVar<unknown>, unknown]> {
    yield* varEntriesIn(this.#context()) as Iterable<[ContextVar<unknown>, unknown]>;
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
  forEach(
    callback: (value: unknown, key: ContextVar<unknown>, map: ReadonlyMap<ContextVar<unknown>, unknown>) => void,
    thisArg?: unknown,
  ): void {
    if (typeof callback !== 'function')
      throw new TypeError(`Context.forEach: a function was expected, got ${reprValue(callback)}`);
    for (const [v, value] of this.entries()) callback.call(thisArg, value, v, this);
  }

  /** True when both bind the same vars to identical (`Object.is`) values. Python: `ctx1 == ctx2`. */
  equals(other: Context): boolean {
    // A Context of another loaded copy of the package is a Context too (internal/brand.ts).
    const otherCell = cellOf(other);
    if (otherCell === undefined) throw new TypeError(`Context.equals: a Context was expected, got ${reprValue(other)}`);
    const mine = this.#context();
    const theirs = liveData(otherCell);
    if (mine === theirs) return true;
    if (varCountIn(mine) !== varCountIn(theirs)) return false;
    for (const [v, value] of varEntriesIn(mine)) {
      const their = readVarIn(theirs, idOfVar(v));
      if (their === NO_VALUE || !Object.is(their, value)) return false;
    }
    return true;
  }

  /** Python's repr, with a per-object id for the address: `<Context object at 0x21>`. */
  toString(): string {
    this.#reprId = reprId(this.#reprId);
    return `<Context object at ${hex(this.#reprId)}>`;
  }

  /** What `util.inspect` and `console.log` print: the same text as `toString()`, as Python's `repr`. */
  [inspectSymbol](): string {
    return this.toString();
  }

  /** `'Context'`, so `Object.prototype.toString` names the class as it does for built-ins. */
  get [Symbol.toStringTag](): string {
    return 'Context';
  }
}

/**
 * A snapshot of the current context: every var, plus the span and baggage of the active
 * OpenTelemetry Context. O(1). Python: `contextvars.copy_context()`.
 */
export function copyContext(): Context {
  return adopt(new Cell(engine.current().context));
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
