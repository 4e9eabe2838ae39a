// ContextVarSpanProcessor copies the listed vars bound in a span's parent context
// into attributes at start (key = prefix + name); invalid attribute values are skipped and
// reported once through diag, never thrown. Real tracer providers and exporters, no mocks.
import { ROOT_CONTEXT, context, propagation, trace } from '@opentelemetry/api';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { Context, ContextVar, ContextVarSpanProcessor, ContextVarsContextManager } from '../../src/index';
import { recordingDiag } from '../support/diag';
import { withGlobalManager } from '../support/global-manager';

const tenant = new ContextVar<string>('tenant');
const attempt = new ContextVar<number>('attempt');
const tags = new ContextVar<unknown>('tags');
const region = new ContextVar<string>('region', { default: 'eu-west' });

function setup(options: ConstructorParameters<typeof ContextVarSpanProcessor>[0]) {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    spanProcessors: [new ContextVarSpanProcessor(options), new SimpleSpanProcessor(exporter)],
  });
  return { exporter, tracer: provider.getTracer('span-processor-test') };
}

withGlobalManager();

test('the class satisfies the SDK SpanProcessor interface (checked by the compiler)', () => {
  const processor: SpanProcessor = new ContextVarSpanProcessor({ vars: [tenant] });
  expect(typeof processor.onStart).toBe('function');
});

test('vars set before startActiveSpan become attributes under the default prefix contextvar.', async () => {
  const { exporter, tracer } = setup({ vars: [tenant, attempt] });
  await new Context().run(async () => {
    tenant.set('acme');
    attempt.set(3);
    await null;
    await tracer.startActiveSpan('request', async (span) => {
      await null;
      span.end();
    });
  });
  const [span] = exporter.getFinishedSpans();
  expect(span.attributes).toEqual({ 'contextvar.tenant': 'acme', 'contextvar.attempt': 3 });
});

test('attributePrefix replaces the default, and an empty prefix uses the bare var name', () => {
  const custom = setup({ vars: [tenant], attributePrefix: 'app.' });
  const bare = setup({ vars: [tenant], attributePrefix: '' });
  tenant.run('acme', () => {
    custom.tracer.startSpan('a').end();
    bare.tracer.startSpan('b').end();
  });
  expect(custom.exporter.getFinishedSpans()[0].attributes).toEqual({ 'app.tenant': 'acme' });
  expect(bare.exporter.getFinishedSpans()[0].attributes).toEqual({ tenant: 'acme' });
});

test('the parent context passed to startSpan is read, not the active one', () => {
  const { exporter, tracer } = setup({ vars: [tenant] });
  tenant.run('active-value', () => {
    tracer.startSpan('explicit parent', {}, tenant.setIn(ROOT_CONTEXT, 'parent-value')).end();
    tracer.startSpan('explicit empty parent', {}, ROOT_CONTEXT).end();
  });
  const [explicit, empty] = exporter.getFinishedSpans();
  expect(explicit.attributes).toEqual({ 'contextvar.tenant': 'parent-value' });
  expect(empty.attributes).toEqual({});
});

test('unbound vars add nothing, even when they have a default', () => {
  const { exporter, tracer } = setup({ vars: [tenant, region] });
  new Context().run(() => tracer.startSpan('nothing bound').end());
  expect(exporter.getFinishedSpans()[0].attributes).toEqual({});
});

test('a child span records the vars of its own parent context, set inside the parent span', () => {
  const { exporter, tracer } = setup({ vars: [tenant] });
  new Context().run(() => {
    tracer.startActiveSpan('parent', (parent) => {
      tenant.set('set-inside-parent');
      tracer.startSpan('child').end();
      parent.end();
    });
  });
  const [child, parent] = exporter.getFinishedSpans();
  expect(parent.attributes).toEqual({});
  expect(child.attributes).toEqual({ 'contextvar.tenant': 'set-inside-parent' });
});

test('homogeneous arrays are recorded as a copy; later mutation of the value does not reach the span', () => {
  const { exporter, tracer } = setup({ vars: [tags] });
  const value = ['a', 'b'];
  tags.run(value, () => tracer.startSpan('with tags').end());
  value.push('c');
  expect(exporter.getFinishedSpans()[0].attributes).toEqual({ 'contextvar.tags': ['a', 'b'] });
});

test.each([
  ['an object', { a: 1 }],
  ['a mixed array', ['a', 1]],
  ['an array of objects', [{}]],
  ['undefined (bound, so distinct from unset)', undefined],
  ['null', null],
  ['a bigint', 10n],
  ['a symbol', Symbol('s')],
  ['a function', () => 1],
])('a var bound to %s is skipped without throwing, and other vars are still recorded', (_what, bad) => {
  const lines = recordingDiag();
  const { exporter, tracer } = setup({ vars: [tags, tenant] });
  new Context().run(() => {
    tags.set(bad);
    tenant.set('acme');
    expect(() => tracer.startSpan('bad').end()).not.toThrow();
  });
  expect(exporter.getFinishedSpans()[0].attributes).toEqual({ 'contextvar.tenant': 'acme' });
  expect(lines).toHaveLength(1);
  expect(lines[0]).toContain("'tags'");
});

test('an invalid value is reported through diag once per var, however many spans start', () => {
  const lines = recordingDiag();
  const { exporter, tracer } = setup({ vars: [tags] });
  tags.run({ not: 'an attribute' }, () => {
    for (let i = 0; i < 50; i++) tracer.startSpan(`span ${i}`).end();
  });
  expect(exporter.getFinishedSpans()).toHaveLength(50);
  expect(lines).toHaveLength(1);
});

test('an attribute given to startSpan is not overwritten by the var', () => {
  const { exporter, tracer } = setup({ vars: [tenant] });
  tenant.run('from-var', () => {
    tracer.startSpan('explicit', { attributes: { 'contextvar.tenant': 'explicit' } }).end();
  });
  expect(exporter.getFinishedSpans()[0].attributes).toEqual({ 'contextvar.tenant': 'explicit' });
});

test('onEnd, shutdown and forceFlush are no-ops that resolve', async () => {
  const processor = new ContextVarSpanProcessor({ vars: [tenant] });
  expect(processor.onEnd.bind(processor)).not.toThrow();
  await expect(processor.forceFlush()).resolves.toBeUndefined();
  await expect(processor.shutdown()).resolves.toBeUndefined();
});

test.each([
  ['no options', undefined],
  ['null', null],
  ['vars missing', {}],
  ['vars not an array', { vars: tenant }],
  ['a non-var in vars', { vars: [tenant, 'attempt'] }],
  ['two vars with one name', { vars: [tenant, new ContextVar('tenant')] }],
  ['a non-string prefix', { vars: [tenant], attributePrefix: 1 }],
])('the constructor throws TypeError for %s', (_what, options) => {
  expect(() => new ContextVarSpanProcessor(options as never)).toThrow(TypeError);
});

test('works in a NodeTracerProvider registered with our context manager', async () => {
  const exporter = new InMemorySpanExporter();
  const provider = new NodeTracerProvider({
    spanProcessors: [new ContextVarSpanProcessor({ vars: [tenant] }), new SimpleSpanProcessor(exporter)],
  });
  await new Context().run(async () => {
    tenant.set('node-provider');
    await provider.getTracer('t').startActiveSpan('op', async (span) => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      span.end();
    });
  });
  expect(exporter.getFinishedSpans()[0].attributes).toEqual({ 'contextvar.tenant': 'node-provider' });
  await provider.shutdown();
});

test('works through NodeSDK with spanProcessors and our contextManager', async () => {
  const exporter = new InMemorySpanExporter();
  const sdk = new NodeSDK({
    contextManager: new ContextVarsContextManager(),
    spanProcessors: [new ContextVarSpanProcessor({ vars: [tenant] }), new SimpleSpanProcessor(exporter)],
    instrumentations: [],
    autoDetectResources: false,
  });
  sdk.start();
  try {
    await new Context().run(async () => {
      tenant.set('node-sdk');
      await trace.getTracer('sdk-test').startActiveSpan('op', async (span) => {
        await null;
        span.end();
      });
    });
    expect(exporter.getFinishedSpans()[0].attributes).toEqual({ 'contextvar.tenant': 'node-sdk' });
  } finally {
    await sdk.shutdown();
    trace.disable();
    propagation.disable();
    context.setGlobalContextManager(new ContextVarsContextManager());
  }
});
