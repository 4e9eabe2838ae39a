import type { Context as OtelContext } from '@opentelemetry/api';
import { RuntimeError } from './errors';
import { registerReaders } from './internal/brand';
import type { TokenState } from './internal/brand';
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

// The one way to reach a hidden constructor in this package: a module-private symbol as the
// first argument (Context does the same). Without it, construction throws.
const MINT = Symbol('otel-contextvars.mint');

/**
 * Returned by `ContextVar.set()`; pass it to `reset()` to undo that set. Single use, bound to the
 * Context in which `set()` ran. Python equivalent: `contextvars.Token`, including Python 3.14's
 * use as a context manager, here through `using` (`Symbol.dispose`).
 */
export class Token<T> {
  /** The `oldValue` of a token whose var had no binding before `set()`. Python: `Token.MISSING`. */
  static readonly MISSING: object = MISSING;

  readonly #state: TokenState;
  #reprId = 0;

  /** Tokens come only from `ContextVar.set()`; constructing one throws RuntimeError. */
  private constructor(mint: symbol, state: TokenState) {
    // Python: "Tokens can only be created by ContextVars".
    if (mint !== MINT) throw new RuntimeError('Tokens can only be created by ContextVars');
    this.#state = state;
  }

  static {
    registerReaders('tokens', (t) => (#state in t ? t.#state : undefined));
  }

  /** The ContextVar whose `set()` made this token. Python: `Token.var`. */
  get var(): ContextVar<T> {
    return this.#state.var as ContextVar<T>;
  }

  /** The value before `set()`, or `Token.MISSING` if there was none. Python: `Token.old_value`. */
  get oldValue(): T | typeof Token.MISSING {
    return this.#state.oldValue as T;
  }

  /** Resets the var to `oldValue` (Python 3.14: `with var.set(x):`). Same as `var.reset(this)`. */
  [Symbol.dispose](): void {
    this.var.reset(this);
  }

  /** Python's repr: `<Token used var=<ContextVar name='a' at 0x1f> at 0x20>`. */
  toString(): string {
    this.#reprId = reprId(this.#reprId);
    const used = this.#state.used ? ' used' : '';
    return `<Token${used} var=${this.var.toString()} at ${hex(this.#reprId)}>`;
  }

  /** What `util.inspect` and `console.log` print: the same text as `toString()`, as Python's `repr`. */
  [inspectSymbol](): string {
    return this.toString();
  }

  /** `'Token'`, so `Object.prototype.toString` names the class as it does for built-ins. */
  get [Symbol.toStringTag](): string {
    return 'Token';
  }
}

type Minting = new <T>(mint: symbol, state: TokenState) => Token<T>;

/** @internal Creates a token for `v`'s `set()`; only ContextVar calls it. */
export function mintToken<T>(
  v: ContextVar<T>,
  oldValue: unknown,
  cell: Cell,
  before: OtelContext,
  after: OtelContext,
): Token<T> {
  return new (Token as unknown as Minting)<T>(MINT, { var: v, oldValue, cell, before, after, used: false });
}
