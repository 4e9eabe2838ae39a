import { AsyncResource } from 'node:async_hooks';
import { ROOT_CONTEXT } from '@opentelemetry/api';
import type { HooksEngine } from './hooks';
import type { Frame } from './types';

/**
 * Proves, at start-up and on a throwaway instance, the three behaviours the async-hooks engine
 * relies on: a frame entered inside a resource's callback is read back there; a resource created
 * after it inherits it; the same resource's next callback does not see it once the run is over.
 * Each step uses only public async_hooks APIs, but the hooks they rely on are Node's to change.
 * @returns undefined when all hold, else what failed (for the fallback warning).
 */
export function selfCheck(create: (root: Frame) => HooksEngine): string | undefined {
  if (process.env.OTEL_CONTEXTVARS_SELF_CHECK === 'fail')
    return 'the self-check was made to fail (OTEL_CONTEXTVARS_SELF_CHECK=fail)';
  const root: Frame = { cell: { data: ROOT_CONTEXT, entered: false, facade: undefined }, data: ROOT_CONTEXT };
  const probe = create(root);
  const marked: Frame = { cell: root.cell, data: ROOT_CONTEXT.setValue(Symbol('otel-contextvars.self-check'), 1) };
  const parent = new AsyncResource('otel-contextvars.self-check');
  let child: AsyncResource | undefined;
  try {
    const readBack = parent.runInAsyncScope(() => {
      probe.enter(probe.current(), marked);
      child = new AsyncResource('otel-contextvars.self-check.child');
      return probe.current() === marked;
    });
    probe.seal();
    if (!readBack) return 'a frame entered in a callback was not read back in it';
    if (child?.runInAsyncScope(() => probe.current() === marked) !== true)
      return 'a resource created after an enter did not inherit its frame';
    if (parent.runInAsyncScope(() => probe.current()) !== root)
      return "an enter was still seen by its resource's next callback";
    return undefined;
  } catch (error) {
    return `the self-check threw ${String(error)}`;
  } finally {
    probe.dispose();
    parent.emitDestroy();
    child?.emitDestroy();
  }
}
