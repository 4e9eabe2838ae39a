// takeOverContextManager(): one line that makes our manager the global one after an SDK
// registered its own, carrying over the context active at that moment; idempotent; and a
// registration the API refuses is a visible warning, not a silent split.
import { ROOT_CONTEXT, context, diag, propagation } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { Context, ContextVar, ContextVarsContextManager, takeOverContextManager } from '../../src/index';
import { recordingDiag } from '../support/diag';
import { splitWarnings } from '../support/split';

const tenant = new ContextVar<string>('tenant');
const API_GLOBAL = Symbol.for('opentelemetry.js.api.1');

afterEach(() => {
  context.disable();
  diag.disable();
});

test('it replaces a registered stock manager, and the context active at that moment stays active, across an await', async () => {
  const stock = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(stock);
  const bag = propagation.createBaggage({ origin: { value: 'startup' } });
  const seen = await stock.with(propagation.setBaggage(ROOT_CONTEXT, bag), async () => {
    const manager = takeOverContextManager();
    const right = propagation.getActiveBaggage()?.getEntry('origin')?.value;
    await null;
    return { manager, right, afterAwait: propagation.getActiveBaggage()?.getEntry('origin')?.value };
  });
  expect(seen).toEqual({
    manager: expect.any(ContextVarsContextManager) as unknown,
    right: 'startup',
    afterAwait: 'startup',
  });
  // Ours now serves the API: a var set is what context.active() carries.
  new Context().run(() => {
    tenant.set('acme');
    expect(tenant.getIn(context.active())).toBe('acme');
  });
});

test('with ours already registered it changes nothing and returns the registered one', () => {
  const ours = new ContextVarsContextManager();
  context.setGlobalContextManager(ours);
  expect(takeOverContextManager()).toBe(ours);
  expect(takeOverContextManager(new ContextVarsContextManager())).toBe(ours);
});

test('with no manager registered it registers the one given', () => {
  const given = new ContextVarsContextManager();
  expect(takeOverContextManager(given)).toBe(given);
  new Context().run(() => {
    tenant.set('acme');
    expect(tenant.getIn(context.active())).toBe('acme');
  });
});

test('a registration the API refuses (another api version registered first) is a process warning', () => {
  recordingDiag();
  const warnings = splitWarnings();
  // The globals slot as another @opentelemetry/api 1.x copy, of another version, would leave it.
  const slot = globalThis as Record<symbol, unknown>;
  const original = slot[API_GLOBAL];
  slot[API_GLOBAL] = { version: '1.0.0' };
  try {
    const manager = takeOverContextManager();
    expect(manager).toBeInstanceOf(ContextVarsContextManager);
    expect(warnings.calls()).toEqual([expect.stringMatching(/could not register the ContextVarsContextManager/)]);
  } finally {
    slot[API_GLOBAL] = original;
    warnings.restore();
  }
});
