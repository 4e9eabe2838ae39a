// Runs once per runtime (Node.js, edge) before the app serves requests. Spans go to an OTLP/HTTP
// JSON collector the check starts on 127.0.0.1 (COLLECTOR_URL); ContextVarSpanProcessor copies
// the `rid` var of each span's parent context onto it as `contextvar.rid`.
import { registerOTel, OTLPHttpJsonTraceExporter } from '@vercel/otel';
import { ContextVarSpanProcessor, ContextVarsContextManager } from 'otel-contextvars';
import { rid } from './lib/rid';

export function register(): void {
  registerOTel({
    serviceName: 'consumer-next',
    contextManager: new ContextVarsContextManager(),
    spanProcessors: [new ContextVarSpanProcessor({ vars: [rid] })],
    traceExporter: new OTLPHttpJsonTraceExporter({
      url: process.env.COLLECTOR_URL ?? 'http://127.0.0.1:4318/v1/traces',
    }),
  });
}
