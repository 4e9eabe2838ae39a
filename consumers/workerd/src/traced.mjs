// A Worker instrumented by @microlabs/otel-cf-workers, whose instrument() runs each request in
// context.with(): with ContextVarsContextManager registered first, that is a scope per request, so
// a plain set() stays in its request, and ContextVarSpanProcessor copies the var onto child spans.
// Spans are kept in memory and read back through /spans.
import { context, trace } from '@opentelemetry/api';
import { BatchTraceSpanProcessor, instrument } from '@microlabs/otel-cf-workers';
import { ContextVar, ContextVarSpanProcessor, ContextVarsContextManager } from 'otel-contextvars';

// Registered at load, before instrument() initialises on the first request: its own
// AsyncLocalStorageContextManager then finds a manager registered and leaves it in place.
context.setGlobalContextManager(new ContextVarsContextManager());

const rid = new ContextVar('rid');
const finished = [];
const exporter = {
  export(spans, done) {
    for (const s of spans) finished.push({ name: s.name, attributes: s.attributes });
    done({ code: 0 });
  },
  shutdown: async () => undefined,
};
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const handler = {
  async fetch(request) {
    const url = new URL(request.url);
    if (url.pathname === '/spans') return Response.json(finished.filter((s) => s.name === 'child'));
    const id = url.searchParams.get('id');
    rid.set(id);
    await pause(Number(url.searchParams.get('delay') ?? 0));
    await trace.getTracer('consumer').startActiveSpan('child', async (span) => {
      span.setAttribute('request.id', id);
      await pause(1);
      span.end();
    });
    return Response.json({ id, seen: [rid.get('unset')] });
  },
};

export default instrument(handler, {
  service: { name: 'otel-contextvars-workerd-check' },
  spanProcessors: [new ContextVarSpanProcessor({ vars: [rid] }), new BatchTraceSpanProcessor(exporter)],
});
