import { inspect } from 'node:util';
import { shared } from './shared';

// One counter for every loaded copy, so two copies never print the same id for two objects.
const ids = shared('repr', () => ({ last: 0 }));

/** Node's `util.inspect` hook; a registered symbol, so it needs no import of `util` by callers. */
export const inspectSymbol: unique symbol = Symbol.for('nodejs.util.inspect.custom') as never;

/**
 * A stand-in for the address CPython prints in reprs (`at 0x7f...`): a small per-object number,
 * handed out the first time an object is printed, from a counter shared by every loaded copy.
 */
export function reprId(assigned: number): number {
  return assigned !== 0 ? assigned : ++ids.last;
}

/** Python-style repr of a value: strings in single quotes, like `repr()` of a str. */
export function reprValue(value: unknown): string {
  try {
    return inspect(value, { depth: 1, breakLength: Infinity });
  } catch {
    // A value whose inspect hook, getters or Proxy traps throw: a message must still be made, and
    // the error it is for must be the documented one, not the value's.
    return `<unprintable ${typeof value}>`;
  }
}

/** Hex form used in place of the address. */
export function hex(id: number): string {
  return `0x${id.toString(16)}`;
}
