// The demo's telemetry on the OpenTelemetry JS 2.x line (api 1.9, SDK 2.x), where Node is older
// than the current line needs or DEMO_OTEL_LINE=2.x asks for it (examples/demo/line.ts chooses): a
// NodeTracerProvider with our context manager, and pino lines that carry the trace ids and vars
// through `logFields()`.
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
import { ContextVarPropagator, ContextVarSpanProcessor, ContextVarsContextManager, logFields } from 'otel-contextvars';
import { bounded, otlpRequested, serviceName, spanRecord } from './records';
import type { LogEntry, Telemetry, TelemetryLine } from './records';
import { vars } from './vars';

// Registered at import time, before any service code loads `http` or calls fetch(). The instrumentation traces
// through the global tracer provider, which `startTelemetry` sets once the service knows its name.
// fetch() goes through undici, which the HTTP instrumentation does not see: without the undici
// instrumentation, a fetch carries neither the trace nor the vars.
registerInstrumentations({ instrumentations: [new HttpInstrumentation(), new UndiciInstrumentation()] });

// Warnings from OpenTelemetry (an unreachable collector, a split context manager) go to stderr,
// so a misconfiguration is visible instead of silently losing spans.
diag.setLogger(new DiagConsoleLogger(), DiagLogLevel.WARN);

// Pino's own fields; what is left of a line is what logFields added.
const PINO_FIELDS = new Set(['level', 'time', 'pid', 'hostname', 'msg', 'trace_id', 'span_id', 'trace_flags']);

function logEntry(service: string, line: Record<string, unknown>): LogEntry {
  const fields: Record<string, string> = {};
  for (const [key, value] of Object.entries(line)) if (!PINO_FIELDS.has(key)) fields[key] = String(value);
  const text = (key: string) => (typeof line[key] === 'string' ? line[key] : undefined);
  return {
    service,
    message: text('msg') ?? '',
    traceId: text('trace_id'),
    spanId: text('span_id'),
    traceFlags: text('trace_flags'),
    fields,
  };
}

/**
 * Registers tracing for one service: a NodeTracerProvider with our context manager, W3C trace
 * context + baggage + ContextVarPropagator, ContextVarSpanProcessor first (it adds attributes the
 * exporters must see), an in-memory exporter for printing and, when asked for, OTLP.
 */
function startTelemetry(service: string): Telemetry {
  const memory = new InMemorySpanExporter();
  const printing = new SimpleSpanProcessor(memory);
  const spanProcessors: SpanProcessor[] = [new ContextVarSpanProcessor({ vars }), printing];
  // The exporter reads OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT and _HEADERS itself.
  if (otlpRequested()) spanProcessors.push(new BatchSpanProcessor(new OTLPTraceExporter()));
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName(service) }),
    spanProcessors,
  });
  provider.register({
    contextManager: new ContextVarsContextManager(),
    propagator: new CompositePropagator({
      propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator(), new ContextVarPropagator({ vars })],
    }),
  });
  // The lines are kept to print next to their trace; a real service would write them to stdout.
  // The mixin runs inside `logger.info(...)`, in the caller's context, so concurrent requests never mix.
  const lines: LogEntry[] = [];
  const logger = pino(
    { mixin: () => logFields({ vars }) },
    { write: (line: string) => void lines.push(logEntry(service, JSON.parse(line) as Record<string, unknown>)) },
  );
  return {
    logger,
    async finishedSpans() {
      // Only the in-memory processor: flushing the provider would wait on (and fail with) OTLP.
      await printing.forceFlush();
      return memory.getFinishedSpans().map((span) => spanRecord(service, span));
    },
    finishedLogs: () => Promise.resolve(lines),
    shutdown: () => bounded(service, provider.shutdown()),
  };
}

/** The 2.x line: spans from the SDK, logs as pino lines with `logFields()`. */
export const line: TelemetryLine = {
  description: 'OpenTelemetry JS 2.x line (api 1.9, NodeTracerProvider): log lines from pino with logFields()',
  logKind: 'log lines',
  startTelemetry,
};
