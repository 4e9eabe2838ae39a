// express 5: one middleware gives every request its own context and sets the request's vars once;
// handlers and the code they call read them after any number of awaits. Traced by
// @opentelemetry/instrumentation-http and -express, with ContextVarSpanProcessor and pino + logFields.
// Run: npm run build && npx tsx examples/frameworks/express.ts   (exits 1 if any check fails)
import { logger } from './support/telemetry'; // first: instrumentations patch express as it loads
import { randomUUID } from 'node:crypto';
import express from 'express';
import { copyContext } from 'otel-contextvars';
import { driveAndCheck, httpExampleServer } from './support/check';
import { loadOrder, pause, seen } from './support/orders';
import { requestId, user } from './support/vars';

const app = express();

// The recipe: the first middleware runs the rest of the request, everything `next()` starts, in a
// copy of the context of its own; what it sets never reaches another request, pipelined or not.
app.use((req, _res, next) =>
  copyContext().run(() => {
    requestId.set(req.get('x-request-id') ?? randomUUID());
    const name = req.get('x-user');
    if (name) user.set(name); // an anonymous request leaves it unset
    next();
  }),
);

app.get('/orders/:id', async (req, res) => {
  const entry = seen();
  await pause();
  const order = await loadOrder(req.params.id);
  logger.info({ order: req.params.id }, 'order served');
  res.json({ order, entry, afterAwait: seen() });
});

const server = app.listen(0, '127.0.0.1', () => {
  void driveAndCheck(httpExampleServer(server), {
    name: 'express 5 + @opentelemetry/instrumentation-express',
    frameworkSpan: (span) => span.attributes['express.type'] === 'request_handler',
  });
});
