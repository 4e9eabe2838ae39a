import type { AttributeValue } from '@opentelemetry/api';

/**
 * What the span and log record processors need of a telemetry item: the SDK's `Span` and the logs
 * SDK's `ReadWriteLogRecord` (sdk-logs 3.x, and 0.2xx of the 2.x line) have both members.
 * Declared here rather than imported, so this package's types require neither
 * `@opentelemetry/sdk-trace-base` nor `@opentelemetry/sdk-logs`; the processors still satisfy the
 * SDKs' `SpanProcessor` and `LogRecordProcessor` interfaces structurally.
 * @typeParam V the values `setAttribute` takes: OpenTelemetry's `AttributeValue` on a span (the
 * default), any log attribute value on a log record.
 */
export interface AttributeSettable<V = AttributeValue> {
  /** Sets one attribute, as the SDK's `Span.setAttribute` and `LogRecord.setAttribute`. */
  setAttribute(key: string, value: V): unknown;
  /** The attributes already set: those given to `startSpan` or `emit` win over a var of the same key. */
  readonly attributes?: Readonly<Record<string, unknown>>;
}
