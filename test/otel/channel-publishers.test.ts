// Real diagnostics_channel publishers and the vars: Fastify 5's `fastify.request.handler` tracing
// channel (published with runStores, so a bound store scopes the handler), and the channels of
// node:http and of fetch (undici), which only publish: a bound store is never run there, and a
// subscriber runs in the caller's context, where it reads the caller's vars. Servers on 127.0.0.1.
import dc from 'node:diagnostics_channel';
import type { AsyncLocalStorage } from 'node:async_hooks';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { ROOT_CONTEXT, context, trace } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import Fastify from 'fastify';
import type { FastifyRequest } from 'fastify';
import { ContextVar, ContextVarSpanProcessor, activeContextStore } from '../../src/index';
import { close, listen } from '../support/http';
import { withGlobalManager } from '../support/global-manager';

const tenant = new ContextVar<string>('tenant');
const CALLS = 50;
const tenants = Array.from({ length: CALLS }, (_, i) => `tenant-${i}`);

withGlobalManager();

interface HandlerMessage {
  request: FastifyRequest;
}
const headerTenant = (message: HandlerMessage): string => String(message.request.headers['x-tenant']);

const FASTIFY_STORES = [
  { name: 'a ContextVar', store: tenant as unknown, transform: headerTenant },
  {
    name: 'activeContextStore',
    store: activeContextStore as unknown,
    transform: (message: HandlerMessage) => tenant.setIn(context.active(), headerTenant(message)),
  },
];

describe.each(FASTIFY_STORES)('Fastify 5 tracing:fastify.request.handler:start bound to $name', (bound) => {
  test('50 concurrent handlers each see their own request’s value across awaits, and so does a span started by a channel subscriber', async () => {
    const exporter = new InMemorySpanExporter();
    const tracer = new BasicTracerProvider({
      spanProcessors: [new ContextVarSpanProcessor({ vars: [tenant] }), new SimpleSpanProcessor(exporter)],
    }).getTracer('channel-subscriber');
    const handler = dc.tracingChannel<unknown, HandlerMessage>('fastify.request.handler');
    // What a diagnostics-channel instrumentation does: start its span in the start subscriber,
    // which runs inside the bound store.
    const onStart = (): void => tracer.startSpan('handler').end();
    const store = bound.store as AsyncLocalStorage<unknown>;
    handler.start.bindStore(store, bound.transform);
    dc.subscribe('tracing:fastify.request.handler:start', onStart);
    const app = Fastify();
    app.get('/', async (request) => {
      const first = tenant.get('unset');
      await sleep(Number(request.headers['x-delay']));
      return { sent: request.headers['x-tenant'], seen: [first, tenant.get('unset')] };
    });
    try {
      await app.listen({ port: 0, host: '127.0.0.1' });
      const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/`;
      const answers = await Promise.all(
        tenants.map(async (name, i) => {
          const res = await fetch(url, { headers: { 'x-tenant': name, 'x-delay': String((i * 7) % 11) } });
          return (await res.json()) as { sent: string; seen: string[] };
        }),
      );
      for (const { sent, seen } of answers) expect(seen).toEqual([sent, sent]);
      const spanTenants = exporter.getFinishedSpans().map((s) => s.attributes['contextvar.tenant']);
      expect(spanTenants.sort()).toEqual([...tenants].sort());
    } finally {
      await app.close();
      dc.unsubscribe('tracing:fastify.request.handler:start', onStart);
      handler.start.unbindStore(store);
    }
  });
});

/** Subscribes to `names`; binds a store to each that counts its runs (`run` or `withScope`). */
function watch(names: string[]) {
  const seen: Partial<Record<string, string[]>> = {};
  let storeRuns = 0;
  const store = {
    run: <R>(_value: unknown, fn: () => R): R => {
      storeRuns++;
      return fn();
    },
    withScope: (): Disposable => {
      storeRuns++;
      return { [Symbol.dispose]: () => undefined };
    },
  };
  const subscribers = names.map((name) => {
    const subscriber = (): void => void (seen[name] ??= []).push(tenant.get('unset'));
    dc.subscribe(name, subscriber);
    dc.channel(name).bindStore(store as unknown as AsyncLocalStorage<unknown>);
    return { name, subscriber };
  });
  const stop = (): void => {
    for (const { name, subscriber } of subscribers) {
      dc.unsubscribe(name, subscriber);
      dc.channel(name).unbindStore(store as unknown as AsyncLocalStorage<unknown>);
    }
  };
  return { seen, storeRuns: () => storeRuns, stop };
}

/** A server that answers with the x-tenant header it received, started outside any tenant. */
async function echoServer(): Promise<{ server: http.Server; url: string }> {
  const server = http.createServer((req, res) => res.end(JSON.stringify({ header: req.headers['x-tenant'] ?? null })));
  const port = await tenant.run('server', () => listen(server));
  return { server, url: `http://127.0.0.1:${port}/` };
}

test('fetch: an undici:request:create subscriber runs in the caller’s context and can send its var as a header; no bound store runs', async () => {
  const watched = watch(['undici:request:create', 'undici:client:sendHeaders', 'undici:request:headers']);
  interface CreateMessage {
    request: { addHeader(name: string, value: string): unknown };
  }
  // The recipe: a header from the caller's var on every fetch, without touching the call sites.
  const addTenant = (message: unknown): void =>
    void (message as CreateMessage).request.addHeader('x-tenant', tenant.get('none'));
  dc.subscribe('undici:request:create', addTenant);
  const { server, url } = await echoServer();
  try {
    const answers = await Promise.all(
      tenants.map((name, i) =>
        tenant.run(name, async () => {
          await sleep((i * 7) % 11);
          return ((await (await fetch(url)).json()) as { header: string }).header;
        }),
      ),
    );
    expect(answers).toEqual(tenants);
    expect([...watched.seen['undici:request:create']!].sort()).toEqual([...tenants].sort());
    expect(watched.seen['undici:client:sendHeaders']).toBeDefined();
    expect(watched.seen['undici:request:headers']).toBeDefined();
    expect(watched.storeRuns()).toBe(0);
  } finally {
    dc.unsubscribe('undici:request:create', addTenant);
    watched.stop();
    await close(server);
  }
});

test('node:http: http.client.request.start runs in the caller’s context, http.server.request.start in the server’s; no bound store runs', async () => {
  // `created` channels appear in Node 22; every line has `start`.
  const names = ['http.client.request.start', 'http.server.request.start', 'http.client.request.created'];
  const watched = watch(names);
  const { server, url } = await echoServer();
  const agent = new http.Agent({ keepAlive: false });
  try {
    await Promise.all(
      tenants
        .slice(0, 10)
        .map((name) =>
          tenant.run(
            name,
            () =>
              new Promise((resolve, reject) =>
                http.get(url, { agent }, (res) => res.resume().on('end', resolve)).on('error', reject),
              ),
          ),
        ),
    );
    expect([...watched.seen['http.client.request.start']!].sort()).toEqual(tenants.slice(0, 10).sort());
    // The server's request listener starts from the context the server was started in.
    expect(new Set(watched.seen['http.server.request.start'])).toEqual(new Set(['server']));
    const created = watched.seen['http.client.request.created'];
    if (created !== undefined) expect([...created].sort()).toEqual(tenants.slice(0, 10).sort());
    expect(created === undefined).toBe(Number(process.versions.node.split('.')[0]) < 22);
    expect(watched.storeRuns()).toBe(0);
  } finally {
    agent.destroy();
    watched.stop();
    await close(server);
  }
});

test('a span started in an undici:request:create subscriber is parented in the caller’s trace and carries its vars', async () => {
  const exporter = new InMemorySpanExporter();
  const tracer = new BasicTracerProvider({
    spanProcessors: [new ContextVarSpanProcessor({ vars: [tenant] }), new SimpleSpanProcessor(exporter)],
  }).getTracer('fetch-subscriber');
  const onCreate = (): void => tracer.startSpan('fetch').end();
  dc.subscribe('undici:request:create', onCreate);
  const { server, url } = await echoServer();
  try {
    await context.with(ROOT_CONTEXT, () =>
      tracer.startActiveSpan('caller', async (parent) => {
        await tenant.run('acme', async () => (await fetch(url)).text());
        parent.end();
      }),
    );
    const spans = exporter.getFinishedSpans();
    const caller = spans.find((s) => s.name === 'caller');
    const child = spans.find((s) => s.name === 'fetch');
    expect(child?.parentSpanContext?.spanId).toBe(caller?.spanContext().spanId);
    expect(child?.attributes['contextvar.tenant']).toBe('acme');
    expect(trace.getActiveSpan()).toBeUndefined();
  } finally {
    dc.unsubscribe('undici:request:create', onCreate);
    await close(server);
  }
});
