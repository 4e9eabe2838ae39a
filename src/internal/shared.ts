import { diag } from '@opentelemetry/api';
import { PACKAGE_VERSION } from './version';

// Module state that two loaded copies of this package must share (an ESM and a CJS build, or two
// versions installed side by side) lives on globalThis under a versioned registered symbol, the
// way @opentelemetry/api keeps its globals. What is shared is data (the engine's state, the vars
// registry, the layout of the contexts vars live in); each copy runs its own code on it, so a newer
// copy's fixes run in that copy. Bump FORMAT when the shape or meaning of shared data changes:
// copies with different formats cannot share and say so through diag.
const FORMAT = 5;
const KEY = Symbol.for(`otel-contextvars.shared.v${FORMAT}`);

interface Slot {
  readonly version: string;
  /** Versions already reported as meeting this one (once each, not once per shared part). */
  readonly met: Set<string>;
  readonly parts: Record<string, unknown>;
}

function slot(): Slot {
  const g = globalThis as unknown as Record<symbol, Slot | undefined>;
  let s = g[KEY];
  if (s === undefined) {
    s = { version: PACKAGE_VERSION, met: new Set<string>(), parts: Object.create(null) as Record<string, unknown> };
    Object.defineProperty(globalThis, KEY, { value: s, enumerable: false, configurable: false });
    warnOnOtherFormats();
  } else if (s.version !== PACKAGE_VERSION && !s.met.has(PACKAGE_VERSION)) {
    s.met.add(PACKAGE_VERSION);
    diag.warn(
      `otel-contextvars ${PACKAGE_VERSION} found ${s.version} already loaded; ` +
        `both share one context (state format v${FORMAT}), each running its own code on it`,
    );
  }
  return s;
}

function warnOnOtherFormats(): void {
  for (const key of Object.getOwnPropertySymbols(globalThis)) {
    const name = Symbol.keyFor(key);
    if (name !== undefined && name.startsWith('otel-contextvars.shared.v') && key !== KEY) {
      diag.error(
        `otel-contextvars: another copy with an incompatible state format (${name}) is loaded; ` +
          'ContextVars of one copy are not visible to the other. Install a single version.',
      );
    }
  }
}

/**
 * The shared part called `name`, created by the first copy that asks for it. Later copies get
 * that first copy's object: keep it data (records, counters, registries), never functions that
 * another copy would then run.
 */
export function shared<T>(name: string, create: () => T): T {
  const parts = slot().parts;
  if (!(name in parts)) parts[name] = create();
  return parts[name] as T;
}
