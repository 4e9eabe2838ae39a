// Each 3.x setup of the README runs as a user runs it (a child Node process,
// TypeScript through tsx, `otel-contextvars` resolved to the built package, one api 1.10 through
// test/otel3/support/resolve.mjs) and prints the vars on a span, a log record and the headers.
import { runNode } from '../support/run-node';

const EXPECTED = [
  'span handle order: {"contextvar.tenant":"acme corp","contextvar.request.id":"req-42"}',
  'log "order charged": {"contextvar.tenant":"acme corp","contextvar.request.id":"req-42"} same trace: true',
  'headers: traceparent=00-<trace>-<span>-01 baggage=tenant=acme%20corp,request.id=req-42',
];

test.each(['node-sdk', 'start-node-sdk', 'tracer-provider'])(
  'examples %s.ts: vars on the span, the log record and in W3C baggage',
  async (name) => {
    const out = await runNode(
      ['--import', './test/otel3/support/resolve.mjs', '--import', 'tsx', `test/otel3/examples/${name}.ts`],
      { env: { OTEL_LOG_LEVEL: 'none' } },
    );
    expect(out.trim().split('\n')).toEqual(EXPECTED);
  },
);
