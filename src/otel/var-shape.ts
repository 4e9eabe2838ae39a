import { varIdOf } from '../internal/brand';
import type { ContextVar } from '../var';

/**
 * Whether `v` is a ContextVar: the brand check `Context` uses too (internal/brand.ts), so a var of
 * another loaded copy of this package is accepted and an object shaped like one is not.
 */
export function isContextVar(v: unknown): v is ContextVar<unknown> {
  return varIdOf(v) !== undefined;
}
