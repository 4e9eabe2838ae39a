// Tracing of the express figure, set up as an application's `instrumentation.ts` would be, and
// imported before express so the http instrumentation patches `http` before express loads it:
// a NodeTracerProvider registered with the side's context manager, the side's span processor
// for its three values, a BatchSpanProcessor to an exporter that counts and drops spans in
// process (no network), and OpenTelemetry's http instrumentation.
import * as api from '@opentelemetry/api';
import type { Context as OtelContext, ContextManager } from '@opentelemetry/api';
import * as asyncHooks from '@opentelemetry/context-async-hooks';
import { ExportResultCode } from '@opentelemetry/core';
import type { ExportResult } from '@opentelemetry/core';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { ReadableSpan, Span, SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import * as lib from 'otel-contextvars';
import type { Side } from './child';

const side = process.argv[2];
if (side !== 'ours' && side !== 'stock') throw new Error(`express-server: side must be ours or stock, got ${side}`);

/** Attribute the span processors write for the tenant value: the exporter counts spans carrying it. */
const TENANT_ATTRIBUTE = 'contextvar.tenant';

/** A real SpanExporter that keeps nothing: counts what the batch processor hands it. */
class CountingExporter implements SpanExporter {
  spans = 0;
  spansWithTenant = 0;

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    for (const span of spans) {
      this.spans++;
      if (span.attributes[TENANT_ATTRIBUTE] !== undefined) this.spansWithTenant++;
    }
    resultCallback({ code: ExportResultCode.SUCCESS });
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
}

/** The three values of the stock app, under context keys. */
export const KEYS = {
  tenant: api.createContextKey('bench.tenant'),
  user: api.createContextKey('bench.user'),
  sampled: api.createContextKey('bench.sampled'),
} as const;

/** The three values of our app, as ContextVars. */
export const VARS = {
  tenant: new lib.ContextVar<string>('tenant'),
  user: new lib.ContextVar<number>('user'),
  sampled: new lib.ContextVar<boolean>('sampled'),
} as const;

/**
 * What a stock-manager app writes to put its context-key values on spans, the counterpart of our
 * ContextVarSpanProcessor (and of OTel's baggage span processor): same attributes, same work.
 */
class KeysSpanProcessor implements SpanProcessor {
  readonly #entries = Object.entries(KEYS).map(([name, key]) => [`contextvar.${name}`, key] as const);

  onStart(span: Span, parentContext: OtelContext): void {
    for (const [attribute, key] of this.#entries) {
      const value = parentContext.getValue(key) as string | number | boolean | undefined;
      if (value !== undefined) span.setAttribute(attribute, value);
    }
  }

  onEnd(): void {
    // Attributes are copied at start; nothing to do at the end.
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
}

/** The exporter at the end of the pipeline (its counts are reported after the load). */
export const exporter = new CountingExporter();

const manager: ContextManager =
  side === 'ours' ? new lib.ContextVarsContextManager() : new asyncHooks.AsyncLocalStorageContextManager();
const valuesProcessor: SpanProcessor =
  side === 'ours' ? new lib.ContextVarSpanProcessor({ vars: Object.values(VARS) }) : new KeysSpanProcessor();
/** The registered provider. */
export const provider = new NodeTracerProvider({ spanProcessors: [valuesProcessor, new BatchSpanProcessor(exporter)] });
provider.register({ contextManager: manager });
// Enabled by its constructor, through the global tracer provider registered just above.
export const httpInstrumentation = new HttpInstrumentation();
/** The tracer of the handler's child span. */
export const tracer = api.trace.getTracer('otel-contextvars-bench');
/** Which side this process runs. */
export const SIDE: Side = side;
