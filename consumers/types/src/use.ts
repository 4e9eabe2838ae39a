// A TypeScript consumer of every public export. consumers/types/check.mjs compiles it as ESM
// (use.ts), as CommonJS (a copy named use.cts) and for bundlers, on each TypeScript version,
// with @types/node and lib es2022 only, strict, and without skipLibCheck.
import { ROOT_CONTEXT, context } from '@opentelemetry/api';
import type { ContextManager, TextMapPropagator } from '@opentelemetry/api';
import {
  Context,
  ContextVar,
  ContextVarPropagator,
  ContextVarSpanProcessor,
  ContextVarsContextManager,
  LookupError,
  RuntimeError,
  Token,
  ValueError,
  copyContext,
  currentContext,
  isolated,
  logFields,
} from 'otel-contextvars';
import type {
  AttachToken,
  AttributeSettable,
  ContextVarCodec,
  ContextVarOptions,
  ContextVarPropagatorOptions,
  ContextVarSpanProcessorOptions,
  LogFieldsOptions,
} from 'otel-contextvars';

const manager: ContextManager = new ContextVarsContextManager();
context.setGlobalContextManager(manager);
const options: ContextVarOptions<string> = { default: 'Guest' };
const user = new ContextVar<string>('user', options);
const count = new ContextVar<number>('count');
const token: Token<string> = user.set('Alice');
const old: string | object = token.oldValue;
const disposable: Disposable = token;
const name: string = user.get();
const orNull: number | null = count.get(null);
user.reset(token);

const ctx: Context = copyContext();
const asMap: ReadonlyMap<ContextVar<unknown>, unknown> = ctx;
for (const [v, value] of ctx) console.log(v.name, value);
const keys: ContextVar<unknown>[] = [...ctx.keys()];
const values: unknown[] = Array.from(ctx.values());
const entries: [ContextVar<unknown>, unknown][] = [...ctx.entries()];
const inRun: number = new Context().run((n: number) => n + 1, 1);
const same: boolean = currentContext().equals(ctx);

const handle = isolated(async (id: string): Promise<string> => `${id}:${user.get()}`);
const handled: Promise<string> = handle('r-1');
const attached: AttachToken = new ContextVarsContextManager().attach(ROOT_CONTEXT);
attached.dispose();

const codec: ContextVarCodec<number> = { encode: String, decode: Number };
const propagatorOptions: ContextVarPropagatorOptions = {
  vars: [count],
  header: 'x-vars',
  codecs: { count: codec as ContextVarCodec<unknown> },
};
const propagator: TextMapPropagator = new ContextVarPropagator(propagatorOptions);
const spanOptions: ContextVarSpanProcessorOptions = { vars: [user] };
const processor = new ContextVarSpanProcessor(spanOptions);
const span: AttributeSettable = { setAttribute: () => undefined };
processor.onStart(span, ROOT_CONTEXT);
const fieldOptions: LogFieldsOptions = { vars: [user] };
const fields: Record<string, unknown> = logFields(fieldOptions);
const errors: Error[] = [new LookupError('x'), new ValueError('y'), new RuntimeError('z')];

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
