// On the 2.x line: pino through @opentelemetry/instrumentation-pino 0.69's log
// sending, NodeSDK 0.2xx and ContextVarLogRecordProcessor. A real server on 127.0.0.1, keep-alive
// clients, twelve concurrent requests, in a child process (instrumentations patch real module
// loading): every record emitted inside a request carries that request's vars and trace id.
// The 3.x line runs the same scenario in test/otel3/pino-log-sending.test.ts.
import { checkPinoLogSending } from '../support/pino-log-sending';

test("each pino line sent as an OTel log record carries its own request's vars and trace id under concurrency", async () => {
  await checkPinoLogSending([], './test/fixtures/pino/telemetry-2x.ts');
});
