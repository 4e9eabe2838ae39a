// A TypeScript consumer of every public export. consumers/types/check.mjs compiles it as ESM
// (use.ts), as CommonJS (a copy named use.cts) and for bundlers, on each TypeScript version,
// with @types/node and lib es2022 only, strict, and without skipLibCheck.
import { ROOT_CONTEXT, context } from '@opentelemetry/api';
import {
  Context,
  ContextVar,
  ContextVarPropagator,
  ContextVarSpanProcessor,
  ContextVarsContextManager,
  LookupError,
  RuntimeError,
  ValueError,
  copyContext,
  currentContext,
  isolated,
  logFields,
} from 'otel-contextvars';
const manager = new ContextVarsContextManager();
context.setGlobalContextManager(manager);
const options = { default: 'Guest' };
const user = new ContextVar('user', options);
const count = new ContextVar('count');
const token = user.set('Alice');
const old = token.oldValue;
const disposable = token;
const name = user.get();
const orNull = count.get(null);
user.reset(token);
const ctx = copyContext();
const asMap = ctx;
for (const [v, value] of ctx) console.log(v.name, value);
const keys = [...ctx.keys()];
const values = Array.from(ctx.values());
const entries = [...ctx.entries()];
const inRun = new Context().run((n) => n + 1, 1);
const same = currentContext().equals(ctx);
const handle = isolated(async (id) => `${id}:${user.get()}`);
const handled = handle('r-1');
const attached = new ContextVarsContextManager().attach(ROOT_CONTEXT);
attached.dispose();
const codec = { encode: String, decode: Number };
const propagatorOptions = { vars: [count], header: 'x-vars', codecs: { count: codec } };
const propagator = new ContextVarPropagator(propagatorOptions);
const spanOptions = { vars: [user] };
const processor = new ContextVarSpanProcessor(spanOptions);
const span = { setAttribute: () => undefined };
processor.onStart(span, ROOT_CONTEXT);
const fieldOptions = { vars: [user] };
const fields = logFields(fieldOptions);
const errors = [new LookupError('x'), new ValueError('y'), new RuntimeError('z')];
export const used = [
  old,
  disposable,
  name,
  orNull,
  asMap,
  keys,
  values,
  entries,
  inRun,
  same,
  handled,
  propagator,
  fields,
  errors,
];
