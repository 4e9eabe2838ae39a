// OpenTelemetry JS 3.x, startNodeSdk(): it has no contextManager option and registers the stock
// manager, so take over right after it, in one line. Without that line the vars would miss spans
// and log records, and the package would say so once with a process warning.
// Run: node --import ./test/otel3/support/resolve.mjs --import tsx test/otel3/examples/start-node-sdk.ts
import { CompositePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { InMemoryLogRecordExporter, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { startNodeSdk } from '@opentelemetry/sdk-node';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import {
  ContextVarLogRecordProcessor,
  ContextVarPropagator,
  ContextVarSpanProcessor,
  takeOverContextManager,
} from 'otel-contextvars';
import { show, vars } from './show';

const spans = new InMemorySpanExporter();
const records = new InMemoryLogRecordExporter();

const sdk = startNodeSdk({
  propagators: [
    new CompositePropagator({
      propagators: [new W3CTraceContextPropagator(), new ContextVarPropagator({ vars, format: 'baggage' })],
    }),
  ],
  spanProcessors: [new ContextVarSpanProcessor({ vars }), new SimpleSpanProcessor({ exporter: spans })],
  logRecordProcessors: [
    new ContextVarLogRecordProcessor({ vars }),
    new SimpleLogRecordProcessor({ exporter: records }),
  ],
  metricReaders: [],
  resourceDetectors: [],
});
takeOverContextManager();

void show(spans, records).finally(() => sdk.shutdown());
