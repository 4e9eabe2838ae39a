import { diag } from '@opentelemetry/api';
import { shared } from './shared';

/** Set on every ContextVarsContextManager, whichever copy of the package made it. */
export const MANAGER_BRAND: unique symbol = Symbol.for('otel-contextvars.manager') as never;

// Where @opentelemetry/api 1.x keeps its registered globals (the context manager among them).
const OTEL_API_GLOBAL = Symbol.for('opentelemetry.js.api.1');
const CHECK_EVERY = 4096;

// Per process, not per copy: one look every CHECK_EVERY sets, one warning in all.
const state = shared('split-check', () => ({ countdown: 1, warned: false }));

/**
 * Called from `set()`: on the first call, then every 4096th, looks at the context manager
 * registered with @opentelemetry/api. If it is another manager, spans and vars live in two
 * separate contexts (startActiveSpan would not see vars): say so once through diag.
 */
export function checkSplit(): void {
  if (--state.countdown > 0) return;
  state.countdown = CHECK_EVERY;
  if (state.warned) return;
  const api = (globalThis as Record<symbol, { context?: object } | undefined>)[OTEL_API_GLOBAL];
  const manager = api?.context as Record<symbol, unknown> | undefined;
  if (manager === undefined || manager[MANAGER_BRAND] === true) return;
  state.warned = true;
  diag.warn(
    `otel-contextvars: the global OpenTelemetry context manager is ${manager.constructor?.name ?? 'another manager'}, ` +
      'so spans and ContextVars live in separate contexts. Register ours: ' +
      'context.setGlobalContextManager(new ContextVarsContextManager())',
  );
}
