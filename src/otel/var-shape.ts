import { varIdOf } from '../internal/brand';
import type { ContextVar } from '../var';

/**
 * Passed as the default to `getIn` / `get`: it comes back only when the var has no binding, which
 * tells "unbound" apart from "bound to undefined" without the var's own default getting in.
 */
export const UNBOUND: unknown = Symbol('otel-contextvars.unbound');

/**
 * Whether `v` is a ContextVar: the brand check `Context` uses too (internal/brand.ts), so a var of
 * another loaded copy of this package is accepted and an object shaped like one is not.
 */
export function isContextVar(v: unknown): v is ContextVar<unknown> {
  return varIdOf(v) !== undefined;
}
