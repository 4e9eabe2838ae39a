// The demo's telemetry on the current OpenTelemetry JS line (api 1.10, SDK 3.x, Node 22.15+), set
// up as the README's telemetry file does: NodeSDK with our context manager, W3C trace context +
// baggage + ContextVarPropagator, ContextVarSpanProcessor and ContextVarLogRecordProcessor, and the
// http, undici and pino instrumentations. Pino gets no `logFields()` mixin: with PinoInstrumentation
// the record already has the trace context from the SDK and the vars from the log-record
// processor, and the mixin would put every var on it twice.
import { instrumentations } from './instrumentations';
import { DiagConsoleLogger, DiagLogLevel, diag } from '@opentelemetry/api';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { BatchLogRecordProcessor, InMemoryLogRecordExporter, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import type { LogRecordProcessor, ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import type { SpanProcessor } from '@opentelemetry/sdk-trace';
import pino from 'pino';
import {
  ContextVarLogRecordProcessor,
  ContextVarPropagator,
  ContextVarSpanProcessor,
  ContextVarsContextManager,
} from 'otel-contextvars';
import { bounded, otlpRequested, serviceName, spanRecord } from '../records';
import type { LogEntry, Telemetry, TelemetryLine } from '../records';
import { vars } from '../vars';

// Warnings from OpenTelemetry (an unreachable collector, a split context manager) go to stderr,
// so a misconfiguration is visible instead of silently losing spans or records.
diag.setLogger(new DiagConsoleLogger(), DiagLogLevel.WARN);

function logEntry(service: string, record: ReadableLogRecord): LogEntry {
  const fields: Record<string, string> = {};
  for (const [key, value] of Object.entries(record.attributes)) fields[key] = String(value);
  return {
    service,
    message: typeof record.body === 'string' ? record.body : JSON.stringify(record.body),
    traceId: record.spanContext?.traceId,
    spanId: record.spanContext?.spanId,
    traceFlags: record.spanContext?.traceFlags.toString(16).padStart(2, '0'),
    fields,
  };
}

/**
 * Starts NodeSDK for one service: the processors that add the vars come first (they add attributes
 * the exporters must see), then in-memory exporters for printing and, when asked for, OTLP.
 */
function startTelemetry(service: string): Telemetry {
  const spans = new InMemorySpanExporter();
  const printedSpans = new SimpleSpanProcessor({ exporter: spans });
  const records = new InMemoryLogRecordExporter();
  const printedRecords = new SimpleLogRecordProcessor({ exporter: records });
  const spanProcessors: SpanProcessor[] = [new ContextVarSpanProcessor({ vars }), printedSpans];
  const logRecordProcessors: LogRecordProcessor[] = [new ContextVarLogRecordProcessor({ vars }), printedRecords];
  if (otlpRequested()) {
    // The exporters read OTEL_EXPORTER_OTLP_(TRACES_|LOGS_)ENDPOINT and _HEADERS themselves.
    spanProcessors.push(new BatchSpanProcessor({ exporter: new OTLPTraceExporter() }));
    logRecordProcessors.push(new BatchLogRecordProcessor({ exporter: new OTLPLogExporter() }));
  }
  const sdk = new NodeSDK({
    serviceName: serviceName(service),
    resourceDetectors: [],
    contextManager: new ContextVarsContextManager(),
    textMapPropagator: new CompositePropagator({
      propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator(), new ContextVarPropagator({ vars })],
    }),
    spanProcessors,
    logRecordProcessors,
    // No metrics in this demo. Without this NodeSDK reads OTEL_METRICS_EXPORTER, which defaults to
    // otlp: a metric exporter to localhost:4318 whose shutdown waits for a collector that is not there.
    metricReaders: [],
    instrumentations,
  });
  sdk.start();
  // The pino lines themselves are dropped: the demo prints the records the logs SDK received (a
  // real service would still write the lines to stdout, with trace_id and span_id added by the
  // instrumentation's log correlation).
  const logger = pino({ base: undefined }, { write: () => undefined });
  return {
    logger,
    async finishedSpans() {
      // Only the in-memory processors: flushing the SDK would wait on (and fail with) OTLP.
      await printedSpans.forceFlush();
      return spans.getFinishedSpans().map((span) => spanRecord(service, span));
    },
    async finishedLogs() {
      await printedRecords.forceFlush();
      return records.getFinishedLogRecords().map((record) => logEntry(service, record));
    },
    shutdown: () => bounded(service, sdk.shutdown()),
  };
}

/** The current line: spans and log records from the 3.x SDK. */
export const line: TelemetryLine = {
  description:
    'OpenTelemetry JS 3.x line (api 1.10, NodeSDK with sdk-trace and sdk-logs): log records from pino through PinoInstrumentation',
  logKind: 'log records',
  startTelemetry,
};
