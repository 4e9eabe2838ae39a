import { shared } from './shared';
import { render } from './render';

// One counter for every loaded copy, so two copies never print the same id for two objects.
const ids = shared('repr', () => ({ last: 0 }));

/** Node's `util.inspect` hook; a registered symbol, so it needs no import of `util` by callers. */
export const inspectSymbol: unique symbol = Symbol.for('nodejs.util.inspect.custom');

type Inspect = (value: unknown, options: { depth: number; breakLength: number }) => string;
interface BuiltinHost {
  process?: { getBuiltinModule?: (id: string) => { inspect?: unknown } | undefined };
}

// Node's own util.inspect where the runtime has it (Node 20.16+, Bun, Deno, workerd with
// nodejs_compat), fetched on first use rather than imported, so loading needs no node:util (absent
// in browsers and in workerd with nodejs_als alone); elsewhere a small renderer of the same shape.
let inspect: Inspect | undefined;

function findInspect(): Inspect {
  try {
    const util = (globalThis as BuiltinHost).process?.getBuiltinModule?.('node:util');
    if (typeof util?.inspect === 'function') return util.inspect as Inspect;
  } catch {
    // A runtime whose getBuiltinModule refuses node:util renders with the fallback.
  }
  return (value) => render(value);
}

/**
 * A stand-in for the address CPython prints in reprs (`at 0x7f...`): a small per-object number,
 * handed out the first time an object is printed, from a counter shared by every loaded copy.
 */
export function reprId(assigned: number): number {
  return assigned !== 0 ? assigned : ++ids.last;
}

/**
 * Python-style repr of a value: strings in single quotes, like `repr()` of a str. Never throws: a
 * value whose inspect hook, proxy traps or getters throw prints as a placeholder, because reprs end
 * up in error messages and diagnostics, where a second error would hide the first.
 */
export function reprValue(value: unknown): string {
  try {
    inspect ??= findInspect();
    return inspect(value, { depth: 1, breakLength: Infinity });
  } catch {
    return `<unprintable ${value === null ? 'null' : typeof value}>`;
  }
}

/** Hex form used in place of the address. */
export function hex(id: number): string {
  return `0x${id.toString(16)}`;
}
