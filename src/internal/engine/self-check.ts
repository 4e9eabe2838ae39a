import { ROOT_CONTEXT } from '@opentelemetry/api';
import type { AsyncHooksHost } from './host';
import type { HooksEngine, HooksHost } from './hooks';
import { firstRoot } from './root';
import type { Frame } from './types';

/**
 * Proves, at start-up and on a throwaway instance, the behaviours the async-hooks engine relies
 * on: a frame set inside a resource's callback is read back there; a set in a callback of another
 * resource nested in it stays that resource's; a resource created after it inherits it; the same
 * resource's next callback does not see it once the run is over.
 * Each step uses only public async_hooks APIs, but the hooks they rely on are Node's to change,
 * and other runtimes ship stubs (workerd's `createHook` never calls `init`). Never throws.
 * @returns undefined when all hold, else what failed (for the fallback warning).
 */
export function selfCheck(
  host: AsyncHooksHost,
  create: (host: HooksHost, first: Frame) => HooksEngine,
): string | undefined {
  const { AsyncResource, createHook, executionAsyncResource, executionAsyncId } = host;
  if (typeof createHook !== 'function' || typeof executionAsyncResource !== 'function')
    return 'async_hooks has no createHook or executionAsyncResource';
  if (typeof AsyncResource !== 'function') return 'async_hooks has no AsyncResource';
  let probe: HooksEngine | undefined;
  let parent: InstanceType<typeof AsyncResource> | undefined;
  let child: InstanceType<typeof AsyncResource> | undefined;
  let other: InstanceType<typeof AsyncResource> | undefined;
  try {
    const first = firstRoot();
    probe = create({ createHook, executionAsyncResource, executionAsyncId }, first);
    const engine = probe;
    const marked: Frame = { ...first, context: ROOT_CONTEXT.setValue(Symbol('otel-contextvars.self-check'), 1) };
    parent = new AsyncResource('otel-contextvars.self-check');
    const [readBack, keptOwn] = parent.runInAsyncScope(() => {
      engine.set({ ...engine.current(), context: marked.context });
      const seen = engine.current().context === marked.context;
      child = new AsyncResource('otel-contextvars.self-check.child');
      // A callback of another resource nested in this one writes its own slot, not this one's
      // (the engine's read cache relies on each callback running with its own async id).
      other = new AsyncResource('otel-contextvars.self-check.nested');
      other.runInAsyncScope(() => engine.set({ ...engine.current(), context: ROOT_CONTEXT }));
      return [seen, engine.current().context === marked.context];
    });
    engine.seal();
    if (!readBack) return 'a frame set in a callback was not read back in it';
    if (!keptOwn) return "a set in a nested callback of another resource was seen by the outer one's";
    if (child?.runInAsyncScope(() => engine.current().context === marked.context) !== true)
      return 'a resource created after a set did not inherit its frame';
    if (parent.runInAsyncScope(() => engine.current().context) !== ROOT_CONTEXT)
      return "a set was still seen by its resource's next callback";
    return undefined;
  } catch (error) {
    return `the self-check threw ${describe(error)}`;
  } finally {
    try {
      probe?.dispose();
      parent?.emitDestroy();
      child?.emitDestroy();
      other?.emitDestroy();
    } catch {
      // A stub that throws on clean-up changes nothing about the verdict.
    }
  }
}

function describe(error: unknown): string {
  try {
    return String(error);
  } catch {
    return 'an unprintable error';
  }
}
