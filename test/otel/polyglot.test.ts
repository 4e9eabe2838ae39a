// Node service A -> a Python service using OpenTelemetry Python's own propagation
// (opentelemetry-api's W3C trace-context and baggage propagators, test/fixtures/python) -> Node
// service B, all on 127.0.0.1 with keep-alive clients. One trace id end to end; the vars set in A
// arrive in Python as baggage, Python adds an entry of its own, and all arrive in B as ContextVars.
//
// The `+` decision: Python writes a space as `+` (quote_plus) and reads `+` as a space; W3C and
// OpenTelemetry JS read `+` literally, and so does ContextVarPropagator. A value with a space that
// passes through Python therefore arrives with `+` in place of the space; a `+` arrives as `+`
// (Python writes it as %2B). A var that needs its spaces back declares a codec (plusAsSpace below).
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import {
  ROOT_CONTEXT,
  context,
  defaultTextMapGetter,
  defaultTextMapSetter,
  propagation,
  trace,
} from '@opentelemetry/api';
import { CompositePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import {
  Context,
  ContextVar,
  ContextVarPropagator,
  ContextVarSpanProcessor,
  ContextVarsContextManager,
} from '../../src/index';
import { ROOT } from '../support/run-node';
import { getJson } from '../support/http';

const PYTHON = path.join(ROOT, '.venv/bin/python');
const SERVICE = path.join(ROOT, 'test/fixtures/python/baggage_service.py');
const SETUP =
  '.ci/otel-lines.sh (or: python3 -m venv .venv && .venv/bin/pip install --no-deps -r test/fixtures/python/requirements.txt)';

const tenant = new ContextVar<string>('tenant');
const requestId = new ContextVar<string>('request.id');
const attempt = new ContextVar<number>('attempt');
const note = new ContextVar<string>('note');
const runtime = new ContextVar<string>('python.runtime');
/** Python's reading of `+`, for vars whose values have spaces but never a plus. */
const plusAsSpace = { encode: (s: string) => s, decode: (t: string) => t.replaceAll('+', ' ') };
const integer = {
  encode: (n: number) => String(n),
  decode: (t: string) => {
    if (!/^\d+$/.test(t)) throw new Error(`not a count: ${t}`);
    return Number(t);
  },
};
const propagator = new CompositePropagator({
  propagators: [
    new W3CTraceContextPropagator(),
    new ContextVarPropagator({
      vars: [tenant, requestId, attempt, note, runtime],
      format: 'baggage',
      codecs: { attempt: integer, note: plusAsSpace, 'python.runtime': plusAsSpace },
    }),
  ],
});

function pythonReady(): string | undefined {
  if (!fs.existsSync(PYTHON)) return `no ${path.relative(ROOT, PYTHON)}`;
  if (
    !fs.existsSync(path.join(ROOT, '.venv/lib')) ||
    !fs
      .readdirSync(path.join(ROOT, '.venv/lib'))
      .some((py) => fs.existsSync(path.join(ROOT, '.venv/lib', py, 'site-packages/opentelemetry/propagate')))
  ) {
    return 'opentelemetry-api is not installed in .venv';
  }
  return undefined;
}

const missing = pythonReady();
const ci = process.env.CI === 'true';
const describeWithPython = missing === undefined ? describe : ci ? describe : describe.skip;
const title =
  missing === undefined || ci
    ? 'Node A -> Python (opentelemetry-api propagation) -> Node B'
    : `Node A -> Python -> Node B skipped (${missing}): run ${SETUP}`;

function listen(handler: http.RequestListener): Promise<http.Server> {
  const server = http.createServer({ keepAlive: true }, handler);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}
function port(server: http.Server): number {
  return (server.address() as AddressInfo).port;
}

describeWithPython(title, () => {
  let python: ChildProcess | undefined;
  let pythonPort: number;
  let serviceA: http.Server | undefined;
  let serviceB: http.Server | undefined;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 2 });
  const exporter = new InMemorySpanExporter();
  const tracer = new BasicTracerProvider({
    spanProcessors: [new ContextVarSpanProcessor({ vars: [tenant, requestId] }), new SimpleSpanProcessor(exporter)],
  }).getTracer('service-a');

  beforeAll(async () => {
    if (missing !== undefined) throw new Error(`CI=true and the Python service cannot run (${missing}): run ${SETUP}`);
    context.setGlobalContextManager(new ContextVarsContextManager());
    const child = spawn(PYTHON, [SERVICE], { stdio: ['ignore', 'pipe', 'pipe'] });
    python = child;
    pythonPort = await new Promise<number>((resolve, reject) => {
      let err = '';
      child.stderr.on('data', (d: Buffer) => {
        err += d.toString();
      });
      child.stdout.once('data', (d: Buffer) => resolve(Number(d.toString().trim())));
      child.once('exit', (code) => reject(new Error(`python exited with ${code}: ${err}`)));
    });
    // B: binds what arrives (trace context, Baggage, vars) and answers with what its handler sees.
    serviceB = await listen((req, res) => {
      const extracted = propagator.extract(ROOT_CONTEXT, req.headers, defaultTextMapGetter);
      void context.with(extracted, async () => {
        await new Promise((resolve) => setTimeout(resolve, 2));
        res.setHeader('content-type', 'application/json');
        res.end(
          JSON.stringify({
            traceId: trace.getSpanContext(context.active())?.traceId ?? null,
            vars: {
              tenant: tenant.get(null),
              requestId: requestId.get(null),
              attempt: attempt.get(null),
              note: note.get(null),
              runtime: runtime.get(null),
            },
            baggage: Object.fromEntries(
              (propagation.getActiveBaggage()?.getAllEntries() ?? []).map(([k, e]) => [k, e.value]),
            ),
          }),
        );
      });
    });
    // A: each request sets its own vars, starts a span, and calls Python, which calls B.
    serviceA = await listen((req, res) => {
      void new Context().run(async () => {
        const n = Number(new URL(req.url!, 'http://a').searchParams.get('n'));
        tenant.set(`acme corp ${n}`);
        requestId.set(`req-${n}`);
        attempt.set(n + 1);
        note.set(`two words ${n}`);
        await new Promise((resolve) => setTimeout(resolve, (3 - n) * 2));
        await tracer.startActiveSpan('call python', async (span) => {
          const headers: Record<string, string> = {};
          propagator.inject(context.active(), headers, defaultTextMapSetter);
          const viaPython = await getJson(agent, pythonPort, `/?next=${port(serviceB!)}`, headers);
          span.end();
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify({ traceId: span.spanContext().traceId, sentBaggage: headers.baggage, viaPython }));
        });
      });
    });
  }, 30_000);

  afterAll(async () => {
    agent.destroy();
    // Wait until Python has exited and its pipes have closed: a child still alive when the last
    // suite of a jest worker ends keeps that worker from exiting, and jest then force-exits it.
    if (python?.exitCode === null && python.signalCode === null) {
      const closed = new Promise((resolve) => python!.once('close', resolve));
      python.kill();
      await closed;
    }
    await Promise.all(
      [serviceA, serviceB].map(
        (s) =>
          s &&
          new Promise((resolve) => {
            s.closeAllConnections();
            s.close(resolve);
          }),
      ),
    );
    context.disable();
  });

  test('under concurrent requests, each keeps one trace id through Python, and its own vars', async () => {
    const client = new http.Agent({ keepAlive: true, maxSockets: 2 });
    const runs = await Promise.all([0, 1, 2, 3].map((n) => getJson(client, port(serviceA!), `/?n=${n}`)));
    client.destroy();
    runs.forEach((run, n) => {
      const viaPython = run.viaPython as Record<string, unknown>;
      const b = viaPython.downstream as {
        traceId: string;
        vars: Record<string, unknown>;
        baggage: Record<string, string>;
      };
      expect(run.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(viaPython.seenTraceId).toBe(run.traceId);
      expect(b.traceId).toBe(run.traceId);
      // Python decoded A's baggage: the vars as Python strings, spaces intact.
      expect(viaPython.seenBaggage).toEqual({
        tenant: `acme corp ${n}`,
        'request.id': `req-${n}`,
        attempt: String(n + 1),
        note: `two words ${n}`,
      });
      // Python wrote the spaces as '+'; B reads '+' literally (W3C), except through a var's codec.
      expect(viaPython.sentBaggageHeader).toContain(`tenant=acme+corp+${n}`);
      expect(b.vars).toEqual({
        tenant: `acme+corp+${n}`,
        requestId: `req-${n}`,
        attempt: n + 1,
        note: `two words ${n}`,
        runtime: expect.stringMatching(/^cpython 3\.\d+\.\d+$/) as unknown,
      });
      expect(b.baggage['python.runtime']).toMatch(/^cpython\+3\./);
    });
    expect(new Set(runs.map((r) => r.traceId)).size).toBe(4);
    const spans = exporter.getFinishedSpans();
    expect(spans.map((s) => s.attributes['contextvar.request.id']).sort()).toEqual([
      'req-0',
      'req-1',
      'req-2',
      'req-3',
    ]);
  });

  test('through Python a + and a % stay as they are; only a space turns into +', async () => {
    const headers: Record<string, string> = {};
    new Context().run(() => {
      tenant.set('a+b 100%');
      propagator.inject(context.active(), headers, defaultTextMapSetter);
    });
    const viaPython = await getJson(agent, pythonPort, `/?next=${port(serviceB!)}`, headers);
    expect((viaPython.seenBaggage as Record<string, string>).tenant).toBe('a+b 100%');
    expect((viaPython.downstream as { vars: Record<string, unknown> }).vars.tenant).toBe('a+b+100%');
  });
});
