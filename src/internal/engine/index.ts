import { alsStore, createAlsEngine } from './als';
import type { AlsStore } from './als';
import { findAsyncHooks } from './host';
import type { AsyncHooksHost } from './host';
import { createHooksEngine, hooksStore, newHooksEngine } from './hooks';
import type { HooksStore } from './hooks';
import { firstRoot } from './root';
import { createScopedEngine, scopedStore } from './scoped';
import type { ScopedStore } from './scoped';
import { selfCheck } from './self-check';
import { createSyncEngine, syncStore } from './sync';
import type { SyncStore } from './sync';
import { shared } from '../shared';
import { warn } from '../warn';
import type { Context as OtelContext } from '@opentelemetry/api';
import type { Engine, EngineKind, Frame } from './types';

type Storage = NonNullable<AsyncHooksHost['AsyncLocalStorage']>;

/**
 * How AsyncLocalStorage behaves here, probed (never read from a version or a flag, which can
 * change): 'sticky' when an `enterWith` store stays on an async resource for its next callback
 * (async hooks), 'frame' when it does not (AsyncContextFrame), 'run-only' when `enterWith` throws
 * or is missing but `run` works (workerd, edge runtimes), 'broken' when not even `run` works.
 */
function probeStorage(host: AsyncHooksHost, Storage: Storage): 'sticky' | 'frame' | 'run-only' | 'broken' {
  const runProbe = new Storage<number>();
  try {
    if (runProbe.run(1, () => runProbe.getStore()) !== 1 || runProbe.getStore() !== undefined) return 'broken';
  } catch {
    return 'broken';
  } finally {
    stop(runProbe);
  }
  const stickProbe = new Storage<boolean>();
  try {
    const { AsyncResource } = host;
    if (typeof AsyncResource !== 'function') return 'run-only';
    const resource = new AsyncResource('otel-contextvars.probe');
    resource.runInAsyncScope(() => stickProbe.enterWith(true));
    const sticky = resource.runInAsyncScope(() => stickProbe.getStore() === true);
    resource.emitDestroy();
    return sticky ? 'sticky' : 'frame';
  } catch {
    return 'run-only';
  } finally {
    stop(stickProbe);
  }
}

/**
 * Disables a probe: on async hooks an enabled AsyncLocalStorage copies its store onto every new
 * async resource for the life of the process, which slows every async operation and every
 * `executionAsyncResource()` (measured: 3.7 -> 10.6 ns on Node 20 with two probes left enabled).
 * workerd's `disable` throws; there is nothing to stop there.
 */
function stop(probe: { disable(): void }): void {
  try {
    probe.disable();
  } catch {
    // Nothing was enabled.
  }
}

/** Runtimes whose designed engine is the run-scoped or synchronous one: no warning there. */
function expectsLimitedEngine(): boolean {
  const g = globalThis as { navigator?: { userAgent?: unknown }; EdgeRuntime?: unknown; process?: unknown };
  try {
    return (
      g.navigator?.userAgent === 'Cloudflare-Workers' || typeof g.EdgeRuntime === 'string' || g.process === undefined
    );
  } catch {
    return false;
  }
}

/** What an engine keeps, as data: each loaded copy runs its own engine code on it (see adopt). */
type EngineStore = AlsStore | HooksStore | ScopedStore | SyncStore;

/** Picks the engine once per process and makes its state (shared by every loaded copy). Never throws. */
function selectEngine(): EngineStore {
  const host = findAsyncHooks();
  const Storage = host?.AsyncLocalStorage;
  if (host === undefined || typeof Storage !== 'function') return limitedEngine(undefined);
  const state = probeStorage(host, Storage);
  if (state === 'frame') return alsStore('async-context-frame', Storage, firstRoot());
  if (state !== 'sticky') return limitedEngine(state === 'run-only' ? Storage : undefined);
  const failure = selfCheck(host, newHooksEngine);
  const { createHook, executionAsyncResource, executionAsyncId } = host;
  if (failure === undefined && createHook !== undefined && executionAsyncResource !== undefined)
    return hooksStore({ createHook, executionAsyncResource, executionAsyncId }, firstRoot());
  warn(
    `otel-contextvars: ${failure ?? 'async_hooks changed during the self-check'}, so ContextVars fall back to ` +
      'AsyncLocalStorage.enterWith: every value is still seen where it must be, but a set() without reset may also ' +
      'be seen by the next callback of the same async resource (the next request on a keep-alive connection). ' +
      'Use ContextVar.run or isolated() for request scopes.',
    'OTEL_CONTEXTVARS_ENGINE_FALLBACK',
  );
  return alsStore('fallback', Storage, firstRoot());
}

/** The run-scoped engine where only `run` works (given its AsyncLocalStorage), else the synchronous one. */
function limitedEngine(runOnly: Storage | undefined): ScopedStore | SyncStore {
  if (!expectsLimitedEngine()) {
    warn(
      runOnly !== undefined
        ? 'otel-contextvars: AsyncLocalStorage.enterWith does not work here, so ContextVars hold per scope: set() ' +
            'outside ContextVar.run, Context.run, isolated() or a context manager with() throws a RuntimeError.'
        : 'otel-contextvars: no working AsyncLocalStorage here, so ContextVars hold for synchronous scopes only: ' +
            'a value set before an await or a timer is not seen in its callback.',
      'OTEL_CONTEXTVARS_ENGINE_FALLBACK',
    );
  }
  return runOnly !== undefined ? scopedStore(runOnly, firstRoot()) : syncStore(firstRoot());
}

/**
 * The process-wide engine. `var.ts`, `context.ts` and the manager use nothing else.
 *
 * Chosen on first use, not at load: the probes and the self-check take about 2 ms of CPU on
 * Node 20, which a serverless cold start would pay even for a function that never reads a var.
 * Until then each operation is a stub that chooses the engine, puts this copy's operations for it
 * in its own place on this object, and runs. Call sites keep calling `engine.current()` on the one
 * object, as they did with an engine chosen at load.
 */
export const engine: Engine = {
  get kind(): EngineKind {
    return adopt().kind;
  },
  current: () => adopt().current(),
  set: (next) => adopt().set(next),
  enter: (cell, context) => adopt().enter(cell, context),
  with: (context) => adopt().with(context),
  exit: (mark) => adopt().exit(mark),
  wrap: (cell, context, fn, thisArg, args) => adopt().wrap(cell, context, fn, thisArg, args),
  disable: () => adopt().disable(),
};

/**
 * This copy's engine over the process's engine state. Loaded copies of the package (an ES module
 * build beside the CommonJS one, two versions in one tree) share the state, chosen and made by the
 * first copy to need it, and each runs its own code on it: a newer copy's fixes run in that copy.
 * A copy whose state format differs shares nothing (shared.ts reports it).
 */
function adopt(): Engine {
  const chosen = engineOver(shared('engine', selectEngine));
  // The operations (closures: none reads `this`) replace the stubs.
  Object.defineProperties(engine, Object.getOwnPropertyDescriptors(chosen));
  return chosen;
}

function engineOver(store: EngineStore): Engine {
  switch (store.kind) {
    case 'async-context-frame':
    case 'fallback':
      return createAlsEngine(store);
    case 'async-hooks':
      return createHooksEngine(store);
    case 'run-scoped':
      return createScopedEngine(store);
    case 'synchronous':
      return createSyncEngine(store);
  }
}

export { Cell } from './types';
export type { Engine, EngineKind, Frame } from './types';

/**
 * Makes `context` current in `frame`'s cell for the rest of this synchronous run (see Engine.set);
 * `frame` is what `engine.current()` just returned. A frame that descends from a run entering its
 * cell writes through to the cell (Python keeps a set made inside `ctx.run` in `ctx`, after an
 * await too); any other set, such as one in a request handler running in the root cell, stays in
 * the frames and never shows through a Context object read from elsewhere.
 */
export function moveTo(frame: Frame, context: OtelContext): void {
  engine.set({ cell: frame.cell, context, inRun: frame.inRun });
  if (frame.inRun) frame.cell.keep(context);
}
