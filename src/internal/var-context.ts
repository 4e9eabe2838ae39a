import { ROOT_CONTEXT } from '@opentelemetry/api';
import type { Context as OtelContext } from '@opentelemetry/api';
import { NO_VALUE, HamtNode, Leaf, assoc, dissoc, leaves, lookup } from './hamt';
import { shared } from './shared';

/** The one marker for "no binding" (see hamt.ts): what reads return for an unbound var. */
export { NO_VALUE } from './hamt';

// Every loaded copy of the package (same state format; see shared.ts) reads and extends the
// contexts the others made, each with its own code: what they share is the data's layout, these
// two markers and one serial counter (serials stay unique when two copies make contexts).
const format = shared('var-context', () => ({
  /** On the prototype of each copy's VarContext class: what `instanceof` cannot tell across copies. */
  brand: Symbol('otel-contextvars.var-context'),
  /** Marks a key removed by `deleteValue` in a {@link KeyLink} chain. */
  deleted: Symbol('otel-contextvars.deleted'),
  lastSerial: 0,
}));
const DELETED = format.deleted;
// Links before the chain is folded into a plain Context: reads walk the chain, so it stays short.
const MAX_LINKS = 8;

/** One non-var key set on a VarContext, newest first: an O(1) `setValue` without a Map copy. */
class KeyLink {
  constructor(
    readonly key: symbol,
    readonly value: unknown,
    readonly next: KeyLink | null,
    readonly length: number,
  ) {}
}

/**
 * The OpenTelemetry Context this package stores var values in. It implements the OTel `Context`
 * interface, so spans, baggage and any other key live in it too and instrumentation handles it
 * like any other context.
 *
 * Three parts: `base`, an ordinary OTel Context (whatever the data was built on: instrumentation
 * builds plain BaseContexts from ROOT_CONTEXT); `keys`, the non-var keys set since on top of it
 * (span, baggage, ...), newest first; and `vars`, a persistent trie of var bindings. A
 * BaseContext's `setValue` copies its whole Map; a link and a trie path keep both kinds of write
 * cheap whatever the context underneath. Every part is immutable once made.
 */
class VarContext implements OtelContext {
  /**
   * A number no other VarContext of this process has: what a var's read cache remembers instead
   * of the context itself, so the cache keeps no context alive.
   */
  readonly serial = ++format.lastSerial;

  constructor(
    readonly base: OtelContext | undefined,
    readonly keys: KeyLink | null,
    readonly vars: HamtNode | null,
    readonly size: number,
  ) {}

  getValue(key: symbol): unknown {
    for (let link = this.keys; link !== null; link = link.next) {
      if (link.key === key) return link.value === DELETED ? undefined : link.value;
    }
    return this.base === undefined ? undefined : this.base.getValue(key);
  }

  setValue(key: symbol, value: unknown): OtelContext {
    return this.#withKey(key, value);
  }

  deleteValue(key: symbol): OtelContext {
    // getValue is the only read of a key, and it cannot tell an absent key from one holding undefined.
    if (this.getValue(key) === undefined) return this;
    return this.#withKey(key, DELETED);
  }

  #withKey(key: symbol, value: unknown): VarContext {
    const length = this.keys === null ? 1 : this.keys.length + 1;
    if (length <= MAX_LINKS)
      return new VarContext(this.base, new KeyLink(key, value, this.keys, length), this.vars, this.size);
    // Fold the chain (oldest first) into a plain Context, as OpenTelemetry's own would hold it.
    const pending: KeyLink[] = [];
    for (let link = this.keys; link !== null; link = link.next) pending.push(link);
    let folded = this.base ?? ROOT_CONTEXT;
    for (let i = pending.length - 1; i >= 0; i--) folded = applyLink(folded, pending[i].key, pending[i].value);
    return new VarContext(applyLink(folded, key, value), null, this.vars, this.size);
  }
}

Object.defineProperty(VarContext.prototype, format.brand, { value: true });

/**
 * `ctx` as a VarContext, made by this copy or by another loaded copy of the package, or null for
 * any other context. This copy's own class is checked first: the usual case costs one check.
 */
function asVarContext(ctx: OtelContext): VarContext | null {
  if (ctx instanceof VarContext) return ctx;
  try {
    return (ctx as unknown as Record<symbol, unknown>)[format.brand] === true ? (ctx as VarContext) : null;
  } catch {
    // A Proxy posing as a context whose get trap throws: not one of ours.
    return null;
  }
}

function applyLink(ctx: OtelContext, key: symbol, value: unknown): OtelContext {
  return value === DELETED ? ctx.deleteValue(key) : ctx.setValue(key, value);
}

/** The value bound to var `id` in `ctx`, or {@link NO_VALUE}. O(log32 n). */
export function readVarIn(ctx: OtelContext, id: number): unknown {
  const own = asVarContext(ctx);
  return own === null ? NO_VALUE : lookup(own.vars, id);
}

function foreignBase(ctx: OtelContext): OtelContext | undefined {
  return ctx === ROOT_CONTEXT ? undefined : ctx;
}

/** The result of a write: the new context and what the var held before (`NO_VALUE` if unbound). */
export interface VarWrite {
  readonly context: OtelContext;
  readonly previous: unknown;
}

/** A new context with var `id` bound to `value`, every other key kept, and the var's previous value. O(log32 n). */
export function writeVarIn(ctx: OtelContext, id: number, key: object, value: unknown): VarWrite {
  const own = asVarContext(ctx);
  if (own === null)
    return {
      context: new VarContext(foreignBase(ctx), null, assoc(null, new Leaf(id, key, value)), 1),
      previous: NO_VALUE,
    };
  // Read before the write (a trie of a few dozen vars is one node deep): the old value for the
  // token, and whether the binding is new for the count.
  const previous = lookup(own.vars, id);
  const vars = assoc(own.vars, new Leaf(id, key, value));
  const size = previous === NO_VALUE ? own.size + 1 : own.size;
  return { context: new VarContext(own.base, own.keys, vars, size), previous };
}

/** A new context without var `id` (the same context when it was not bound). O(log32 n). */
export function removeVarIn(ctx: OtelContext, id: number): OtelContext {
  const own = asVarContext(ctx);
  if (own === null) return ctx;
  const vars = dissoc(own.vars, id);
  if (vars === own.vars) return ctx;
  return new VarContext(own.base, own.keys, vars, own.size - 1);
}

/** [var, value] pairs bound in `ctx`, in a stable order. */
export function* varEntriesIn(ctx: OtelContext): Generator<[object, unknown]> {
  const own = asVarContext(ctx);
  if (own === null) return;
  for (const leaf of leaves(own.vars)) yield [leaf.key, leaf.value];
}

/** How many vars `ctx` binds. O(1). */
export function varCountIn(ctx: OtelContext): number {
  return asVarContext(ctx)?.size ?? 0;
}
