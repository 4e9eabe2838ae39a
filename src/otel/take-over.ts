import { ROOT_CONTEXT, context } from '@opentelemetry/api';
import type { Context as OtelContext } from '@opentelemetry/api';
import { OnceReporter, errorText } from './report-once';
import { SPLIT_WARNING_CODE, foreignManager, isOurManager, registeredManager } from './split-check';
import { ContextVarsContextManager } from './manager';

const reporter = new OnceReporter('otel-contextvars takeOverContextManager');

/**
 * Makes a ContextVarsContextManager the global OpenTelemetry context manager, taking over from
 * whatever manager is registered (such as the stock AsyncLocalStorageContextManager that
 * `startNodeSdk()` of @opentelemetry/sdk-node 0.30x, or `NodeTracerProvider.register()` without
 * a `contextManager` of the 2.x line, registers). One line after the SDK starts:
 * `startNodeSdk({...}); takeOverContextManager();`.
 *
 * Steps: the context active now (a span or baggage the caller runs in) is read from the old
 * manager; `context.disable()` disables and unregisters the old manager (OTel's own way to
 * replace one); ours is registered; and, if the carried context was not the root, it is attached
 * so the rest of this synchronous run and what it schedules keep it. Nothing is lost in the
 * switch, as long as it happens at start-up: scopes the old manager opened earlier and are still
 * running (an open `context.with`) end with it. When ours is already registered, nothing changes.
 *
 * The OpenTelemetry counterpart is `context.setGlobalContextManager`, which refuses to replace a
 * registered manager (and reports that through `diag` only); Python has no equivalent (its
 * OpenTelemetry context already is a ContextVar).
 *
 * @param manager the manager to register; a new ContextVarsContextManager by default.
 * @returns the registered manager (the one already registered when it was one of ours).
 * @throws never; if registration is refused (an incompatible @opentelemetry/api, or a registered
 * manager whose disable() threw), a process warning says so and the returned manager is not the
 * global one. A registered manager whose active() throws is reported through `diag`, and the
 * switch starts from the root context. Each of these is reported once per process.
 */
export function takeOverContextManager(
  manager: ContextVarsContextManager = new ContextVarsContextManager(),
): ContextVarsContextManager {
  const registered = registeredManager();
  if (isOurManager(registered)) return registered;
  // The registered manager is someone else's code: whatever it throws is reported, not rethrown.
  let carried: OtelContext = ROOT_CONTEXT;
  try {
    carried = context.active();
  } catch (error) {
    reporter.report(
      'active() threw',
      '',
      () => `the registered context manager's active() threw ${errorText(error)}; starting from the root context`,
    );
  }
  try {
    if (foreignManager() !== undefined) context.disable();
  } catch (error) {
    reporter.report(
      'disable() threw',
      '',
      () => `the registered context manager's disable() threw ${errorText(error)}`,
    );
  }
  if (!context.setGlobalContextManager(manager)) {
    reporter.warn(
      'not registered',
      '',
      'could not register the ContextVarsContextManager (@opentelemetry/api refused it; its diag logger says why): ' +
        'spans and ContextVars live in separate contexts',
      SPLIT_WARNING_CODE,
    );
    return manager;
  }
  if (carried !== ROOT_CONTEXT) manager.attach(carried);
  return manager;
}
