import { ROOT_CONTEXT } from '@opentelemetry/api';
import type { Context as OtelContext } from '@opentelemetry/api';
import { ABSENT, HamtNode, Leaf, assoc, assocReplaced, dissoc, leaves, lookup } from './hamt';
import { shared } from './shared';

/**
 * The OpenTelemetry Context this package stores var values in. It implements the OTel `Context`
 * interface, so spans, baggage and any other key live in it too and instrumentation handles it
 * like any other context.
 *
 * Two parts: `base`, an ordinary OTel Context holding every non-var key (span, baggage, ...), and
 * `vars`, a persistent trie of var bindings. Contexts that instrumentation builds from
 * ROOT_CONTEXT are plain BaseContexts whose `setValue` copies their whole Map; putting the trie on
 * top of such a context keeps var sets O(log n) whatever the context underneath.
 */
class ContextData implements OtelContext {
  constructor(
    readonly base: OtelContext | undefined,
    readonly vars: HamtNode | null,
    readonly size: number,
  ) {}

  getValue(key: symbol): unknown {
    return this.base === undefined ? undefined : this.base.getValue(key);
  }

  setValue(key: symbol, value: unknown): OtelContext {
    return new ContextData((this.base ?? ROOT_CONTEXT).setValue(key, value), this.vars, this.size);
  }

  deleteValue(key: symbol): OtelContext {
    if (this.base === undefined) return this;
    return new ContextData(this.base.deleteValue(key), this.vars, this.size);
  }
}

function readVar(ctx: OtelContext, id: number): unknown {
  return ctx instanceof ContextData ? lookup(ctx.vars, id) : ABSENT;
}

function foreignBase(ctx: OtelContext): OtelContext | undefined {
  return ctx === ROOT_CONTEXT ? undefined : ctx;
}

function writeVar(ctx: OtelContext, id: number, key: object, value: unknown): OtelContext {
  if (!(ctx instanceof ContextData)) return new ContextData(foreignBase(ctx), assoc(null, new Leaf(id, key, value)), 1);
  const vars = assoc(ctx.vars, new Leaf(id, key, value));
  return new ContextData(ctx.base, vars, assocReplaced() === null ? ctx.size + 1 : ctx.size);
}

// What the last writeVar() replaced, read from the trie's one out-parameter, so set() learns the
// old value for its token from the same walk that wrote the new one.
function previousWrite(): unknown {
  const replaced = assocReplaced();
  return replaced === null ? ABSENT : replaced.value;
}

function removeVar(ctx: OtelContext, id: number): OtelContext {
  if (!(ctx instanceof ContextData)) return ctx;
  const vars = dissoc(ctx.vars, id);
  if (vars === ctx.vars) return ctx;
  return new ContextData(ctx.base, vars, ctx.size - 1);
}

function* varEntries(ctx: OtelContext): Generator<[object, unknown]> {
  if (!(ctx instanceof ContextData)) return;
  for (const leaf of leaves(ctx.vars)) yield [leaf.key, leaf.value];
}

function varCount(ctx: OtelContext): number {
  return ctx instanceof ContextData ? ctx.size : 0;
}

// The first loaded copy's implementation serves every copy: a context built by one copy must be
// readable by the others, which `instanceof` across two copies of the class would not allow.
const impl = shared('data', () => ({ ABSENT, readVar, writeVar, previousWrite, removeVar, varEntries, varCount }));

/** Marker for "no binding", distinct from every value including undefined. */
export const NO_VALUE: unknown = impl.ABSENT;
/** The value bound to var `id` in `ctx`, or {@link NO_VALUE}. O(log32 n). */
export const readVarIn: (ctx: OtelContext, id: number) => unknown = impl.readVar;
/** A new context with var `id` bound to `value`; every other key kept. O(log32 n). */
export const writeVarIn: (ctx: OtelContext, id: number, key: object, value: unknown) => OtelContext = impl.writeVar;
/** What the most recent {@link writeVarIn} replaced: the old value, or {@link NO_VALUE}. */
export const previousOfLastWrite: () => unknown = impl.previousWrite;
/** A new context without var `id` (the same context when it was not bound). O(log32 n). */
export const removeVarIn: (ctx: OtelContext, id: number) => OtelContext = impl.removeVar;
/** [var, value] pairs bound in `ctx`, in a stable order. */
export const varEntriesIn: (ctx: OtelContext) => Generator<[object, unknown]> = impl.varEntries;
/** How many vars `ctx` binds. O(1). */
export const varCountIn: (ctx: OtelContext) => number = impl.varCount;
