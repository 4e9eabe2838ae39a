// The 2.x package name @opentelemetry/sdk-trace-node on the 3.x line (see sdk-trace-base.ts). 3.x
// has no NodeTracerProvider and no register(): a hand-built provider is registered through the
// API, which is this package's 3.x recipe (README, "OpenTelemetry JS 3.x and 2.x"). So the root
// tests' `provider.register({ contextManager, propagator })` runs exactly that recipe here.
import { context, propagation, trace } from '@opentelemetry/api';
import type { ContextManager, TextMapPropagator } from '@opentelemetry/api';
import { TracerProvider } from '@opentelemetry/sdk-trace';

/** A 3.x TracerProvider with 2.x's register(), made of the 3.x recipe's three API calls. */
export class NodeTracerProvider extends TracerProvider {
  register(config: { contextManager?: ContextManager; propagator?: TextMapPropagator } = {}): void {
    trace.setGlobalTracerProvider(this);
    if (config.contextManager !== undefined) context.setGlobalContextManager(config.contextManager);
    if (config.propagator !== undefined) propagation.setGlobalPropagator(config.propagator);
  }
}
