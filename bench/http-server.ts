// Child process of the HTTP figure: a server on 127.0.0.1 whose handler reads three values,
// sets three, awaits once and answers with what it reads back. `ours` uses ContextVars with our
// manager registered; `stock` uses the stock manager's idiom. Requests from the parent: 'cpu'
// answers with this process's CPU time in microseconds, 'stats' with nothing to add (null).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as api from '@opentelemetry/api';
import * as asyncHooks from '@opentelemetry/context-async-hooks';
import * as lib from 'otel-contextvars';
import { reply, serveCpu } from './child';
import type { Side } from './child';

const { context, createContextKey } = api;
const side = process.argv[2] as Side;

function oursHandler(): http.RequestListener {
  context.setGlobalContextManager(new lib.ContextVarsContextManager());
  const a = new lib.ContextVar<number>('a');
  const b = new lib.ContextVar<number>('b');
  const c = new lib.ContextVar<number>('c');
  // An async listener, as users write them; node:http ignores the promise it returns.
  // eslint-disable-next-line @typescript-eslint/no-misused-promises
  return async (req, res) => {
    const seen = a.get(0) + b.get(0) + c.get(0);
    // No reset: values set in a handler never reach the next request.
    a.set(seen + 1);
    b.set(2);
    c.set(3);
    await Promise.resolve();
    res.end(String(a.get() + b.get() + c.get()));
  };
}

function stockHandler(): http.RequestListener {
  context.setGlobalContextManager(new asyncHooks.AsyncLocalStorageContextManager());
  const a = createContextKey('otel-contextvars.bench.a');
  const b = createContextKey('otel-contextvars.bench.b');
  const c = createContextKey('otel-contextvars.bench.c');
  const num = (ctx: api.Context, k: symbol): number => (ctx.getValue(k) as number | undefined) ?? 0;
  return (req, res) => {
    const active = context.active();
    const seen = num(active, a) + num(active, b) + num(active, c);
    const next = active
      .setValue(a, seen + 1)
      .setValue(b, 2)
      .setValue(c, 3);
    void context.with(next, async () => {
      await Promise.resolve();
      const now = context.active();
      res.end(String(num(now, a) + num(now, b) + num(now, c)));
    });
  };
}

const server = http.createServer({ keepAlive: true }, side === 'ours' ? oursHandler() : stockHandler());
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  serveCpu();
  reply({ port: (server.address() as AddressInfo).port });
});
