// OpenTelemetry JS 3.x, the NodeSDK class: pass our manager as contextManager. Vars land on spans
// (ContextVarSpanProcessor), on log records (ContextVarLogRecordProcessor) and in W3C Baggage
// (ContextVarPropagator with format 'baggage', in place of W3CBaggagePropagator).
// Run: node --import ./test/otel3/support/resolve.mjs --import tsx test/otel3/examples/node-sdk.ts
import { CompositePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { InMemoryLogRecordExporter, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import {
  ContextVarLogRecordProcessor,
  ContextVarPropagator,
  ContextVarSpanProcessor,
  ContextVarsContextManager,
} from 'otel-contextvars';
import { show, vars } from './show';

// In-memory exporters so the example prints what it recorded; use OTLP exporters in an application.
const spans = new InMemorySpanExporter();
const records = new InMemoryLogRecordExporter();

const sdk = new NodeSDK({
  contextManager: new ContextVarsContextManager(),
  textMapPropagator: new CompositePropagator({
    propagators: [new W3CTraceContextPropagator(), new ContextVarPropagator({ vars, format: 'baggage' })],
  }),
  spanProcessors: [new ContextVarSpanProcessor({ vars }), new SimpleSpanProcessor({ exporter: spans })],
  logRecordProcessors: [
    new ContextVarLogRecordProcessor({ vars }),
    new SimpleLogRecordProcessor({ exporter: records }),
  ],
  resourceDetectors: [],
});
sdk.start();

void show(spans, records).finally(() => sdk.shutdown());
