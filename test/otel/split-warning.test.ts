// On the 2.x line: registration cannot fail silently. NodeTracerProvider.register()
// without a contextManager registers the stock manager; vars then live apart from spans. The
// package says so once through diag and, once vars are used with spans, once visibly through
// process.emitWarning naming the fix; takeOverContextManager() is that fix. Its own file: both
// reports are once per process.
import { context, diag, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { Context, ContextVar, ContextVarSpanProcessor, takeOverContextManager } from '../../src/index';
import { recordingDiag } from '../support/diag';
import { splitWarnings, varInsideActiveSpan } from '../support/split';

const tenant = new ContextVar<string>('tenant');
const exporter = new InMemorySpanExporter();
let provider: NodeTracerProvider;

afterAll(async () => {
  await provider.shutdown();
  context.disable();
  trace.disable();
  diag.disable();
});

test('with another manager registered and no tracer provider, set() reports through diag only', () => {
  const warnings = splitWarnings();
  const lines = recordingDiag();
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  new Context().run(() => tenant.set('acme'));
  expect(lines.filter((l) => l.includes('separate contexts'))).toHaveLength(1);
  expect(warnings.calls()).toEqual([]);
  warnings.restore();
  context.disable();
});

test('after NodeTracerProvider.register() without contextManager, spans miss vars and one process warning names the fix', async () => {
  const warnings = splitWarnings();
  provider = new NodeTracerProvider({
    spanProcessors: [new ContextVarSpanProcessor({ vars: [tenant] }), new SimpleSpanProcessor(exporter)],
  });
  provider.register();
  expect(await varInsideActiveSpan(tenant)).toBe('unset inside the span');
  expect(await varInsideActiveSpan(tenant)).toBe('unset inside the span');
  expect(warnings.calls()).toHaveLength(1);
  expect(warnings.calls()[0]).toMatch(
    /context manager is AsyncLocalStorageContextManager, so spans and ContextVars live in separate contexts/,
  );
  expect(warnings.calls()[0]).toMatch(/takeOverContextManager\(\)/);
  warnings.restore();
});

test('takeOverContextManager() then makes spans and vars share one context, with no further warning', async () => {
  const warnings = splitWarnings();
  exporter.reset();
  takeOverContextManager();
  expect(await varInsideActiveSpan(tenant)).toBe('acme');
  expect(exporter.getFinishedSpans()[0].attributes).toEqual({ 'contextvar.tenant': 'acme' });
  expect(warnings.calls()).toEqual([]);
  warnings.restore();
});
