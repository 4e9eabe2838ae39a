// What the demo's two services report and how either OpenTelemetry line plugs into them. It loads
// no OpenTelemetry package, so both lines' telemetry modules can share it.
import type { Logger } from 'pino';

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
 * One log entry, from either source: an OpenTelemetry log record (trace fields from its span
 * context, `fields` its attributes) or a pino line (trace fields and `fields` from `logFields()`).
 */
export interface LogEntry {
  service: string;
  message: string;
  traceId: string | undefined;
  spanId: string | undefined;
  traceFlags: string | undefined;
  fields: Record<string, string>;
}

/** The spans a tracer of this shape recorded, as the demo's `SpanRecord`s. */
export interface FinishedSpan {
  name: string;
  kind: number;
  spanContext(): { traceId: string; spanId: string };
  parentSpanContext?: { spanId: string } | undefined;
  startTime: [number, number];
  duration: [number, number];
  attributes: Record<string, unknown>;
}

/** One service's telemetry, started by a line's `startTelemetry`. */
export interface Telemetry {
  /** The service's pino logger: where its lines end up depends on the line (see `TelemetryLine`). */
  logger: Logger;
  /** Every span this process finished, flushed first. */
  finishedSpans(): Promise<SpanRecord[]>;
  /** Every log entry this process made, flushed first. */
  finishedLogs(): Promise<LogEntry[]>;
  /** Flushes and stops exporting; bounded, so a collector that never answers cannot hang the demo. */
  shutdown(): Promise<void>;
}

/** One OpenTelemetry JS line as the demo runs it: examples/demo/telemetry.ts or ./otel3/telemetry.ts. */
export interface TelemetryLine {
  /** For the demo's first output line: the line and its packages, and where the logs come from. */
  description: string;
  /** What `finishedLogs()` returns: 'log records' (the logs SDK) or 'log lines' (pino's own output). */
  logKind: 'log records' | 'log lines';
  startTelemetry(service: string): Telemetry;
}

/** A finished span as the demo prints it; the span shape is the same on both lines. */
export function spanRecord(service: string, span: FinishedSpan): SpanRecord {
  return {
    service,
    name: span.name,
    kind: span.kind,
    traceId: span.spanContext().traceId,
    spanId: span.spanContext().spanId,
    parentSpanId: span.parentSpanContext?.spanId,
    startNs: span.startTime[0] * 1e9 + span.startTime[1],
    durationMs: span.duration[0] * 1e3 + span.duration[1] / 1e6,
    attributes: { ...span.attributes },
  };
}

/**
 * Waits for `work` (a flush or shutdown that exports over OTLP) at most 5 s, then warns on stderr
 * and goes on: a collector that never answers must not hang the demo.
 */
export async function bounded(service: string, work: Promise<unknown>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      console.error(
        `${service}: OTLP export did not finish within 5 s; is a collector listening at the OTEL_EXPORTER_OTLP_* endpoint?`,
      );
      resolve();
    }, 5_000);
  });
  await Promise.race([
    work.catch((error: unknown) => console.error(`${service}: OTLP export failed:`, error)),
    timeout,
  ]);
  clearTimeout(timer);
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

/** The service name both lines export under: `demo-frontend`, or `$OTEL_SERVICE_NAME-frontend`. */
export function serviceName(service: string): string {
  return process.env.OTEL_SERVICE_NAME ? `${process.env.OTEL_SERVICE_NAME}-${service}` : `demo-${service}`;
}
