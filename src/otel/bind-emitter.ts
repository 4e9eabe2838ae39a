type Listener = (...args: unknown[]) => unknown;
type Wrap = (listener: Listener) => Listener;

const ADDERS = ['addListener', 'on', 'once', 'prependListener', 'prependOnceListener'] as const;
const REMOVERS = ['removeListener', 'off'] as const;

/** What is bound as an emitter: an object with Node's EventEmitter methods, from any copy of `events`. */
export interface EmitterLike {
  on(event: string | symbol, listener: Listener): unknown;
  addListener(event: string | symbol, listener: Listener): unknown;
  removeListener(event: string | symbol, listener: Listener): unknown;
  emit(event: string | symbol, ...args: unknown[]): unknown;
}

/**
 * Recognises an EventEmitter by its methods rather than with `instanceof`, so no node:events
 * import is needed at load (browsers, workerd without nodejs_compat) and emitters from a bundled
 * `events` polyfill are bound too. Functions are excluded: an express app is a function with
 * emitter methods mixed in, and binding it as a function is what the stock manager does.
 */
export function isEmitterLike(target: unknown): target is EmitterLike {
  if (typeof target !== 'object' || target === null) return false;
  const t = target as Partial<Record<keyof EmitterLike, unknown>>;
  return (
    typeof t.on === 'function' &&
    typeof t.addListener === 'function' &&
    typeof t.removeListener === 'function' &&
    typeof t.emit === 'function'
  );
}

/**
 * Patches `ee` so every listener added from now on runs through `wrap` (the manager binds it to a
 * context), and removing the original listener removes its wrapper. The behaviour of
 * OpenTelemetry's AsyncLocalStorageContextManager for EventEmitters: one patch per emitter and
 * manager, `once` not wrapped twice, `removeAllListeners` forgetting the wrappers it drops.
 */
export function bindEmitter<E extends EmitterLike>(ee: E, wrap: Wrap, patchKey: symbol): E {
  const host = ee as unknown as Record<symbol | string, unknown>;
  if (host[patchKey] !== undefined) return ee;
  // event -> (original listener -> wrapper); a WeakMap so a dropped listener is not kept alive.
  let byEvent = new Map<string | symbol, WeakMap<Listener, Listener>>();
  host[patchKey] = true;
  // `once` calls `on` internally with its own wrapper; wrapping that again would break
  // removeListener's detection of once-wrappers, so nested adds pass straight through.
  let adding = false;

  for (const name of ADDERS) {
    const original = host[name];
    if (typeof original !== 'function') continue;
    host[name] = function addPatched(this: unknown, event: string | symbol, listener: Listener) {
      if (adding || typeof listener !== 'function') return original.call(this, event, listener) as unknown;
      let wrappers = byEvent.get(event);
      if (wrappers === undefined) byEvent.set(event, (wrappers = new WeakMap()));
      const wrapped = wrap(listener);
      wrappers.set(listener, wrapped);
      adding = true;
      try {
        return original.call(this, event, wrapped) as unknown;
      } finally {
        adding = false;
      }
    };
  }
  for (const name of REMOVERS) {
    const original = host[name];
    if (typeof original !== 'function') continue;
    host[name] = function removePatched(this: unknown, event: string | symbol, listener: Listener) {
      const wrapped = byEvent.get(event)?.get(listener);
      return original.call(this, event, wrapped ?? listener) as unknown;
    };
  }
  const removeAll = host.removeAllListeners;
  if (typeof removeAll === 'function') {
    host.removeAllListeners = function removeAllPatched(this: unknown, ...args: unknown[]) {
      if (args.length === 0) byEvent = new Map();
      else byEvent.delete(args[0] as string | symbol);
      return removeAll.apply(this, args) as unknown;
    };
  }
  return ee;
}
