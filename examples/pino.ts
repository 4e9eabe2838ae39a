// Log correlation with pino: every line carries the active trace ids and the request's vars,
// through a `mixin`, which pino calls inside each `logger.info(...)`, in the caller's context.
// Run: npm run build && npx tsx examples/pino.ts
import { setTimeout as sleep } from 'node:timers/promises';
import { trace } from '@opentelemetry/api';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import pino from 'pino';
import { ContextVar, ContextVarsContextManager, isolated, logFields } from 'otel-contextvars';

const tenant = new ContextVar<string>('tenant');
const requestId = new ContextVar<string>('request.id');

// Spans (for trace_id / span_id) and vars must share one context manager; no exporter is needed
// for the ids to exist.
new NodeTracerProvider().register({ contextManager: new ContextVarsContextManager() });
const tracer = trace.getTracer('pino-example');

const logger = pino({
  // base: only the service; pid and hostname would crowd this example's output.
  base: { service: 'checkout' },
  mixin: () => logFields({ vars: [tenant, requestId] }),
});

// Stands in for a request handler; `isolated` gives each call its own context, so the two
// concurrent requests below cannot see each other's values.
const handle = isolated(async (id: string, customer: string, delayMs: number): Promise<void> => {
  requestId.set(id);
  tenant.set(customer);
  await tracer.startActiveSpan('checkout', async (span) => {
    logger.info('checkout started');
    await sleep(delayMs);
    logger.info({ items: 3 }, 'checkout complete');
    span.end();
  });
});

async function main(): Promise<void> {
  logger.info('outside any request: no trace fields, no vars');
  // Interleaved on purpose: the lines of the two requests alternate, and each keeps its own fields.
  await Promise.all([handle('req-1', 'acme', 20), handle('req-2', 'globex', 5)]);
}

void main();
