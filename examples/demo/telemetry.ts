// Tracing and logging shared by the two demo services (examples/demo.ts and examples/demo/backend.ts).
// Import this module before `node:http`: the HTTP instrumentation patches the module as it is
// loaded, so a service that loaded `http` first would send and receive untraced requests.
import { DiagConsoleLogger, DiagLogLevel, diag } from '@opentelemetry/api';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import pino from 'pino';
import type { DestinationStream, Logger } from 'pino';
import {
  ContextVar,
  ContextVarPropagator,
  ContextVarSpanProcessor,
  ContextVarsContextManager,
  logFields,
} from 'otel-contextvars';

// Module-level vars, as in Python: one per concept, never one per request. Each process creates
// its own objects; the propagator matches them across the wire by name.
export const requestId = new ContextVar<string>('request.id');
export const tenant = new ContextVar<string>('tenant');
export const user = new ContextVar<string>('user.id');
const vars = [requestId, tenant, user];

// Registered at import time, before any service code loads `http` or calls fetch(). The instrumentation traces
// through the global tracer provider, which `startTelemetry` sets once the service knows its name.
// fetch() goes through undici, which the HTTP instrumentation does not see: without the undici
// instrumentation, a fetch carries neither the trace nor the vars.
registerInstrumentations({ instrumentations: [new HttpInstrumentation(), new UndiciInstrumentation()] });

// Warnings from OpenTelemetry (an unreachable collector, a split context manager) go to stderr,
// so a misconfiguration is visible instead of silently losing spans.
diag.setLogger(new DiagConsoleLogger(), DiagLogLevel.WARN);

/** A finished span in a form that survives IPC and JSON, with the service that recorded it. */
export interface SpanRecord {
  service: string;
  name: string;
  kind: number;
  traceId: string;
  spanId: string;
  parentSpanId: string | undefined;
  startNs: number;
  durationMs: number;
  attributes: Record<string, unknown>;
}

/**
 * True when the standard OTel environment asks for OTLP: an endpoint is set, or
 * `OTEL_TRACES_EXPORTER` lists `otlp`. The demo then exports there as well as printing.
 */
export function otlpRequested(env: NodeJS.ProcessEnv = process.env): boolean {
  const exporters = (env.OTEL_TRACES_EXPORTER ?? '').split(',').map((s) => s.trim());
  return (
    Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT ?? env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) || exporters.includes('otlp')
  );
}

export interface Telemetry {
  /** Every span this process finished, flushed first. */
  finishedSpans(): Promise<SpanRecord[]>;
  /** Flushes and stops exporting; bounded, so a collector that never answers cannot hang the demo. */
  shutdown(): Promise<void>;
}

/**
 * Registers tracing for one service: a NodeTracerProvider with our context manager, W3C trace
 * context + baggage + ContextVarPropagator, ContextVarSpanProcessor first (it adds attributes the
 * exporters must see), an in-memory exporter for printing and, when asked for, OTLP.
 */
export function startTelemetry(service: string): Telemetry {
  const memory = new InMemorySpanExporter();
  const printing = new SimpleSpanProcessor(memory);
  const spanProcessors: SpanProcessor[] = [new ContextVarSpanProcessor({ vars }), printing];
  // The exporter reads OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT and _HEADERS itself.
  if (otlpRequested()) spanProcessors.push(new BatchSpanProcessor(new OTLPTraceExporter()));
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({
      'service.name': process.env.OTEL_SERVICE_NAME ? `${process.env.OTEL_SERVICE_NAME}-${service}` : `demo-${service}`,
    }),
    spanProcessors,
  });
  provider.register({
    contextManager: new ContextVarsContextManager(),
    propagator: new CompositePropagator({
      propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator(), new ContextVarPropagator({ vars })],
    }),
  });
  return {
    async finishedSpans() {
      // Only the in-memory processor: flushing the provider would wait on (and fail with) OTLP.
      await printing.forceFlush();
      return memory.getFinishedSpans().map((s) => ({
        service,
        name: s.name,
        kind: s.kind,
        traceId: s.spanContext().traceId,
        spanId: s.spanContext().spanId,
        parentSpanId: s.parentSpanContext?.spanId,
        startNs: s.startTime[0] * 1e9 + s.startTime[1],
        durationMs: s.duration[0] * 1e3 + s.duration[1] / 1e6,
        attributes: { ...s.attributes },
      }));
    },
    async shutdown() {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          diag.warn(
            `${service}: OTLP export did not finish within 5 s; is a collector listening at the OTEL_EXPORTER_OTLP_* endpoint?`,
          );
          resolve();
        }, 5_000);
      });
      await Promise.race([
        provider.shutdown().catch((error: unknown) => diag.warn(`${service}: OTLP export failed:`, error)),
        timeout,
      ]);
      clearTimeout(timer);
    },
  };
}

/**
 * A pino logger whose every line carries the active trace ids and the request's vars. The mixin
 * runs inside `logger.info(...)`, in the caller's context, so concurrent requests never mix.
 */
export function createLogger(service: string, destination: DestinationStream): Logger {
  return pino({ base: { service }, mixin: () => logFields({ vars }) }, destination);
}
