// Child process of the express figure: the app users would judge the package by. A middleware
// keeps three request values (ours: three ContextVar.set calls; stock: one
// `context.with(active().setValue(...) x3, next)`), the handler awaits (one macrotask, standing
// for I/O) and starts one child span, which the span processor tags with the three values; the
// answer is the three values read back. Requests from the parent: 'cpu', 'stats' (see child.ts).
import { exporter, KEYS, provider, SIDE, tracer, VARS } from './express-telemetry';
import type { AddressInfo } from 'node:net';
import * as api from '@opentelemetry/api';
import express from 'express';
import type { RequestHandler } from 'express';
import { reply, serveCpu } from './child';

const { context } = api;

const oursMiddleware: RequestHandler = (_req, _res, next) => {
  // No reset: what a request sets never reaches the next request.
  VARS.tenant.set('tenant-1');
  VARS.user.set(7);
  VARS.sampled.set(true);
  next();
};

const stockMiddleware: RequestHandler = (_req, _res, next) => {
  const ctx = context.active().setValue(KEYS.tenant, 'tenant-1').setValue(KEYS.user, 7).setValue(KEYS.sampled, true);
  context.with(ctx, next);
};

function readValues(): string {
  if (SIDE === 'ours') return `${VARS.tenant.get()}/${VARS.user.get()}/${VARS.sampled.get()}`;
  const active = context.active();
  return `${String(active.getValue(KEYS.tenant))}/${String(active.getValue(KEYS.user))}/${String(active.getValue(KEYS.sampled))}`;
}

const app = express();
app.use(SIDE === 'ours' ? oursMiddleware : stockMiddleware);
app.get('/work', async (_req, res) => {
  await new Promise<void>((resolve) => setImmediate(resolve));
  tracer.startActiveSpan('work', (span) => {
    const body = readValues();
    span.end();
    res.send(body);
  });
});

const server = app.listen(0, '127.0.0.1', () => {
  server.keepAliveTimeout = 60_000;
  serveCpu(async () => {
    await provider.forceFlush();
    return { spans: exporter.spans, spansWithValues: exporter.spansWithTenant };
  });
  reply({ port: (server.address() as AddressInfo).port });
});
