// Runs once per runtime (Node.js, edge) before the app serves requests. ContextVarSpanProcessor
// copies the `rid` var of each span's parent context onto it as `contextvar.rid`; 'auto' is
// @vercel/otel's own export, here OTLP/HTTP JSON to the collector the check serves on 127.0.0.1
// (OTEL_EXPORTER_OTLP_TRACES_ENDPOINT and _PROTOCOL, set by the check).
import { registerOTel } from '@vercel/otel';
import { ContextVarSpanProcessor, ContextVarsContextManager } from 'otel-contextvars';
import { rid } from './lib/rid';

export function register(): void {
  registerOTel({
    serviceName: 'consumer-next',
    contextManager: new ContextVarsContextManager(),
    spanProcessors: [new ContextVarSpanProcessor({ vars: [rid] }), 'auto'],
  });
}
