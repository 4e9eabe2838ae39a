// Zero setup, one registration line, spans/baggage/vars in one
// active context both ways, and a diag report when another manager holds the global slot.
import { ROOT_CONTEXT, context, diag, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { Context, ContextVar, ContextVarsContextManager } from '../../src/index';
import { recordingDiag } from '../support/diag';

const tenant = new ContextVar<string>('tenant');
const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const tracer = provider.getTracer('interplay');

afterEach(() => {
  context.disable();
  diag.disable();
});

test('with no SDK and no manager registered, vars work on their own', async () => {
  await new Context().run(async () => {
    tenant.set('acme');
    await null;
    expect(tenant.get()).toBe('acme');
    expect(context.active()).toBe(ROOT_CONTEXT);
  });
});

describe('with ContextVarsContextManager registered globally', () => {
  beforeEach(() => {
    expect(context.setGlobalContextManager(new ContextVarsContextManager())).toBe(true);
  });

  test('a var set before startActiveSpan is seen inside, and context.active() carries it', async () => {
    await new Context().run(async () => {
      tenant.set('acme');
      await tracer.startActiveSpan('op', async (span) => {
        await null;
        expect(tenant.get()).toBe('acme');
        expect(tenant.getIn(context.active())).toBe('acme');
        expect(trace.getActiveSpan()).toBe(span);
        span.end();
      });
    });
  });

  test('set() inside a span keeps the active span and baggage', () => {
    new Context().run(() => {
      const bag = propagation.createBaggage({ k: { value: 'v' } });
      context.with(propagation.setBaggage(context.active(), bag), () => {
        tracer.startActiveSpan('op', (span) => {
          tenant.set('acme');
          expect(trace.getActiveSpan()).toBe(span);
          expect(propagation.getActiveBaggage()?.getEntry('k')?.value).toBe('v');
          expect(tenant.get()).toBe('acme');
          span.end();
        });
      });
    });
  });

  test('a child span started after set() has the parent span of the surrounding active span', () => {
    exporter.reset();
    new Context().run(() => {
      tracer.startActiveSpan('parent', (parent) => {
        tenant.set('acme');
        tracer.startSpan('child').end();
        parent.end();
      });
    });
    const [child, parent] = exporter.getFinishedSpans();
    expect(child.parentSpanContext?.spanId).toBe(parent.spanContext().spanId);
  });

  test('context.with(ROOT_CONTEXT) unsets vars inside, as any OTel user would expect', () => {
    new Context().run(() => {
      tenant.set('acme');
      context.with(ROOT_CONTEXT, () => expect(tenant.get(undefined)).toBeUndefined());
      expect(tenant.get()).toBe('acme');
    });
  });

  test('no diag report while our manager is the registered one', () => {
    const lines = recordingDiag();
    new Context().run(() => {
      for (let i = 0; i < 10_000; i++) tenant.set(`t${i}`);
    });
    expect(lines.filter((l) => l.includes('separate contexts'))).toEqual([]);
  });
});

test('another manager registered globally is reported once through diag', () => {
  const lines = recordingDiag();
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  new Context().run(() => {
    for (let i = 0; i < 10_000; i++) tenant.set(`t${i}`);
  });
  const reports = lines.filter((l) => l.includes('separate contexts'));
  expect(reports).toHaveLength(1);
  expect(reports[0]).toMatch(/global OpenTelemetry context manager is AsyncLocalStorageContextManager/);
});
