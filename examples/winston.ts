// Log correlation with winston: a format adds the active trace ids and the request's vars to
// every record. Formats run synchronously inside `logger.info(...)`, so they see the caller's
// context; a transport may write later, but by then the fields are already on the record.
// Run: npm run build && npx tsx examples/winston.ts
import { setTimeout as sleep } from 'node:timers/promises';
import { trace } from '@opentelemetry/api';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import winston from 'winston';
import { ContextVar, ContextVarsContextManager, isolated, logFields } from 'otel-contextvars';

const tenant = new ContextVar<string>('tenant');
const requestId = new ContextVar<string>('request.id');

// Spans (for trace_id / span_id) and vars must share one context manager.
new NodeTracerProvider().register({ contextManager: new ContextVarsContextManager() });
const tracer = trace.getTracer('winston-example');

const correlate = winston.format((info) => Object.assign(info, logFields({ vars: [tenant, requestId] })));
const logger = winston.createLogger({
  // correlate() before json(): json() serializes whatever the record holds at that point.
  format: winston.format.combine(correlate(), winston.format.json()),
  transports: [new winston.transports.Console()],
});

// `isolated`: each call (request) in its own context, so concurrent calls keep their own values.
const handle = isolated(async (id: string, customer: string, delayMs: number): Promise<void> => {
  requestId.set(id);
  tenant.set(customer);
  await tracer.startActiveSpan('checkout', async (span) => {
    logger.info('checkout started');
    await sleep(delayMs);
    logger.warn('payment slow', { ms: delayMs });
    span.end();
  });
});

async function main(): Promise<void> {
  logger.info('outside any request: no trace fields, no vars');
  await Promise.all([handle('req-1', 'acme', 20), handle('req-2', 'globex', 5)]);
}

void main();
