// What each 3.x setup example does once its SDK runs: a request's vars on a span, on a log record
// and in the outgoing headers (W3C traceparent + baggage), printed one line each.
import { context, logs, propagation, trace } from '@opentelemetry/api';
import type { InMemoryLogRecordExporter } from '@opentelemetry/sdk-logs';
import type { InMemorySpanExporter } from '@opentelemetry/sdk-trace';
import { Context, ContextVar } from 'otel-contextvars';

export const tenant = new ContextVar<string>('tenant');
export const requestId = new ContextVar<string>('request.id');
export const vars = [tenant, requestId];

/** Handles one "request" with vars set, then prints what the span, the log record and the headers carry. */
export async function show(spans: InMemorySpanExporter, records: InMemoryLogRecordExporter): Promise<void> {
  const headers: Record<string, string | undefined> = {};
  await new Context().run(async () => {
    tenant.set('acme corp');
    requestId.set('req-42');
    await trace.getTracer('example').startActiveSpan('handle order', async (span) => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      logs.getLogger('example').emit({ body: 'order charged' });
      propagation.inject(context.active(), headers);
      span.end();
    });
  });
  const [span] = spans.getFinishedSpans();
  const [record] = records.getFinishedLogRecords();
  console.log(`span ${span.name}: ${JSON.stringify(span.attributes)}`);
  console.log(
    `log "${String(record.body)}": ${JSON.stringify(record.attributes)} same trace: ${record.spanContext?.traceId === span.spanContext().traceId}`,
  );
  console.log(
    `headers: traceparent=${headers.traceparent?.replace(/^00-[0-9a-f]{32}-[0-9a-f]{16}-/, '00-<trace>-<span>-')} baggage=${headers.baggage}`,
  );
}
