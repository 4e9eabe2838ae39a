// The documented ways to register the manager: NodeSDK's and NodeTracerProvider.register's
// `contextManager` option. Each registers globals, so each test unregisters what it registered.
import { context, trace } from '@opentelemetry/api';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { Context, ContextVar, ContextVarsContextManager } from '../../src/index';

const requestId = new ContextVar<string>('requestId');

async function varSeenInsideActiveSpan(): Promise<string | undefined> {
  return new Context().run(async () => {
    requestId.set('req-1');
    return trace.getTracer('registration').startActiveSpan('op', async (span) => {
      await null;
      const seen = requestId.getIn(context.active());
      span.end();
      return seen;
    });
  });
}

test('NodeSDK({ contextManager }) makes spans and vars share one context', async () => {
  const exporter = new InMemorySpanExporter();
  const sdk = new NodeSDK({
    contextManager: new ContextVarsContextManager(),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
    instrumentations: [],
    resourceDetectors: [],
  });
  sdk.start();
  try {
    expect(await varSeenInsideActiveSpan()).toBe('req-1');
    expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual(['op']);
  } finally {
    await sdk.shutdown();
    context.disable();
    trace.disable();
  }
});

test('NodeTracerProvider.register({ contextManager }) makes spans and vars share one context', async () => {
  const exporter = new InMemorySpanExporter();
  const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  provider.register({ contextManager: new ContextVarsContextManager() });
  try {
    expect(await varSeenInsideActiveSpan()).toBe('req-1');
    expect(exporter.getFinishedSpans()).toHaveLength(1);
  } finally {
    await provider.shutdown();
    context.disable();
    trace.disable();
  }
});
