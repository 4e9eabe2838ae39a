// What the handlers of every framework example call: a "data layer" that reads the request's vars
// after awaits, under a span of its own, and logs; nothing passes it the request.
import { trace } from '@opentelemetry/api';
import { setImmediate as immediate, setTimeout as sleep } from 'node:timers/promises';
import { logger } from './telemetry';
import { locale, requestId, user } from './vars';

/** What a piece of code saw of the vars: request id, user, locale ('<unset>' when unbound). */
export type Seen = [string, string, string];

/** Reads the vars where it is called. */
export function seen(): Seen {
  return [requestId.get('<unset>'), user.get('<unset>'), locale.get()];
}

/** A short await that goes back to the event loop one of several ways; each must carry the vars. */
export async function pause(): Promise<void> {
  const kind = Math.floor(Math.random() * 3);
  if (kind === 0) await sleep(Math.random() * 3);
  else if (kind === 1) await immediate();
  else await new Promise<void>((resolve) => process.nextTick(resolve));
}

const tracer = trace.getTracer('examples/frameworks');

/** Loads an order: awaits, then reads the vars inside its own span and logs one line. */
export async function loadOrder(id: string): Promise<{ id: string; seen: Seen }> {
  await pause();
  return tracer.startActiveSpan('load order', { attributes: { 'order.id': id } }, async (span) => {
    try {
      await pause();
      logger.info({ order: id }, 'order loaded');
      return { id, seen: seen() };
    } finally {
      span.end();
    }
  });
}

/** What every example's handler answers: the order, and what the handler saw at entry and after awaits. */
export interface OrderAnswer {
  order: { id: string; seen: Seen };
  entry: Seen;
  afterAwait: Seen;
}
