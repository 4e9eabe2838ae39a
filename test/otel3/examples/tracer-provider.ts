// OpenTelemetry JS 3.x, hand-built providers: 3.x's TracerProvider has no register(), so each
// global is set through the API, ours among them.
// Run: node --import ./test/otel3/support/resolve.mjs --import tsx test/otel3/examples/tracer-provider.ts
import { context, logs, propagation, trace } from '@opentelemetry/api';
import { CompositePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import {
  ContextVarLogRecordProcessor,
  ContextVarPropagator,
  ContextVarSpanProcessor,
  ContextVarsContextManager,
} from 'otel-contextvars';
import { show, vars } from './show';

const spans = new InMemorySpanExporter();
const records = new InMemoryLogRecordExporter();

context.setGlobalContextManager(new ContextVarsContextManager());
propagation.setGlobalPropagator(
  new CompositePropagator({
    propagators: [new W3CTraceContextPropagator(), new ContextVarPropagator({ vars, format: 'baggage' })],
  }),
);
const tracerProvider = new TracerProvider({
  spanProcessors: [new ContextVarSpanProcessor({ vars }), new SimpleSpanProcessor({ exporter: spans })],
});
trace.setGlobalTracerProvider(tracerProvider);
const loggerProvider = new LoggerProvider({
  processors: [new ContextVarLogRecordProcessor({ vars }), new SimpleLogRecordProcessor({ exporter: records })],
});
logs.setGlobalLoggerProvider(loggerProvider);

void show(spans, records).finally(() => Promise.all([tracerProvider.shutdown(), loggerProvider.shutdown()]));
