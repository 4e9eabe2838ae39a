// Hono 4 on @hono/node-server: the first middleware gives every request its own context and sets
// the request's vars once; `await next()` runs everything below in it. Hono has no OpenTelemetry
// instrumentation of its own: @opentelemetry/instrumentation-http traces the requests, with
// ContextVarSpanProcessor and pino + logFields.
// Run: npm run build && npx tsx examples/frameworks/hono.ts   (exits 1 if any check fails)
import { logger } from './support/telemetry'; // first: the http instrumentation patches node:http
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { copyContext } from 'otel-contextvars';
import { driveAndCheck } from './support/check';
import { loadOrder, pause, seen } from './support/orders';
import { requestId, user } from './support/vars';

const app = new Hono();

// The recipe: the first middleware runs the rest of the request, everything `next()` starts, in a
// copy of the context of its own.
app.use((c, next) =>
  copyContext().run(async () => {
    requestId.set(c.req.header('x-request-id') ?? randomUUID());
    const name = c.req.header('x-user');
    if (name) user.set(name); // an anonymous request leaves it unset
    await next();
  }),
);

app.get('/orders/:id', async (c) => {
  const entry = seen();
  await pause();
  const order = await loadOrder(c.req.param('id'));
  logger.info({ order: c.req.param('id') }, 'order served');
  return c.json({ order, entry, afterAwait: seen() });
});

const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => {
  void driveAndCheck(
    {
      port: info.port,
      close: () => new Promise((resolve) => server.close(() => resolve())),
    },
    { name: 'hono 4 on @hono/node-server + @opentelemetry/instrumentation-http' },
  );
});
