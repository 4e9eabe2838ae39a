import { observeSets } from '../internal/set-observer';
import { MANAGER_BRAND } from './manager';
import type { ContextVarsContextManager } from './manager';
import { OnceReporter, newReportMemory } from './report-once';
import { shared } from '../internal/shared';

// Where @opentelemetry/api 1.x keeps its registered globals (the context manager and the tracer
// provider among them): one slot for every api copy of major version 1, 1.9 and 1.10 alike.
const OTEL_API_GLOBAL = Symbol.for('opentelemetry.js.api.1');
const CHECK_EVERY = 4096;
/** The code of the one visible warning, for `process.on('warning')` filters and --disable-warning. */
export const SPLIT_WARNING_CODE = 'OTEL_CONTEXTVARS_SPLIT';

// Per process, not per copy: one look every CHECK_EVERY calls on each of the two paths. Each path
// looks on its first call, so a set() at start-up, before an SDK registers its manager, does not
// put off the processors' first look by 4096 spans.
const countdowns = shared('split-countdowns', () => ({ sets: 1, telemetry: 1 }));
// The split is one problem of the process: every loaded copy reports it through one memory.
const reporter = new OnceReporter('otel-contextvars', shared('split-reports', newReportMemory));

interface ApiGlobals {
  context?: object;
  trace?: object;
}

function apiGlobals(): ApiGlobals | undefined {
  return (globalThis as Record<symbol, ApiGlobals | undefined>)[OTEL_API_GLOBAL];
}

/** The context manager registered with @opentelemetry/api (any copy of major version 1), if any. */
export function registeredManager(): object | undefined {
  return apiGlobals()?.context;
}

/** The globally registered context manager when it is not one of ours; undefined otherwise. */
export function foreignManager(): object | undefined {
  const manager = registeredManager();
  return manager === undefined || isOurManager(manager) ? undefined : manager;
}

/** Whether `manager` is a ContextVarsContextManager of any loaded copy of this package. */
export function isOurManager(manager: unknown): manager is ContextVarsContextManager {
  return (
    typeof manager === 'object' && manager !== null && (manager as Record<symbol, unknown>)[MANAGER_BRAND] === true
  );
}

function managerName(manager: object): string {
  const name = (manager.constructor as { name?: string } | undefined)?.name;
  // An anonymous class has the name '': that one is named generically too.
  return name !== undefined && name !== '' ? name : 'another manager';
}

const FIX =
  'Register ours: context.setGlobalContextManager(new ContextVarsContextManager()) before the SDK starts, ' +
  'new NodeSDK({ contextManager: new ContextVarsContextManager() }), ' +
  'or call takeOverContextManager() right after an SDK that registers its own (startNodeSdk(), provider.register())';

/**
 * Called from `set()`: on the first call, then every 4096th, looks at the context manager
 * registered with @opentelemetry/api. If it is another manager, spans and vars live in two
 * separate contexts (startActiveSpan would not see vars): say so once through diag, and once
 * visibly (process.emitWarning) when a tracer provider is registered too, as vars are then used
 * with spans.
 */
export function checkSplit(): void {
  if (--countdowns.sets > 0) return;
  countdowns.sets = CHECK_EVERY;
  const manager = foreignManager();
  if (manager !== undefined) reportSplit(manager, apiGlobals()?.trace !== undefined);
}

/**
 * Called by the span and log record processors, which run only when vars are used with
 * telemetry: on the first call, then every 4096th, reports another registered manager once
 * through diag and once visibly.
 */
export function checkSplitFromTelemetry(): void {
  if (--countdowns.telemetry > 0) return;
  countdowns.telemetry = CHECK_EVERY;
  const manager = foreignManager();
  if (manager !== undefined) reportSplit(manager, true);
}

function reportSplit(manager: object, withTelemetry: boolean): void {
  const message = (): string =>
    `the global OpenTelemetry context manager is ${managerName(manager)}, ` +
    `so spans and ContextVars live in separate contexts. ${FIX}`;
  reporter.report('split', '', message);
  // Visible even where no diag logger is set (the default): a split loses data silently.
  if (withTelemetry) reporter.warn('split with telemetry', '', message, SPLIT_WARNING_CODE);
}

// The core calls this on every set(); it does not import this layer.
observeSets(checkSplit);
