import type { Context as OtelContext } from '@opentelemetry/api';
import { isOtelContext } from '../internal/otel-context';
import { reprValue } from '../internal/repr';
import { ContextVarsContextManager } from './manager';
import { OnceReporter } from './report-once';

/**
 * The store shape `Channel#bindStore` uses. Node 20-24 call `run(value, fn)` around the
 * publisher's call; Node 26 calls `withScope(value)` before it and disposes the result after it.
 */
export interface ChannelStore<V> {
  /** Runs `fn` with `value` in the store, as `AsyncLocalStorage.run` (what `runStores` calls). */
  run<R>(value: V, fn: (...args: unknown[]) => R, ...args: unknown[]): R;
  /** Puts `value` in the store until the returned scope is disposed (what Node 26's channels call). */
  withScope(value: V): Disposable;
}

// Every instance of the manager serves the one process-wide context, registered globally or not:
// the store works with no OpenTelemetry SDK and whichever manager the API has.
const manager = new ContextVarsContextManager();
const reporter = new OnceReporter('otel-contextvars activeContextStore');

function contextFor(value: unknown): OtelContext {
  if (isOtelContext(value)) return value;
  // A channel's transform runs inside the publisher's call (a request, a fetch): a value that is
  // not a Context leaves the call in the context it already had rather than throwing into it.
  // The subject is the value's type, not its text: a transform's results must not grow the memory.
  reporter.report(
    'not a context',
    typeof value,
    () =>
      `the channel's transform returned ${reprValue(value)}, not an OpenTelemetry Context; the call runs in the active context`,
  );
  return manager.active();
}

/**
 * A `diagnostics_channel` store for the whole active OpenTelemetry Context (span, baggage and
 * vars together): `channel.bindStore(activeContextStore, (message) => ctxFor(message))` makes the
 * transform's Context active for the publisher's call and everything it schedules, as
 * `context.with(ctx, fn)` does; the caller's context is active again after it. A transform result
 * that is not a Context leaves the active context as it was, reported once through `diag`.
 *
 * Node types the store as an AsyncLocalStorage; this object implements the two methods Node calls
 * on it (`run` on Node 20-24, `withScope` on Node 26). Python has no equivalent.
 */
export const activeContextStore: ChannelStore<OtelContext> = Object.freeze({
  /** Calls `fn(...args)` with `ctx` active, like `context.with(ctx, fn)`; returns its result. */
  run<R>(ctx: OtelContext, fn: (...args: unknown[]) => R, ...args: unknown[]): R {
    return manager.with(contextFor(ctx), fn, undefined, ...args);
  },
  /**
   * Makes `ctx` active until the result is disposed (once; later disposals do nothing), then
   * restores the context active before: the scoped form Node 26's channels use.
   */
  withScope(ctx: OtelContext): Disposable {
    return manager.attach(contextFor(ctx));
  },
});
