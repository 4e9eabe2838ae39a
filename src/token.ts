import { RuntimeError } from './errors';
import type { Cell } from './internal/engine';
import { hex, inspectSymbol, reprId } from './internal/repr';
import { shared } from './internal/shared';
import type { ContextVar } from './var';

// One marker for every loaded copy, so `token.oldValue === Token.MISSING` holds across copies.
const MISSING: object = shared('missing', () =>
  Object.freeze({
    toString: () => '<Token.MISSING>',
    [inspectSymbol]: () => '<Token.MISSING>',
  }),
);

const MINT = Symbol('otel-contextvars.mint');

/** What a ContextVar needs to see of a token (never exported from the package root). */
export interface TokenState<T> {
  readonly var: ContextVar<T>;
  readonly oldValue: T | typeof MISSING;
  readonly cell: Cell;
  used: boolean;
}

/** @internal Creates a token; only ContextVar calls it. */
export let mintToken: <T>(v: ContextVar<T>, oldValue: unknown, cell: Cell) => Token<T>;
/** @internal The mutable state behind a token, or undefined when `t` is not a Token. */
export let tokenState: (t: unknown) => TokenState<unknown> | undefined;

/**
 * Returned by `ContextVar.set()`; pass it to `reset()` to undo that set. Single use, bound to the
 * Context in which `set()` ran. Python equivalent: `contextvars.Token`, including Python 3.14's
 * use as a context manager, here through `using` (`Symbol.dispose`).
 */
export class Token<T> {
  /** The `oldValue` of a token whose var had no binding before `set()`. Python: `Token.MISSING`. */
  static readonly MISSING: object = MISSING;

  readonly #state: TokenState<T>;
  #reprId = 0;

  /** Tokens come only from `ContextVar.set()`; constructing one throws RuntimeError. */
  private constructor(mint: symbol, state: TokenState<T>) {
    // Python: "Tokens can only be created by ContextVars".
    if (mint !== MINT) throw new RuntimeError('Tokens can only be created by ContextVars');
    this.#state = state;
  }

  static {
    mintToken = <T>(v: ContextVar<T>, oldValue: unknown, cell: Cell) =>
      new Token<T>(MINT, { var: v, oldValue: oldValue as T, cell, used: false });
    tokenState = (t: unknown) => (t instanceof Token ? (t.#state as TokenState<unknown>) : undefined);
  }

  /** The ContextVar whose `set()` made this token. Python: `Token.var`. */
  get var(): ContextVar<T> {
    return this.#state.var;
  }

  /** The value before `set()`, or `Token.MISSING` if there was none. Python: `Token.old_value`. */
  get oldValue(): T | typeof Token.MISSING {
    return this.#state.oldValue;
  }

  /** Resets the var to `oldValue` (Python 3.14: `with var.set(x):`). Same as `var.reset(this)`. */
  [Symbol.dispose](): void {
    this.#state.var.reset(this);
  }

  /** Python's repr: `<Token used var=<ContextVar name='a' at 0x1f> at 0x20>`. */
  toString(): string {
    this.#reprId = reprId(this.#reprId);
    const used = this.#state.used ? ' used' : '';
    return `<Token${used} var=${String(this.#state.var)} at ${hex(this.#reprId)}>`;
  }

  [inspectSymbol](): string {
    return this.toString();
  }

  get [Symbol.toStringTag](): string {
    return 'Token';
  }
}
