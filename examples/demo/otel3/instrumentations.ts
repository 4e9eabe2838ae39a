// The instrumentations of the demo's 3.x line, created at import: an instrumentation hooks module
// loading when it is created, and the telemetry module imports this file before pino, so the pino
// it loads is the patched one. NodeSDK's start() then gives them its providers.
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PinoInstrumentation } from '@opentelemetry/instrumentation-pino';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';

export const instrumentations = [
  new HttpInstrumentation(),
  // fetch() goes through undici, which the HTTP instrumentation does not see: without this one, a
  // fetch carries neither the trace nor the vars.
  new UndiciInstrumentation(),
  // Each pino line also becomes an OpenTelemetry log record (the instrumentation's log sending).
  new PinoInstrumentation(),
];
