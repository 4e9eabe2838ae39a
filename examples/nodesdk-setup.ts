// Registering otel-contextvars through OpenTelemetry's NodeSDK: one context manager for spans,
// baggage and vars, and a span processor that records the vars on every span.
// Run: npm run build && npx tsx examples/nodesdk-setup.ts
//
// In a real service this setup lives in its own file loaded first (`node --import ./telemetry.mjs
// app.js`), so instrumentations can patch modules before the app loads them. Swap the console
// exporter for `new BatchSpanProcessor(new OTLPTraceExporter())` to send to a Collector.
import { context, trace } from '@opentelemetry/api';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { ConsoleSpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { ContextVar, ContextVarSpanProcessor, ContextVarsContextManager } from 'otel-contextvars';

const tenant = new ContextVar<string>('tenant');
const requestId = new ContextVar<string>('request.id');

const sdk = new NodeSDK({
  serviceName: 'nodesdk-example',
  // Without this the SDK registers its own AsyncLocalStorageContextManager, and vars and spans
  // would live in two separate contexts.
  contextManager: new ContextVarsContextManager(),
  spanProcessors: [
    // First, so the exporters after it see the attributes it adds at span start.
    new ContextVarSpanProcessor({ vars: [tenant, requestId] }),
    new SimpleSpanProcessor(new ConsoleSpanExporter()),
  ],
  instrumentations: [],
  // Given explicitly, because an empty environment would make the SDK start OTLP metric and log
  // exporters towards localhost:4318, which this example does not have.
  metricReaders: [],
  logRecordProcessors: [],
  // The resource detectors would print host and process details nobody needs here.
  autoDetectResources: false,
});
sdk.start();

const tracer = trace.getTracer('nodesdk-example');

async function handleRequest(): Promise<void> {
  // Set before the span starts: the processor reads the span's parent context.
  tenant.set('acme');
  requestId.set('req-42');
  await tracer.startActiveSpan('handle order', async (span) => {
    // The active OTel context and the vars are one context: both views agree.
    console.log(
      `inside the span: tenant=${tenant.get()}, tenant via context.active()=${tenant.getIn(context.active())}`,
    );
    await tracer.startActiveSpan('charge card', async (child) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      child.end();
    });
    span.end();
  });
}

async function main(): Promise<void> {
  try {
    await handleRequest();
  } finally {
    // Flushes the exporters; without it a real exporter could drop the last spans at exit.
    await sdk.shutdown();
  }
}

void main();
