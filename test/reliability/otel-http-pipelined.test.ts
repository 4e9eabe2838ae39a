// No bleeding between requests, through OpenTelemetry's http instrumentation (@opentelemetry/instrumentation-http),
// which must patch `http` before it is loaded: the scenario runs in a child process
// (fixtures/otel-http-pipelined.cjs) against the built package. The handler is plain, sets vars
// without reset and never uses isolated(): the instrumentation runs each request inside
// context.with(extracted context + server span), and on our manager that scope alone keeps
// requests apart, including pipelined requests dispatched in one synchronous run.
import { runNode } from '../support/run-node';
import { expectBuiltPackage } from '../support/built';

beforeAll(expectBuiltPackage);

test('pipelined (16 sockets x 10 writes x 8) and keep-alive (16 x 50) requests through the http instrumentation: zero values from another request', async () => {
  const out = JSON.parse(await runNode(['test/fixtures/otel-http-pipelined.cjs'])) as Record<string, unknown>;
  expect(out.foreign).toEqual([]);
  expect(out.handled).toBe(2080);
  // The instrumentation really ran: every handler had its own recording server span.
  expect(out.instrumented).toBe(true);
  expect(out.withoutSpan).toBe(0);
  expect(out.distinctServerSpans).toBe(2080);
});
