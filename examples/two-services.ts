// Two HTTP services, orders -> inventory, with vars carried between them by ContextVarPropagator
// in its own `contextvars` header next to W3C `traceparent`. Both run in this one process to keep
// the example short; the inventory handler gets nothing through the process, only through the
// headers: its handler starts from the server's context, not from the caller's.
//
// The calls use fetch, which @opentelemetry/instrumentation-http does not see (fetch is undici), so
// the example injects and extracts by hand with the global propagator: what instrumentation-http
// does for `http.request` and `http.createServer` automatically (see examples/demo.ts), and what
// any queue or RPC without instrumentation needs.
// Run: npm run build && npx tsx examples/two-services.ts
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ROOT_CONTEXT, SpanKind, context, propagation, trace } from '@opentelemetry/api';
import { CompositePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ContextVar, ContextVarPropagator, ContextVarsContextManager } from 'otel-contextvars';

const tenant = new ContextVar<string>('tenant');
const requestId = new ContextVar<string>('request.id');

new NodeTracerProvider().register({
  contextManager: new ContextVarsContextManager(),
  // Only what both sides list crosses: a var left out here stays inside its process.
  propagator: new CompositePropagator({
    propagators: [new W3CTraceContextPropagator(), new ContextVarPropagator({ vars: [tenant, requestId] })],
  }),
});
const tracer = trace.getTracer('two-services-example');

function listen(name: string, handler: (req: http.IncomingMessage) => Promise<unknown>): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    // Each service starts its server span from what the caller sent (nothing, for a client
    // without propagation): the W3C parent and our vars, in one extracted context.
    const extracted = propagation.extract(ROOT_CONTEXT, req.headers);
    void context.with(extracted, () =>
      tracer.startActiveSpan(`${name} ${req.url ?? ''}`, { kind: SpanKind.SERVER }, async (span) => {
        try {
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify(await handler(req)));
        } catch (error) {
          res.statusCode = 500;
          res.end(JSON.stringify({ error: String(error) }));
        } finally {
          span.end();
        }
      }),
    );
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function url(server: http.Server, path: string): string {
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`;
}

async function main(): Promise<void> {
  const inventory = await listen('inventory', (req) =>
    Promise.resolve({
      received: req.headers.contextvars,
      tenant: tenant.get('unset'),
      requestId: requestId.get('unset'),
      traceId: trace.getActiveSpan()?.spanContext().traceId,
    }),
  );

  const orders = await listen('orders', async (req) => {
    // Middleware style: the edge service sets the vars once, from its own request.
    tenant.set(String(req.headers['x-tenant'] ?? 'anonymous'));
    requestId.set(String(req.headers['x-request-id'] ?? 'none'));
    const answer = await tracer.startActiveSpan('GET inventory', { kind: SpanKind.CLIENT }, async (span) => {
      const headers: Record<string, string> = {};
      propagation.inject(context.active(), headers);
      try {
        return await (await fetch(url(inventory, '/reserve'), { headers, signal: AbortSignal.timeout(5_000) })).json();
      } finally {
        span.end();
      }
    });
    return { ordersTraceId: trace.getActiveSpan()?.spanContext().traceId, inventory: answer };
  });

  try {
    // Two concurrent customers, sent without any propagation: the orders service sets the vars.
    const answers = await Promise.all(
      [
        ['acme', 'req-1'],
        ['globex', 'req-2'],
      ].map(async ([customer, id]) => {
        const res = await fetch(url(orders, '/order'), {
          headers: { 'x-tenant': customer, 'x-request-id': id },
          signal: AbortSignal.timeout(5_000),
        });
        return res.json() as Promise<{ ordersTraceId: string; inventory: Record<string, string> }>;
      }),
    );
    for (const { ordersTraceId, inventory: seen } of answers) {
      console.log(`inventory received header  contextvars: ${seen.received}`);
      console.log(`inventory handler reads    tenant=${seen.tenant} request.id=${seen.requestId}`);
      console.log(`one trace for both         ${seen.traceId === ordersTraceId ? 'yes' : 'NO'} (${ordersTraceId})`);
    }
  } finally {
    orders.close();
    inventory.close();
  }
}

void main();
