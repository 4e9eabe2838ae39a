// Lifecycle: the manager's disable()/enable(), @opentelemetry/api's context.disable() and
// registering a manager again. As with OpenTelemetry's stock managers, disable() makes what was
// active before active nowhere (OpenTelemetry's test isolation relies on it); unlike them, set,
// reset, run, with, bind and attach keep working afterwards, with or without a manager registered.
import { ROOT_CONTEXT, context, trace } from '@opentelemetry/api';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { ContextVar, ContextVarsContextManager, copyContext } from '../../src/index';
import { recordingDiag } from '../support/diag';

const tenant = new ContextVar<string>('tenant');
const step = new ContextVar<number>('step');

afterEach(() => {
  context.disable();
  trace.disable();
});

/** set, reset, run, with, bind and attach, each checked once through `manager`. */
async function expectVarsWork(manager: ContextVarsContextManager, label: string): Promise<void> {
  const token = step.set(1);
  expect(step.get()).toBe(1);
  step.reset(token);
  expect(step.get(-1)).toBe(-1);
  expect(step.run(2, () => step.get())).toBe(2);
  expect(manager.with(step.setIn(manager.active(), 3), () => [step.get(), tenant.get()])).toEqual([3, label]);
  expect(manager.bind(step.setIn(ROOT_CONTEXT, 4), () => [step.get(), tenant.get('none')])()).toEqual([4, 'none']);
  // In a scope of its own: an attach before this function's first await would otherwise reach
  // the caller's continuation (the async rule for sets before an await), not what is tested here.
  await copyContext().run(async () => {
    const attached = manager.attach(step.setIn(manager.active(), 5));
    await null;
    expect(step.get()).toBe(5);
    attached.dispose();
    expect(step.get(-1)).toBe(-1);
  });
  expect(step.get(-1)).toBe(-1);
  expect(tenant.get()).toBe(label);
}

test('1,000 disable()/enable() cycles on two managers: what was active is gone, everything keeps working', async () => {
  await copyContext().run(async () => {
    const one = new ContextVarsContextManager();
    const two = new ContextVarsContextManager();
    tenant.set('before');
    for (let i = 0; i < 1_000; i++) {
      one.disable();
      if (i % 3 === 0) two.disable().enable();
      one.enable();
    }
    two.disable();
    expect(one.active()).toBe(ROOT_CONTEXT);
    expect(tenant.get('<gone>')).toBe('<gone>');
    tenant.set('acme');
    const active = one.active();
    expect(two.active()).toBe(active);
    await expectVarsWork(two, 'acme');
    await expectVarsWork(one, 'acme');
  });
});

test('api context.disable() unregisters our manager and ends what was active; vars work with no manager at all', async () => {
  await copyContext().run(async () => {
    const manager = new ContextVarsContextManager();
    expect(context.setGlobalContextManager(manager)).toBe(true);
    tenant.set('before disable');
    context.disable();
    // The API is back to its no-op manager, and what was active is active nowhere, as with the
    // stock managers...
    expect(context.active()).toBe(ROOT_CONTEXT);
    expect(tenant.get('<gone>')).toBe('<gone>');
    // ...and the vars do not depend on a manager.
    tenant.set('after disable');
    await expectVarsWork(manager, 'after disable');
    tenant.set('while unregistered');
    await null;
    expect(tenant.get()).toBe('while unregistered');
  });
});

test('re-registration after context.disable(): the API sees vars set meanwhile, and spans started through it see them too', async () => {
  await copyContext().run(async () => {
    const warnings = recordingDiag();
    context.setGlobalContextManager(new ContextVarsContextManager());
    context.disable();
    tenant.set('set while no manager was registered');
    // A different instance: every instance serves the one context.
    expect(context.setGlobalContextManager(new ContextVarsContextManager())).toBe(true);
    expect(tenant.getIn(context.active())).toBe('set while no manager was registered');
    const provider = new BasicTracerProvider();
    trace.setGlobalTracerProvider(provider);
    const seenInSpan = await trace.getTracer('reliability').startActiveSpan('job', async (span) => {
      await null;
      const seen = [tenant.get(), trace.getActiveSpan() === span];
      span.end();
      return seen;
    });
    expect(seenInSpan).toEqual(['set while no manager was registered', true]);
    expect(context.with(tenant.setIn(context.active(), 'through the API'), () => tenant.get())).toBe('through the API');
    expect(tenant.get()).toBe('set while no manager was registered');
    await provider.shutdown();
    expect(warnings).toEqual([]);
  });
});

test('10 rounds of register / disable / register again keep the API in step with the vars', async () => {
  await copyContext().run(async () => {
    for (let round = 0; round < 10; round++) {
      expect(context.setGlobalContextManager(new ContextVarsContextManager())).toBe(true);
      step.set(round);
      await null;
      expect(step.getIn(context.active())).toBe(round);
      context.disable();
      expect(step.get(-1)).toBe(-1);
    }
  });
});
