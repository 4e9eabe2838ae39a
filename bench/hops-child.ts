// Child process of the async-hop figures: `ours` or `stock` registered as the only manager.
// Each message { kind, n } runs n `await` hops inside `with` and replies with CPU ns per hop.
import * as api from '@opentelemetry/api';
import * as asyncHooks from '@opentelemetry/context-async-hooks';
import * as lib from 'otel-contextvars';
import { reply, serve } from './child';
import { cpuClock } from './harness';
import type { Side } from './child';

const { ROOT_CONTEXT, context, createContextKey } = api;
const side = process.argv[2] as Side;
const manager =
  side === 'ours' ? new lib.ContextVarsContextManager() : new asyncHooks.AsyncLocalStorageContextManager();
context.setGlobalContextManager(manager);
const V = new lib.ContextVar<number>('v');
const KEY = createContextKey('otel-contextvars.bench.hop');
const ctx = ROOT_CONTEXT.setValue(createContextKey('otel-contextvars.bench.span'), 1);

async function hops(n: number): Promise<number> {
  let s = 0;
  for (let i = 0; i < n; i++) {
    await null;
    s++;
  }
  return s;
}

// The same hops after a value was set in the scope: ours by set() (no reset: the end-of-run undo
// of Node 20 runs once), the stock manager by its idiom, a nested with().
function hopsAfterSet(n: number): Promise<number> {
  if (side === 'ours') {
    V.set(n);
    return hops(n);
  }
  return context.with(context.active().setValue(KEY, n), hops, undefined, n);
}

serve(async (msg) => {
  const { kind, n } = msg as { kind: 'plain' | 'set'; n: number };
  const t0 = cpuClock();
  const s = await context.with(ctx, kind === 'plain' ? hops : hopsAfterSet, undefined, n);
  const perHop = (cpuClock() - t0) / n;
  if (s !== n) throw new Error('hops did not run');
  return perHop;
});
reply('ready');
