// Tracing and logging for the framework examples. Import this module FIRST, before any framework:
// OpenTelemetry's instrumentations patch a module when it is loaded (require hooks), so a framework
// loaded before `registerInstrumentations` runs is never traced. Under tsx an example file is
// compiled to CommonJS and its imports run in source order, so `import './support/telemetry'` as the
// first import is enough; `node --import`/`--require` of a setup file does the same for a real app.
import { DiagConsoleLogger, DiagLogLevel, diag } from '@opentelemetry/api';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { KoaInstrumentation } from '@opentelemetry/instrumentation-koa';
import { NestInstrumentation } from '@opentelemetry/instrumentation-nestjs-core';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { FastifyOtelInstrumentation } from '@fastify/otel';
import pino from 'pino';
import { ContextVarSpanProcessor, ContextVarsContextManager, logFields } from 'otel-contextvars';
import { vars } from './vars';

diag.setLogger(new DiagConsoleLogger(), DiagLogLevel.WARN);

/** Every finished span, kept in memory for the example's self-check. */
export const spans = new InMemorySpanExporter();

new NodeTracerProvider({
  // Ours first: it adds the vars as attributes at span start, before any exporter sees the span.
  spanProcessors: [new ContextVarSpanProcessor({ vars }), new SimpleSpanProcessor(spans)],
}).register({ contextManager: new ContextVarsContextManager() });

/**
 * @fastify/otel is a Fastify plugin rather than a require hook: the app registers
 * `fastifyOtel.plugin()` itself (see examples/frameworks/fastify.ts for why after the vars hook).
 */
export const fastifyOtel = new FastifyOtelInstrumentation();

registerInstrumentations({
  instrumentations: [
    new HttpInstrumentation(),
    new ExpressInstrumentation(),
    new KoaInstrumentation(),
    // Registered as an app would, but it does not patch NestJS 12: every version declares
    // supportedVersions '>=4.0.0 <12'. Nest apps get the express or @fastify/otel spans.
    new NestInstrumentation(),
    fastifyOtel,
  ],
});

/** Every log line written through `logger`, parsed; pino writes each line synchronously here. */
export const logLines: Record<string, unknown>[] = [];

/** pino as users set it up for correlation: `logFields` in a mixin adds trace ids and the vars. */
export const logger = pino(
  { base: undefined, timestamp: false, mixin: () => logFields({ vars }) },
  {
    write: (line: string) => {
      logLines.push(JSON.parse(line) as Record<string, unknown>);
    },
  },
);
