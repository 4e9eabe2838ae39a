// NestJS on its express adapter (default) or its fastify adapter (`-- fastify`): a Nest middleware
// gives every request its own context and sets the request's vars once; the controller and an
// injected service read them after any number of awaits. Traced by @opentelemetry/instrumentation-http
// plus -express or @fastify/otel, with ContextVarSpanProcessor and pino + logFields.
// A second argument `interceptor` mounts the vars with a global interceptor instead, the form
// nestjs-cls offers for transports without middleware (microservices, GraphQL resolvers).
// Run: npm run build && npx tsx examples/frameworks/nest.ts [express|fastify] [middleware|interceptor]
// (exits 1 if any check fails)
import { fastifyOtel, logger } from './support/telemetry'; // first, as in a real app
import 'reflect-metadata';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { Controller, Get, Inject, Injectable, Module, Param } from '@nestjs/common';
import type {
  CallHandler,
  ExecutionContext,
  MiddlewareConsumer,
  NestInterceptor,
  NestMiddleware,
  NestModule,
} from '@nestjs/common';
import { Observable } from 'rxjs';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { copyContext } from 'otel-contextvars';
import { driveAndCheck } from './support/check';
import { loadOrder, pause, seen } from './support/orders';
import { requestId, user } from './support/vars';

// The recipe: a middleware mounted for every route runs the rest of the request, everything
// `next()` starts, in a copy of the context of its own. On both adapters Nest hands middleware the
// raw Node request.
@Injectable()
class RequestVarsMiddleware implements NestMiddleware {
  use(req: IncomingMessage, _res: ServerResponse, next: () => void): void {
    copyContext().run(() => {
      requestId.set(header(req, 'x-request-id') ?? randomUUID());
      const name = header(req, 'x-user');
      if (name) user.set(name); // an anonymous request leaves it unset
      next();
    });
  }
}

function header(req: { headers: IncomingHttpHeaders }, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

// The interceptor form: Nest calls the handler when the returned Observable is subscribed, so the
// subscription, and with it the handler and everything it awaits, runs in the copy. The framework
// instrumentation's handler span starts before interceptors run and so lacks the vars: for HTTP,
// prefer the middleware.
@Injectable()
class RequestVarsInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<{ headers: IncomingHttpHeaders }>();
    return new Observable((subscriber) =>
      copyContext().run(() => {
        requestId.set(header(req, 'x-request-id') ?? randomUUID());
        const name = header(req, 'x-user');
        if (name) user.set(name); // an anonymous request leaves it unset
        const subscription = next.handle().subscribe(subscriber);
        return () => subscription.unsubscribe();
      }),
    );
  }
}

// A provider that reads the vars: nothing is injected for them, a ContextVar is a module-level import.
@Injectable()
class OrdersService {
  async find(id: string): Promise<Awaited<ReturnType<typeof loadOrder>>> {
    await pause();
    return loadOrder(id);
  }
}

@Controller('orders')
class OrdersController {
  // tsx (esbuild) does not emit decorator metadata, so the dependency is named with @Inject.
  constructor(@Inject(OrdersService) private readonly orders: OrdersService) {}

  @Get(':id')
  async get(@Param('id') id: string): Promise<unknown> {
    const entry = seen();
    await pause();
    const order = await this.orders.find(id);
    logger.info({ order: id }, 'order served');
    return { order, entry, afterAwait: seen() };
  }
}

@Module({ controllers: [OrdersController], providers: [OrdersService] })
class AppModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    if (mount === 'middleware') consumer.apply(RequestVarsMiddleware).forRoutes('*');
  }
}

async function main(adapterName: string): Promise<void> {
  const fastify = adapterName === 'fastify';
  const adapter = fastify ? new FastifyAdapter() : new ExpressAdapter();
  const app = await NestFactory.create(AppModule, adapter, { logger: ['error', 'warn'] });
  if (mount === 'interceptor') app.useGlobalInterceptors(new RequestVarsInterceptor());
  // @fastify/otel is a Fastify plugin. It keeps the context active in its own onRequest hook and
  // runs the handler in it, so it must come after Nest's middleware (@fastify/middie, which
  // NestFactory.create registers) and before the routes (added by listen/init).
  if (adapter instanceof FastifyAdapter) await adapter.getInstance().register(fastifyOtel.plugin());
  await app.listen(0, '127.0.0.1');
  const server = app.getHttpServer() as { address(): AddressInfo };
  await driveAndCheck(
    { port: server.address().port, close: () => app.close() },
    {
      name: `NestJS 12 on its ${adapterName} adapter, vars set in ${mount === 'interceptor' ? 'an interceptor' : 'a middleware'} + ${fastify ? '@fastify/otel' : '@opentelemetry/instrumentation-express'}`,
      // With the interceptor no span of the framework's instrumentation starts after the vars are set.
      frameworkSpan:
        mount === 'interceptor'
          ? undefined
          : fastify
            ? (span) => span.name.startsWith('handler - ')
            : (span) => span.attributes['express.type'] === 'request_handler',
    },
  );
}

const which = process.argv[2] ?? 'express';
const mount = process.argv[3] ?? 'middleware';
if (which !== 'express' && which !== 'fastify')
  throw new TypeError(`nest.ts: adapter must be express or fastify, got ${which}`);
if (mount !== 'middleware' && mount !== 'interceptor')
  throw new TypeError(`nest.ts: mount must be middleware or interceptor, got ${mount}`);
void main(which);
