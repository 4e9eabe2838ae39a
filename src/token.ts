import { RuntimeError } from './errors';
import type { Cell } from './internal/engine/index';
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

/** @internal Creates a token; only ContextVar calls it. */
export let mintToken: <T>(v: ContextVar<T>, oldValue: unknown, cell: Cell) => Token<T>;
/** @internal Whether `t` is a Token of this copy of the package. */
export let isToken: (t: unknown) => t is Token<unknown>;
/** @internal Whether the token was already used by a successful reset. */
export let tokenUsed: (t: Token<unknown>) => boolean;
/** @internal The cell (Context identity) in which the token's set() ran. */
export let tokenCell: (t: Token<unknown>) => Cell;
/** @internal Marks the token used; called once its reset has succeeded. */
export let markTokenUsed: (t: Token<unknown>) => void;

/**
 * Returned by `ContextVar.set()`; pass it to `reset()` to undo that set. Single use, bound to the
 * Context in which `set()` ran. Python equivalent: `contextvars.Token`, including Python 3.14's
 * use as a context manager, here through `using` (`Symbol.dispose`).
 */
export class Token<T> {
  /** The `oldValue` of a token whose var had no binding before `set()`. Python: `Token.MISSING`. */
  static readonly MISSING: object = MISSING;

  readonly #var: ContextVar<T>;
  readonly #oldValue: T | typeof MISSING;
  readonly #cell: Cell;
  #used = false;
  #reprId = 0;

  /** Tokens come only from `ContextVar.set()`; constructing one throws RuntimeError. */
  private constructor(mint: symbol, v: ContextVar<T>, oldValue: T | typeof MISSING, cell: Cell) {
    // Python: "Tokens can only be created by ContextVars".
    if (mint !== MINT) throw new RuntimeError('Tokens can only be created by ContextVars');
    this.#var = v;
    this.#oldValue = oldValue;
    this.#cell = cell;
  }

  static {
    mintToken = <T>(v: ContextVar<T>, oldValue: unknown, cell: Cell) => new Token<T>(MINT, v, oldValue as T, cell);
    isToken = (t: unknown): t is Token<unknown> => typeof t === 'object' && t !== null && #var in t;
    tokenUsed = (t) => t.#used;
    tokenCell = (t) => t.#cell;
    markTokenUsed = (t) => {
      t.#used = true;
    };
  }

  /** The ContextVar whose `set()` made this token. Python: `Token.var`. */
  get var(): ContextVar<T> {
    return this.#var;
  }

  /** The value before `set()`, or `Token.MISSING` if there was none. Python: `Token.old_value`. */
  get oldValue(): T | typeof Token.MISSING {
    return this.#oldValue;
  }

  /** Resets the var to `oldValue` (Python 3.14: `with var.set(x):`). Same as `var.reset(this)`. */
  [Symbol.dispose](): void {
    this.#var.reset(this);
  }

  /** Python's repr: `<Token used var=<ContextVar name='a' at 0x1f> at 0x20>`. */
  toString(): string {
    this.#reprId = reprId(this.#reprId);
    const used = this.#used ? ' used' : '';
    return `<Token${used} var=${String(this.#var)} at ${hex(this.#reprId)}>`;
  }

  [inspectSymbol](): string {
    return this.toString();
  }

  get [Symbol.toStringTag](): string {
    return 'Token';
  }
}
