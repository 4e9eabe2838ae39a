// Runs in the page: the synchronous quickstart (set/get/reset, run, Context.run, errors, the
// manager's with and bind, as under OpenTelemetry's StackContextManager). It only records what it
// observes; check.mjs holds the expectations. Loading the package is part of what is observed:
// an exception at import time reaches check.mjs as a page error.
import { ROOT_CONTEXT, context, createContextKey } from '@opentelemetry/api';
import {
  ContextVar,
  ContextVarsContextManager,
  LookupError,
  RuntimeError,
  copyContext,
  currentContext,
} from 'otel-contextvars';

function outcome(fn) {
  try {
    return { value: fn() };
  } catch (error) {
    return {
      error: error.name,
      message: error.message,
      lookup: error instanceof LookupError,
      runtime: error instanceof RuntimeError,
    };
  }
}

const user = new ContextVar('user', { default: 'Guest' });
const observed = {};

observed.setGetReset = (() => {
  const seen = [user.get()];
  const token = user.set('Alice');
  seen.push(user.get(), token.oldValue === token.constructor.MISSING);
  user.reset(token);
  seen.push(user.get());
  return seen;
})();
observed.noDefault = outcome(() => new ContextVar('unbound').get());
observed.resetTwice = outcome(() => {
  const token = user.set('once');
  user.reset(token);
  user.reset(token);
});
observed.run = [user.run('Bob', () => [user.get(), user.set('Bob again') && user.get()]), user.get()];
observed.runThrows = [
  outcome(() =>
    user.run('E', () => {
      throw new TypeError('inside');
    }),
  ).error,
  user.get(),
];
observed.contextRun = (() => {
  const ctx = copyContext();
  const inside = ctx.run(() => {
    user.set('Carol');
    return [user.get(), currentContext() === ctx];
  });
  return [inside, ctx.get(user), user.get(), outcome(() => ctx.run(() => ctx.run(() => 0))).error];
})();
observed.snapshot = (() => {
  const snap = copyContext();
  const token = user.set('later');
  const seen = [snap.get(user, 'not in snapshot'), user.get()];
  user.reset(token);
  return seen;
})();

const manager = new ContextVarsContextManager();
observed.registered = context.setGlobalContextManager(manager);
const key = createContextKey('browser key');
observed.with = (() => {
  const ctx = user.setIn(ROOT_CONTEXT.setValue(key, 'k'), 'Dave');
  const inside = context.with(ctx, () => [context.active() === ctx, user.get(), context.active().getValue(key)]);
  const nested = context.with(ctx, () => context.with(ROOT_CONTEXT, () => user.get()));
  return [inside, nested, user.get(), context.active().getValue(key) ?? 'none'];
})();
observed.setKeepsActive = (() => {
  const ctx = ROOT_CONTEXT.setValue(key, 'kept');
  return context.with(ctx, () => {
    user.set('Erin');
    return [context.active().getValue(key), user.getIn(context.active())];
  });
})();
observed.bind = (() => {
  const bound = context.bind(user.setIn(ROOT_CONTEXT, 'Frank'), () => user.get());
  return [bound(), user.get()];
})();
observed.repr = String(new ContextVar('shown', { default: { list: [1, 'x'] } }));

// Synchronous scopes only (as StackContextManager): an await continuation inside a scope runs in
// the root frame, which a set() outside every scope changes for the whole page.
observed.awaitInScope = await user.run('in scope', async () => {
  const before = user.get();
  await null;
  return [before, user.get()];
});
observed.rootSetSeenByTimer = await (async () => {
  const token = user.set('page-wide');
  const inTimer = await new Promise((resolve) => setTimeout(() => resolve(user.get()), 1));
  user.reset(token);
  return [inTimer, user.get()];
})();

globalThis.__observed = observed;
