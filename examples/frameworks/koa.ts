// Koa 3: the first middleware gives every request its own context and sets the request's vars once;
// `await next()` runs everything below in it. Traced by @opentelemetry/instrumentation-http and
// -koa, with ContextVarSpanProcessor and pino + logFields.
// Run: npm run build && npx tsx examples/frameworks/koa.ts   (exits 1 if any check fails)
import { logger } from './support/telemetry'; // first: instrumentations patch koa as it loads
import { randomUUID } from 'node:crypto';
import Koa from 'koa';
import { copyContext } from 'otel-contextvars';
import { driveAndCheck, httpExampleServer } from './support/check';
import { loadOrder, pause, seen } from './support/orders';
import { requestId, user } from './support/vars';

const app = new Koa();

// The recipe: the first middleware runs the rest of the request, everything `next()` starts, in a
// copy of the context of its own. A value may also come after an await (a user lookup): set
// before `next()` is called, it is seen everywhere downstream.
app.use((ctx, next) =>
  copyContext().run(async () => {
    requestId.set(ctx.get('x-request-id') || randomUUID());
    const name = ctx.get('x-user');
    if (name) user.set(name); // an anonymous request leaves it unset
    await next();
  }),
);

app.use(async function ordersHandler(ctx) {
  const id = /^\/orders\/([\w-]+)$/.exec(ctx.path)?.[1];
  if (id === undefined) return;
  const entry = seen();
  await pause();
  const order = await loadOrder(id);
  logger.info({ order: id }, 'order served');
  ctx.body = { order, entry, afterAwait: seen() };
});

const server = app.listen(0, '127.0.0.1', () => {
  void driveAndCheck(httpExampleServer(server), {
    name: 'koa 3 + @opentelemetry/instrumentation-koa',
    frameworkSpan: (span) => span.attributes['koa.type'] === 'middleware' && span.name.includes('ordersHandler'),
  });
});
