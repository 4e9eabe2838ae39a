/**
 * What the OpenTelemetry layer wants to hear about every `ContextVar.set()` (a look, now and then,
 * at which context manager is registered), without the core importing that layer: the layer
 * registers itself when it is loaded, and the core calls whatever is registered.
 */
let observer: () => void = () => undefined;

/** Called by `ContextVar.set()` after each set. */
export function notifySet(): void {
  observer();
}

/** Registers the one observer of sets (the OpenTelemetry layer's split check). */
export function observeSets(fn: () => void): void {
  observer = fn;
}
