import type { ContextVar } from '../var';

/**
 * Passed as the default to `getIn` / `get`: it comes back only when the var has no binding, which
 * tells "unbound" apart from "bound to undefined" without the var's own default getting in.
 */
export const UNBOUND: unknown = Symbol('otel-contextvars.unbound');

/**
 * Whether `v` looks like a ContextVar. By shape rather than `instanceof`, so vars made by another
 * loaded copy of this package are accepted too.
 */
export function isContextVar(v: unknown): v is ContextVar<unknown> {
  const candidate = v as ContextVar<unknown>;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof candidate.name === 'string' &&
    typeof candidate.get === 'function' &&
    typeof candidate.getIn === 'function' &&
    typeof candidate.setIn === 'function'
  );
}
