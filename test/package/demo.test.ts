// `npm run demo` (examples/demo.ts) as a user runs it: a child Node process through tsx, which
// forks the backend, on each OpenTelemetry JS line this Node can run. The checks read what it
// prints: every span of a trace from both processes, the vars on the spans and on the log entries
// of both processes, each entry in the right trace.
import http from 'node:http';
import nodeModule from 'node:module';
import type { AddressInfo } from 'node:net';
import { runNode } from '../support/run-node';

// Whatever the developer's shell exports, the default demo run must not try to reach a collector.
const NO_OTLP = { OTEL_EXPORTER_OTLP_ENDPOINT: '', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: '', OTEL_TRACES_EXPORTER: '' };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
// The 3.x line runs where Node has module.registerHooks (22.15+, its packages' floor); the 2.x
// line runs everywhere, by default where 3.x cannot and with DEMO_OTEL_LINE=2.x elsewhere.
const OTEL3_RUNS = 'registerHooks' in nodeModule;

interface DemoLine {
  name: string;
  env: NodeJS.ProcessEnv;
  /** The demo's first output line. */
  first: RegExp;
  /** What it prints under each trace. */
  logs: 'log records' | 'log lines';
  /** How a var is named there: the log-record processor's prefix, or logFields() names. */
  varKey: string;
  exported: string;
  otlpPaths: string[];
}

const LINES: DemoLine[] = [
  {
    name: '3.x',
    env: { DEMO_OTEL_LINE: '' },
    first:
      /^OpenTelemetry JS 3\.x line \(api 1\.10, NodeSDK with sdk-trace and sdk-logs\): log records from pino through PinoInstrumentation; Node \d+\.\d+\.\d+$/,
    logs: 'log records',
    varKey: 'contextvar.',
    exported: 'spans and log records',
    otlpPaths: ['/v1/logs', '/v1/traces'],
  },
  {
    name: '2.x',
    env: { DEMO_OTEL_LINE: OTEL3_RUNS ? '2.x' : '' },
    first: OTEL3_RUNS
      ? /^OpenTelemetry JS 2\.x line \(api 1\.9, NodeTracerProvider\): log lines from pino with logFields\(\); DEMO_OTEL_LINE=2\.x on Node /
      : /^OpenTelemetry JS 2\.x line \(api 1\.9, NodeTracerProvider\): log lines from pino with logFields\(\); Node \d+\.\d+\.\d+ is older than the 3\.x line's 22\.15$/,
    logs: 'log lines',
    varKey: '',
    exported: 'spans',
    otlpPaths: ['/v1/traces'],
  },
];

interface TraceBlock {
  traceId: string;
  headers: string;
  rows: string[];
  logs: { message: string; fields: Record<string, string> }[];
}

function demo(env: NodeJS.ProcessEnv): Promise<string> {
  return runNode(['--import', 'tsx', 'examples/demo.ts'], { env: { ...NO_OTLP, ...env }, timeoutMs: 60_000 });
}

/** Each trace the demo printed: its id, the headers sent, the tree's rows and the log entries under it. */
function parseTraces(out: string): TraceBlock[] {
  const traces: TraceBlock[] = [];
  let current: TraceBlock | undefined;
  const lines = out.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const head = /^Trace \d\/\d {2}trace_id=([0-9a-f]{32})/.exec(line);
    if (head) traces.push((current = { traceId: head[1], headers: '', rows: [], logs: [] }));
    else if (current && line.startsWith('  request headers: ')) current.headers = line.slice(19);
    else if (current && /^ {4}(?:frontend|backend) /.test(line)) {
      // A log entry: the message, then its fields on the next line.
      const fields = Object.fromEntries(
        lines[++i]
          .trim()
          .split(' ')
          .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
      );
      current.logs.push({ message: line.trim(), fields });
    } else if (current && /^ {2}[│├└ ─]*(?:frontend|backend)/.test(line)) current.rows.push(line);
  }
  return traces;
}

for (const line of LINES) {
  const runs = line.name === '2.x' || OTEL3_RUNS;
  const title = runs
    ? `npm run demo on the OpenTelemetry JS ${line.name} line`
    : `npm run demo on the OpenTelemetry JS 3.x line skipped: Node ${process.versions.node} is older than its packages' 22.15`;
  (runs ? describe : describe.skip)(title, () => {
    let out: string;
    let traces: TraceBlock[];

    beforeAll(async () => {
      out = await demo(line.env);
      traces = parseTraces(out);
    }, 90_000);

    test('its first line names the OpenTelemetry line it runs on and why', () => {
      expect(out.split('\n')[0]).toMatch(line.first);
      expect(out).toContain(`${line.logs} with this trace_id (4):`);
    });

    test('three concurrent requests give three traces, each with spans of both services', () => {
      expect(traces).toHaveLength(3);
      expect(new Set(traces.map((t) => t.traceId)).size).toBe(3);
      for (const t of traces) expect(out).toContain(`trace_id=${t.traceId}  (8 spans: frontend + backend)`);
      expect(out).toContain(`3 traces, 24 spans from 2 processes, 12 of 12 ${line.logs} correlated`);
    });

    test('each tree nests the backend spans under the frontend client span that called them', () => {
      const expected = [
        [0, 'frontend GET /checkout'],
        [1, 'frontend checkout'],
        [2, 'frontend GET /stock'],
        [3, 'backend  GET /stock'],
        [4, 'backend  reserve stock'],
        [2, 'frontend GET /payment'],
        [3, 'backend  GET /payment'],
        [4, 'backend  charge payment'],
      ];
      for (const t of traces) {
        // Depth from the column where the service name starts: every tree level indents by three.
        const shape = t.rows.map((row) => {
          const at = row.search(/frontend|backend/);
          return [
            (at - 2) / 3,
            row
              .slice(at)
              .split(/ {2,}(?=server|client|internal)/)[0]
              .trimEnd(),
          ];
        });
        expect(shape).toEqual(expected);
      }
    });

    test("every span after the frontend's middleware carries the request's vars as contextvar.* attributes", () => {
      const header = out.split('\n').find((l) => l.trimStart().startsWith('span '))!;
      expect(header.split(/\s{2,}/).slice(-3)).toEqual([
        'contextvar.request.id',
        'contextvar.tenant',
        'contextvar.user.id',
      ]);
      const sent = [
        ['req-1001', 'acme', 'alice'],
        ['req-1002', 'globex', 'bob'],
        [undefined, 'initech', 'carol'],
      ];
      traces.forEach((t, i) => {
        const [id, tenant, user] = sent[i];
        const values = t.rows.map((row) =>
          row
            .trim()
            .split(/\s{2,}/)
            .slice(-3),
        );
        // The server span starts before the middleware sets anything.
        expect(values[0]).toEqual(['-', '-', '-']);
        const requestIds = new Set(values.slice(1).map((v) => v[0]));
        expect(requestIds.size).toBe(1);
        const requestId = [...requestIds][0];
        if (id === undefined) expect(requestId).toMatch(UUID);
        else expect(requestId).toBe(id);
        for (const v of values.slice(1)) expect(v).toEqual([requestId, tenant, user]);
      });
    });

    test(`the ${line.logs} of both processes carry their trace's ids and the request's vars, each once`, () => {
      for (const t of traces) {
        const [requestId, tenant, user] = t.rows[1]
          .trim()
          .split(/\s{2,}/)
          .slice(-3);
        expect(tenant).toBe(/x-tenant: (\w+)/.exec(t.headers)![1]);
        expect(t.logs.map((l) => l.message.split(/\s+/)[0])).toEqual(['frontend', 'frontend', 'backend', 'backend']);
        const spanIds = t.rows.map((row) => /\b[0-9a-f]{16}\b/.exec(row)![0]);
        // Written inside the span active at the call: the frontend's checkout span, then the
        // backend's reserve stock and charge payment spans (rows of the tree in start order).
        expect(t.logs.map((l) => l.fields.span_id)).toEqual([spanIds[1], spanIds[1], spanIds[4], spanIds[7]]);
        for (const { fields } of t.logs) {
          // Exactly these fields: on the 3.x line a pino mixin would add each var a second time,
          // unprefixed, next to the log-record processor's attribute.
          expect(fields).toEqual({
            trace_id: t.traceId,
            span_id: fields.span_id,
            trace_flags: '01',
            [`${line.varKey}request.id`]: requestId,
            [`${line.varKey}tenant`]: tenant,
            [`${line.varKey}user.id`]: user,
          });
        }
      }
    });

    test(`with OTEL_EXPORTER_OTLP_ENDPOINT set, both services also export their ${line.exported} over OTLP/HTTP`, async () => {
      const bodies: { url: string; body: string }[] = [];
      const collector = http.createServer((req, res) => {
        let body = '';
        req.setEncoding('utf8').on('data', (chunk: string) => {
          body += chunk;
        });
        req.on('end', () => {
          bodies.push({ url: req.url ?? '', body });
          res.setHeader('content-type', 'application/json');
          res.end('{}');
        });
      });
      await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
      try {
        const endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
        const otlpOut = await demo({ ...line.env, OTEL_EXPORTER_OTLP_ENDPOINT: endpoint });
        expect(otlpOut).toContain('OTLP export: on');
        expect(otlpOut).toContain('3 traces, 24 spans from 2 processes');
      } finally {
        collector.closeAllConnections();
        collector.close();
      }
      const sent = (url: string) =>
        bodies
          .filter((b) => b.url === url)
          .map((b) => b.body)
          .join('\n');
      expect([...new Set(bodies.map((b) => b.url))].sort()).toEqual(line.otlpPaths);
      for (const url of line.otlpPaths) {
        expect(sent(url)).toContain('"demo-frontend"');
        expect(sent(url)).toContain('"demo-backend"');
        expect(sent(url)).toContain('"contextvar.tenant"');
      }
    }, 90_000);
  });
}
