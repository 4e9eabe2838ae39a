// Fastify 5: an `onRequest` hook gives every request its own context and sets the request's vars
// once; handlers and the code they call read them after any number of awaits. Traced by
// @opentelemetry/instrumentation-http and @fastify/otel, with ContextVarSpanProcessor and pino + logFields.
// The second mode, `-- server-factory`, is for @fastify/otel registered the NodeSDK way
// (`registerOnInitialization: true`): its hook then comes before any of the app's, so the vars are
// set in the server's request listener instead, before Fastify runs any hook.
// Run: npm run build && npx tsx examples/frameworks/fastify.ts [hook|server-factory]   (exits 1 if any check fails)
import { fastifyOtel, logger } from './support/telemetry'; // first, as in a real app
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { FastifyOtelInstrumentation } from '@fastify/otel';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { copyContext } from 'otel-contextvars';
import { driveAndCheck } from './support/check';
import { loadOrder, pause, seen } from './support/orders';
import { requestId, user } from './support/vars';

async function hookApp(): Promise<FastifyInstance> {
  const app = Fastify();

  // The recipe: a hook on the root instance (so it covers every route and plugin) that runs the
  // rest of the request's lifecycle, started by `done()`, in a copy of the context of its own.
  app.addHook('onRequest', (request, _reply, done) =>
    copyContext().run(() => {
      requestId.set(String(request.headers['x-request-id'] ?? request.id));
      const name = request.headers['x-user'];
      if (typeof name === 'string') user.set(name); // an anonymous request leaves it unset
      done();
    }),
  );
  // Then @fastify/otel, before the routes as its README says. The order matters: it keeps the
  // context active in its own onRequest hook and runs every later hook and the handler in that
  // context, so the vars must be set when its hook runs.
  await app.register(fastifyOtel.plugin());
  return app;
}

function serverFactoryApp(): FastifyInstance {
  // As NodeSDK users register it: it adds itself to every Fastify instance when it is created.
  new FastifyOtelInstrumentation({ registerOnInitialization: true });
  return Fastify({
    serverFactory: (handler) =>
      http.createServer((req, res) =>
        copyContext().run(() => {
          requestId.set(String(req.headers['x-request-id'] ?? randomUUID()));
          const name = req.headers['x-user'];
          if (typeof name === 'string') user.set(name); // an anonymous request leaves it unset
          handler(req, res);
        }),
      ),
  });
}

async function main(mode: string): Promise<void> {
  const app = mode === 'server-factory' ? serverFactoryApp() : await hookApp();
  app.get<{ Params: { id: string } }>('/orders/:id', async (request) => {
    const entry = seen();
    await pause();
    const order = await loadOrder(request.params.id);
    logger.info({ order: request.params.id }, 'order served');
    return { order, entry, afterAwait: seen() };
  });

  await app.listen({ port: 0, host: '127.0.0.1' });
  await driveAndCheck(
    { port: (app.server.address() as AddressInfo).port, close: () => app.close() },
    {
      name: `fastify 5 + @fastify/otel (${mode === 'server-factory' ? 'registerOnInitialization, vars set in serverFactory' : 'plugin() after the vars hook'})`,
      frameworkSpan: (span) => span.name.startsWith('handler - '),
    },
  );
}

const which = process.argv[2] ?? 'hook';
if (which !== 'hook' && which !== 'server-factory')
  throw new TypeError(`fastify.ts: mode must be hook or server-factory, got ${which}`);
void main(which);
