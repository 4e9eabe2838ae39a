import type { Context as OtelContext } from '@opentelemetry/api';
import { LookupError, RuntimeError, ValueError } from './errors';
import { readVarIn, removeVarIn, writeVarIn, NO_VALUE } from './internal/var-context';
import { registerReaders, tokenStateOf } from './internal/brand';
import { Cell, engine, moveTo } from './internal/engine/index';
import { isOtelContext } from './internal/otel-context';
import { notifySet } from './internal/set-observer';
import { warn } from './internal/warn';
import { shared } from './internal/shared';
import { hex, inspectSymbol, reprId, reprValue } from './internal/repr';
import { Token, mintToken } from './token';

/** Options of the ContextVar constructor. */
export interface ContextVarOptions<T> {
  /** Returned by `get()` when the var has no value (Python: `ContextVar(name, default=...)`). */
  default?: T;
}

// Creating vars per call is a known leak pattern in Python; here memory stays bounded, but the
// code is still wrong, so the 10,000th var with one name triggers one warning per process.
const SAME_NAME_WARNING_AT = 10_000;
// Names are counted in a bounded map, so unique per-call names cannot grow it without limit.
const MAX_NAMES_TRACKED = 10_000;

// Shared by every loaded copy: var ids index one trie, and the name count is per process.
const registry = shared('vars', () => ({
  lastId: 0,
  /** The vars of `ContextVar.for`, by name, with the options they were made with. */
  named: new Map<string, { v: ContextVar<unknown>; hasDefault: boolean; default: unknown }>(),
  /** How many vars were created under each name (bounded; see countName). */
  nameCounts: new Map<string, number>(),
  namesWarned: false,
}));

function countName(name: string): void {
  if (registry.namesWarned) return;
  const counts = registry.nameCounts;
  const n = (counts.get(name) ?? 0) + 1;
  if (n === 1 && counts.size >= MAX_NAMES_TRACKED) return;
  counts.set(name, n);
  if (n < SAME_NAME_WARNING_AT) return;
  registry.namesWarned = true;
  counts.clear();
  warn(
    `${SAME_NAME_WARNING_AT} ContextVars named '${name}' have been created. ContextVars belong at ` +
      'module level, created once; make one and set() it per call instead of creating one per call.',
    'OTEL_CONTEXTVARS_PER_CALL',
  );
}

/** A context the package made carries a serial number (see VarContext); others do not. */
interface Serialized {
  readonly serial?: number;
}

// Longer strings are not kept by the read cache: a cached value must not hold memory.
const MAX_CACHED_STRING = 256;

function requireOtelContext(ctx: unknown, method: string): asserts ctx is OtelContext {
  if (!isOtelContext(ctx))
    throw new TypeError(`ContextVar.${method}: an OpenTelemetry Context was expected, got ${reprValue(ctx)}`);
}

// Guards the repr of a var whose default contains the var itself (Python prints '...').
const inRepr = new Set<object>();

/**
 * A context variable: one value per Context, read with `get()`, changed with `set()` / `reset()`,
 * stored in the active OpenTelemetry Context. Create it once, at module level.
 * Python equivalent: `contextvars.ContextVar`.
 */
export class ContextVar<T> {
  readonly #id: number;
  readonly #name: string;
  readonly #hasDefault: boolean;
  readonly #default: T | undefined;
  #reprId = 0;

  /**
   * @param name used in reprs and by integrations (span attribute key, log field, header entry).
   * @param options `{ default }`: the value `get()` returns when the var is unset.
   * @throws TypeError when `name` is not a string, as Python's does for a non-str name.
   */
  constructor(name: string, options?: ContextVarOptions<T>) {
    // Python: "type 'ContextVar' is not an acceptable base type".
    if (new.target !== ContextVar) throw new TypeError("type 'ContextVar' is not an acceptable base type");
    if (typeof name !== 'string') throw new TypeError(`context variable name must be a string, got ${reprValue(name)}`);
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- JavaScript callers can pass anything: a clear TypeError, not a crash further in
    if (options !== undefined && (typeof options !== 'object' || options === null)) {
      throw new TypeError(`ContextVar options must be an object, got ${reprValue(options)}`);
    }
    this.#name = name;
    this.#hasDefault = options !== undefined && 'default' in options;
    this.#default = options?.default;
    this.#id = ++registry.lastId;
    countName(name);
  }

  /**
   * The one process-wide var called `name`, made on first call (like `Symbol.for`): the same
   * object for every caller, across bundles, chunks and loaded copies of the package, so a var
   * made in a framework's instrumentation chunk and in a route chunk is one var. `new ContextVar`
   * stays a distinct var per call, as in Python (which has no registry of vars).
   * @throws TypeError when `name` is not a string, or when `options` give a default that differs
   * from the registered var's (a default where it has none, or a different value).
   */
  static for<T>(name: string, options?: ContextVarOptions<T>): ContextVar<T> {
    // A name that is not a string is never registered: the constructor below refuses it.
    const found = registry.named.get(name);
    if (found === undefined) {
      const v = new ContextVar<T>(name, options);
      registry.named.set(name, { v: v, hasDefault: v.#hasDefault, default: v.#default });
      return v;
    }
    if (options !== undefined) {
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- JavaScript callers can pass anything
      if (typeof options !== 'object' || options === null)
        throw new TypeError(`ContextVar options must be an object, got ${reprValue(options)}`);
      const hasDefault = 'default' in options;
      if (hasDefault !== found.hasDefault || (hasDefault && !Object.is(options.default, found.default))) {
        const asked = hasDefault ? `default=${reprValue(options.default)}` : 'no default';
        throw new TypeError(
          `ContextVar.for(${reprValue(name)}) with ${asked} conflicts with the registered ${String(found.v)}`,
        );
      }
    }
    return found.v as ContextVar<T>;
  }

  static {
    registerReaders('varIds', (v) => (#id in v ? v.#id : undefined));
  }

  /** The var's name (read-only). Python: `ContextVar.name`. */
  get name(): string {
    return this.#name;
  }

  /**
   * The value in the current context; else `defaultValue` when given (even `undefined`); else the
   * var's default. Python: `ContextVar.get([default])`.
   * @throws LookupError when there is no value and no default.
   */
  get(): T;
  get<D>(defaultValue: D): T | D;
  get<D>(defaultValue?: D): T | D {
    const context = engine.current().context;
    let value: unknown;
    if ((context as Serialized).serial === this.#seenSerial) {
      value = this.#seenRef === undefined ? this.#seenValue : (this.#seenRef.deref() ?? readVarIn(context, this.#id));
    } else {
      value = readVarIn(context, this.#id);
      this.#remember(context, value);
    }
    if (value !== NO_VALUE) return value as T;
    if (arguments.length > 0) return defaultValue as D;
    if (this.#hasDefault) return this.#default as T;
    throw new LookupError(this.toString());
  }

  // The last lookup, as CPython's ContextVar caches its last one (var_cached): code reads a var
  // many times per set (every log line of a request). CPython's cache borrows its references; a
  // plain field would keep the whole last context (every value, span, baggage) alive. So the
  // cache remembers the context's serial number, a value that retains nothing (a primitive, a
  // short string), and an object only through a WeakRef: while its context is current, the
  // context keeps it alive.
  #seenSerial = 0;
  #seenValue: unknown = undefined;
  #seenRef: WeakRef<object> | undefined = undefined;

  #remember(context: OtelContext, value: unknown): void {
    const serial = (context as Serialized).serial;
    const type = typeof value;
    if (serial === undefined || (type === 'string' && (value as string).length > MAX_CACHED_STRING)) {
      this.#seenSerial = 0;
      return;
    }
    if ((type === 'object' && value !== null) || type === 'function') {
      this.#seenRef = new WeakRef(value as object);
      this.#seenValue = undefined;
    } else {
      this.#seenRef = undefined;
      this.#seenValue = value;
    }
    this.#seenSerial = serial;
  }

  /**
   * Binds `value` for the rest of the current synchronous run and for all async work it schedules
   * from now on; never for work scheduled before, never for concurrent siblings.
   * Python: `ContextVar.set(value)`.
   * @returns a Token that `reset()` (or `using`) takes to restore the previous value.
   */
  set(value: T): Token<T> {
    const frame = engine.current();
    const { context, previous } = writeVarIn(frame.context, this.#id, this, value);
    moveTo(frame, context);
    notifySet();
    return mintToken(this, previous === NO_VALUE ? Token.MISSING : previous, frame.cell, frame.context, context);
  }

  /**
   * Restores the value from before the `set()` that made `token` (or removes the binding when
   * there was none). Checks in Python's order. Python: `ContextVar.reset(token)`.
   * @throws TypeError if `token` is not a Token; RuntimeError if it was used; ValueError if it
   * belongs to another var or was created in another Context.
   */
  reset(token: Token<T>): void {
    // Tokens of another loaded copy of the package are tokens too (see internal/brand.ts).
    const state = tokenStateOf(token);
    if (state === undefined) throw new TypeError(`an instance of Token was expected, got ${reprValue(token)}`);
    if (state.used) throw new RuntimeError(`${String(token)} has already been used once`);
    if (state.var !== this) throw new ValueError(`${String(token)} was created by a different ContextVar`);
    const frame = engine.current();
    if (state.cell !== frame.cell) throw new ValueError(`${String(token)} was created in a different Context`);
    const old = state.oldValue;
    // Nothing changed since the set (the usual try/finally or `using`): the context from before
    // it has exactly the mapping a write of the old value would make, without copying a trie path.
    let context: OtelContext;
    if (frame.context === state.after) context = state.before;
    else if (old === Token.MISSING) context = removeVarIn(frame.context, this.#id);
    else context = writeVarIn(frame.context, this.#id, this, old).context;
    moveTo(frame, context);
    state.used = true;
  }

  /**
   * Calls `fn(...args)` with this var bound to `value`, in a copy of the current context: nothing
   * `fn` sets, before or after an await, reaches the caller. The scoped form of set/reset
   * (Python: `copy_context().run(...)` after a `set`).
   */
  run<R, A extends unknown[]>(value: T, fn: (...args: A) => R, ...args: A): R {
    if (typeof fn !== 'function') throw new TypeError(`ContextVar.run: a function was expected, got ${reprValue(fn)}`);
    const { context } = writeVarIn(engine.current().context, this.#id, this, value);
    const cell = new Cell(context);
    // The scope opens and closes here, around the call, as AsyncLocalStorage.run does: one JS
    // frame per nesting level (see Engine).
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

  /**
   * Binds this var to `value` in a scope of its own (a copy of the current context, as `run`
   * makes) until the result is disposed: `using scope = v.withScope(value)`. The form Node 26's
   * diagnostics_channel calls on a store bound with `channel.bindStore(v, transform)`, as earlier
   * lines call `run`. Dispose in the reverse order of opening (`using` does); disposing twice does
   * nothing more.
   */
  withScope(value: T): Disposable {
    const { context } = writeVarIn(engine.current().context, this.#id, this, value);
    const mark = engine.enter(new Cell(context), context);
    // The run-scoped engine opens no scope without wrapping a call: a set, undone on dispose.
    const token = mark < 0 ? this.set(value) : undefined;
    let open = true;
    return {
      [Symbol.dispose]: () => {
        if (!open) return;
        open = false;
        if (token !== undefined) this.reset(token);
        else engine.exit(mark);
      },
    };
  }

  /**
   * Reads this var from any OpenTelemetry Context, without entering it. Returns the bound value,
   * else `defaultValue` when given, else the var's default, else undefined.
   */
  getIn(ctx: OtelContext): T | undefined;
  getIn<D>(ctx: OtelContext, defaultValue: D): T | D;
  getIn<D>(ctx: OtelContext, defaultValue?: D): T | D | undefined {
    requireOtelContext(ctx, 'getIn');
    const value = readVarIn(ctx, this.#id);
    if (value !== NO_VALUE) return value as T;
    if (arguments.length > 1) return defaultValue;
    return this.#default;
  }

  /** A new OpenTelemetry Context with this var bound to `value` (like `trace.setSpan`). */
  setIn(ctx: OtelContext, value: T): OtelContext {
    requireOtelContext(ctx, 'setIn');
    return writeVarIn(ctx, this.#id, this, value).context;
  }

  /** A new OpenTelemetry Context without a binding of this var. */
  deleteIn(ctx: OtelContext): OtelContext {
    requireOtelContext(ctx, 'deleteIn');
    return removeVarIn(ctx, this.#id);
  }

  /** Python's repr: `<ContextVar name='a' default=123 at 0x1f>`. */
  toString(): string {
    this.#reprId = reprId(this.#reprId);
    let shown = '';
    if (this.#hasDefault) {
      if (inRepr.has(this)) {
        shown = ' default=...';
      } else {
        inRepr.add(this);
        try {
          shown = ` default=${reprValue(this.#default)}`;
        } finally {
          inRepr.delete(this);
        }
      }
    }
    return `<ContextVar name=${reprValue(this.#name)}${shown} at ${hex(this.#reprId)}>`;
  }

  /** What `util.inspect` and `console.log` print: the same text as `toString()`, as Python's `repr`. */
  [inspectSymbol](): string {
    return this.toString();
  }

  /** `'ContextVar'`, so `Object.prototype.toString` names the class as it does for built-ins. */
  get [Symbol.toStringTag](): string {
    return 'ContextVar';
  }
}
