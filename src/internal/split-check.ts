import { diag } from '@opentelemetry/api';
import { engine } from './engine';

/** Set on every ContextVarsContextManager, whichever copy of the package made it. */
export const MANAGER_BRAND: unique symbol = Symbol.for('otel-contextvars.manager') as never;

// Where @opentelemetry/api 1.x keeps its registered globals (the context manager among them).
const OTEL_API_GLOBAL = Symbol.for('opentelemetry.js.api.1');
const CHECK_EVERY = 4096;

/**
 * Called from `set()`: on the first call, then every 4096th, looks at the context manager
 * registered with @opentelemetry/api. If it is another manager, spans and vars live in two
 * separate contexts (startActiveSpan would not see vars): say so once through diag.
 */
export function checkSplit(): void {
  if (--engine.splitCheckIn > 0) return;
  engine.splitCheckIn = CHECK_EVERY;
  if (engine.splitWarned) return;
  const api = (globalThis as Record<symbol, { context?: object } | undefined>)[OTEL_API_GLOBAL];
  const manager = api?.context as Record<symbol, unknown> | undefined;
  if (manager === undefined || manager[MANAGER_BRAND] === true) return;
  engine.splitWarned = true;
  diag.warn(
    `otel-contextvars: the global OpenTelemetry context manager is ${manager.constructor?.name ?? 'another manager'}, ` +
      'so spans and ContextVars live in separate contexts. Register ours: ' +
      'context.setGlobalContextManager(new ContextVarsContextManager())',
  );
}
