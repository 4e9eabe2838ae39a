// bind() recognises an EventEmitter by its methods, not by node:events' class, so the manager
// loads where node:events does not exist and binds emitters from a bundled `events` polyfill.
import { ROOT_CONTEXT, createContextKey } from '@opentelemetry/api';
import type { Context as OtelContext } from '@opentelemetry/api';
import { ContextVarsContextManager } from '../../src/index';

const key = createContextKey('emitter-like key');
type Listener = (...args: unknown[]) => void;

/** A minimal emitter with Node's method names, not derived from node:events. */
class TinyEmitter {
  readonly #listeners = new Map<string | symbol, Listener[]>();
  on(event: string | symbol, listener: Listener): this {
    this.#listeners.set(event, [...(this.#listeners.get(event) ?? []), listener]);
    return this;
  }
  addListener(event: string | symbol, listener: Listener): this {
    return this.on(event, listener);
  }
  removeListener(event: string | symbol, listener: Listener): this {
    this.#listeners.set(
      event,
      (this.#listeners.get(event) ?? []).filter((l) => l !== listener),
    );
    return this;
  }
  emit(event: string | symbol, ...args: unknown[]): boolean {
    const listeners = this.#listeners.get(event) ?? [];
    for (const l of listeners) l(...args);
    return listeners.length > 0;
  }
}

test('an emitter not built on node:events gets its listeners bound, and removable', () => {
  const manager = new ContextVarsContextManager();
  const ee = new TinyEmitter();
  const ctx = ROOT_CONTEXT.setValue(key, 'bound');
  expect(manager.bind(ctx, ee)).toBe(ee);
  const seen: OtelContext[] = [];
  const listener = () => seen.push(manager.active());
  ee.on('x', listener);
  manager.with(ROOT_CONTEXT.setValue(key, 'emitter side'), () => ee.emit('x'));
  expect(seen).toEqual([ctx]);
  ee.removeListener('x', listener);
  expect(ee.emit('x')).toBe(false);
});

test('a function carrying emitter methods (an express app) is bound as a function', () => {
  const manager = new ContextVarsContextManager();
  const ctx = ROOT_CONTEXT.setValue(key, 'bound');
  const app = Object.assign(() => manager.active(), {
    on: () => undefined,
    addListener: () => undefined,
    removeListener: () => undefined,
    emit: () => false,
  });
  const bound = manager.bind(ctx, app);
  expect(bound).not.toBe(app);
  expect(bound()).toBe(ctx);
});
