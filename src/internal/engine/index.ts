import { AsyncLocalStorage, AsyncResource } from 'node:async_hooks';
import { ROOT_CONTEXT } from '@opentelemetry/api';
import type { Context as OtelContext } from '@opentelemetry/api';
import { shared } from '../shared';
import { createAlsEngine } from './als';
import { createHooksEngine } from './hooks';
import { selfCheck } from './self-check';
import type { Cell, Engine, Frame } from './types';

/**
 * Whether AsyncLocalStorage keeps an `enterWith` store on the async resource for its next
 * callback: true on the async-hooks engine, false on AsyncContextFrame. Detected (one resource,
 * two callbacks), not read from the version or the flags, which can change.
 */
function enterWithSticks(): boolean {
  const probe = new AsyncLocalStorage<boolean>();
  const resource = new AsyncResource('otel-contextvars.probe');
  resource.runInAsyncScope(() => probe.enterWith(true));
  const sticky = resource.runInAsyncScope(() => probe.getStore() === true);
  probe.disable();
  resource.emitDestroy();
  return sticky;
}

/** Picks the engine once per process (shared by every loaded copy; see shared.ts). */
function selectEngine(): Engine {
  const rootCell: Cell = { data: ROOT_CONTEXT, entered: false, facade: undefined };
  const root: Frame = { cell: rootCell, data: ROOT_CONTEXT };
  if (!enterWithSticks()) return createAlsEngine('async-context-frame', root);
  const failure = selfCheck(createHooksEngine);
  if (failure === undefined) return createHooksEngine(root);
  process.emitWarning(
    `otel-contextvars: ${failure}, so ContextVars fall back to AsyncLocalStorage.enterWith: every value is still ` +
      'seen where it must be, but a set() without reset may also be seen by the next callback of the same async ' +
      'resource (the next request on a keep-alive connection). Use ContextVar.run or isolated() for request scopes.',
    { type: 'ContextVarWarning', code: 'OTEL_CONTEXTVARS_ENGINE_FALLBACK' },
  );
  return createAlsEngine('fallback', root);
}

/** The process-wide engine. `var.ts`, `context.ts` and the manager use nothing else. */
export const engine: Engine = shared('engine', selectEngine);

/** A fresh cell holding `data` (the identity behind a new Context). */
export function newCell(data: OtelContext): Cell {
  return { data, entered: false, facade: undefined };
}

export type { Cell, Engine, EngineKind, Frame } from './types';
