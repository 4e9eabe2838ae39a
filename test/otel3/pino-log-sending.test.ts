// On the 3.x line: pino through @opentelemetry/instrumentation-pino 0.70's log
// sending, NodeSDK 0.30x and ContextVarLogRecordProcessor. A real server on 127.0.0.1, keep-alive
// clients, twelve concurrent requests, in a child process (instrumentations patch real module
// loading): every record emitted inside a request carries that request's vars and trace id.
import { checkPinoLogSending } from '../support/pino-log-sending';

test("each pino line sent as an OTel log record carries its own request's vars and trace id under concurrency", async () => {
  await checkPinoLogSending(
    ['--import', './test/otel3/support/resolve.mjs'],
    './test/otel3/fixtures/pino-telemetry.ts',
  );
});
