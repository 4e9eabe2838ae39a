// `npm run demo` and every example in examples/ run as users run them
// (a child Node process, TypeScript through tsx, `otel-contextvars` resolved to the built package)
// and print what they claim. The quickstart is covered in package.test.ts.
import http from 'node:http';
import nodeModule from 'node:module';
import type { AddressInfo } from 'node:net';
import { runNode } from '../support/run-node';

const TSX = ['--import', 'tsx'];
// Whatever the developer's shell exports, the default demo run must not try to reach a collector.
const NO_OTLP = { OTEL_EXPORTER_OTLP_ENDPOINT: '', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: '', OTEL_TRACES_EXPORTER: '' };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

// The demo runs the OpenTelemetry JS 3.x line where Node has module.registerHooks (22.15+, the
// 3.x packages' floor), else the 2.x line: what it prints of the logs differs accordingly.
const OTEL3 = 'registerHooks' in nodeModule;
// 3.x: the logs SDK's records, vars as attributes under the log-record processor's prefix.
// 2.x: pino's lines, vars as logFields() names them.
const LOGS = OTEL3 ? 'log records' : 'log lines';
const VAR_KEY = OTEL3 ? 'contextvar.' : '';

function example(name: string, env: NodeJS.ProcessEnv = {}): Promise<string> {
  return runNode([...TSX, `examples/${name}.ts`], { env, timeoutMs: 60_000 });
}

function jsonLines(out: string): Record<string, unknown>[] {
  return out
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('npm run demo (examples/demo.ts)', () => {
  interface TraceBlock {
    traceId: string;
    headers: string;
    rows: string[];
    logs: { message: string; fields: Record<string, string> }[];
  }
  let out: string;
  let traces: TraceBlock[];

  beforeAll(async () => {
    out = await example('demo', NO_OTLP);
    traces = [];
    let current: TraceBlock | undefined;
    const lines = out.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i];
      const head = /^Trace \d\/\d {2}trace_id=([0-9a-f]{32})/.exec(line);
      if (head) traces.push((current = { traceId: head[1], headers: '', rows: [], logs: [] }));
      else if (current && line.startsWith('  request headers: ')) current.headers = line.slice(19);
      else if (current && /^ {4}(?:frontend|backend) /.test(line)) {
        // A log line: the message, then its fields on the next line.
        const fields = Object.fromEntries(
          lines[++i]
            .trim()
            .split(' ')
            .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
        );
        current.logs.push({ message: line.trim(), fields });
      } else if (current && /^ {2}[│├└ ─]*(?:frontend|backend)/.test(line)) current.rows.push(line);
    }
  }, 90_000);

  test('the demo names the OpenTelemetry line it runs on: 3.x on Node 22.15 and later, else 2.x', () => {
    const first = out.split('\n')[0];
    if (OTEL3) expect(first).toMatch(/^OpenTelemetry JS 3\.x line \(api 1\.10, NodeSDK with sdk-trace and sdk-logs\)/);
    else expect(first).toMatch(/^OpenTelemetry JS 2\.x line \(api 1\.9, NodeTracerProvider\), as Node 20\./);
    expect(out).toContain(`${LOGS} with this trace_id (4):`);
  });

  test('three concurrent requests give three traces, each with spans of both services', () => {
    expect(traces).toHaveLength(3);
    expect(new Set(traces.map((t) => t.traceId)).size).toBe(3);
    for (const t of traces) expect(out).toContain(`trace_id=${t.traceId}  (8 spans: frontend + backend)`);
    expect(out).toContain(`3 traces, 24 spans from 2 processes, 12 of 12 ${LOGS} correlated`);
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

  test(`the ${LOGS} of both processes carry their trace's ids and the request's vars, each once`, () => {
    for (const t of traces) {
      const [requestId, tenant, user] = t.rows[1]
        .trim()
        .split(/\s{2,}/)
        .slice(-3);
      expect(tenant).toBe(/x-tenant: (\w+)/.exec(t.headers)![1]);
      expect(t.logs.map((l) => l.message.split(/\s+/)[0])).toEqual(['frontend', 'frontend', 'backend', 'backend']);
      const spanIds = new Set(t.rows.map((row) => /\b[0-9a-f]{16}\b/.exec(row)![0]));
      for (const { fields } of t.logs) {
        // Exactly these fields: on the 3.x line a pino mixin would add each var a second time,
        // unprefixed, next to the log-record processor's attribute.
        expect(fields).toEqual({
          trace_id: t.traceId,
          span_id: fields.span_id,
          trace_flags: '01',
          [`${VAR_KEY}request.id`]: requestId,
          [`${VAR_KEY}tenant`]: tenant,
          [`${VAR_KEY}user.id`]: user,
        });
        // A span of this very trace wrote it.
        expect(spanIds.has(fields.span_id)).toBe(true);
      }
    }
  });

  test(`with OTEL_EXPORTER_OTLP_ENDPOINT set, both services also export their spans${OTEL3 ? ' and log records' : ''} over OTLP/HTTP`, async () => {
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
      const otlpOut = await example('demo', { ...NO_OTLP, OTEL_EXPORTER_OTLP_ENDPOINT: endpoint });
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
    expect([...new Set(bodies.map((b) => b.url))].sort()).toEqual(OTEL3 ? ['/v1/logs', '/v1/traces'] : ['/v1/traces']);
    for (const url of OTEL3 ? ['/v1/traces', '/v1/logs'] : ['/v1/traces']) {
      expect(sent(url)).toContain('"demo-frontend"');
      expect(sent(url)).toContain('"demo-backend"');
      expect(sent(url)).toContain('"contextvar.tenant"');
    }
  }, 90_000);
});

describe('examples', () => {
  test('express-request-id: header or new uuid, read deep in the handler; nothing bleeds, isolated keeps the batch apart', async () => {
    const out = await example('express-request-id');
    expect(out).toContain(
      '[abc-123] GET /orders/42\n[abc-123] loaded order 42\nresponse {"id":"42","requestId":"abc-123"}',
    );
    const generated = /response \{"id":"43","requestId":"([^"]+)"\}/.exec(out)![1];
    expect(generated).toMatch(UUID);
    expect(out).toContain(`[${generated}] loaded order 43`);
    expect(out).toContain('peek on the same connection {"requestId":"unset"}');
    expect(out).toContain('pipelined, then peek {"id":"44","requestId":"pipe-1"} {"requestId":"unset"}');
    expect(out).toContain(
      'isolated(processItem): items saw batch-7/a,batch-7/b,batch-7/c; the handler still has batch-7',
    );
    expect(out).toContain(
      'plain processItem:     items saw batch-7/a,batch-7/a/b,batch-7/a/b/c; the handler now has batch-7/a/b/c',
    );
  });

  test('nodesdk-setup: NodeSDK with our manager; both spans carry the vars as attributes', async () => {
    const out = await example('nodesdk-setup');
    expect(out).toContain('inside the span: tenant=acme, tenant via context.active()=acme');
    expect(out).toContain("name: 'handle order'");
    expect(out).toContain("name: 'charge card'");
    expect(
      out.match(/attributes: \{ 'contextvar\.tenant': 'acme', 'contextvar\.request\.id': 'req-42' \}/g),
    ).toHaveLength(2);
  });

  for (const name of ['pino', 'winston']) {
    test(`${name}: concurrent requests' lines carry their own trace ids and vars`, async () => {
      const lines = jsonLines(await example(name));
      expect(lines).toHaveLength(5);
      expect(lines[0]).not.toHaveProperty('trace_id');
      expect(lines[0]).not.toHaveProperty('tenant');
      const byRequest = new Map<unknown, Record<string, unknown>[]>();
      for (const line of lines.slice(1))
        byRequest.set(line['request.id'], [...(byRequest.get(line['request.id']) ?? []), line]);
      expect([...byRequest.keys()].sort()).toEqual(['req-1', 'req-2']);
      const traceIds = new Set<unknown>();
      for (const [id, group] of byRequest) {
        expect(group).toHaveLength(2);
        const tenant = id === 'req-1' ? 'acme' : 'globex';
        for (const line of group) {
          expect(line).toMatchObject({
            tenant,
            trace_id: group[0].trace_id,
            span_id: group[0].span_id,
            trace_flags: '01',
          });
          expect(line.trace_id).toMatch(/^[0-9a-f]{32}$/);
        }
        traceIds.add(group[0].trace_id);
      }
      expect(traceIds.size).toBe(2);
    });
  }

  test('worker-propagation: the worker reads each message’s vars inside context.with, and only there', async () => {
    const out = await example('worker-propagation');
    expect(out).toContain('worker: order 1001 for tenant=acme, inc. request.id=req-1');
    expect(out).toContain('worker: order 1002 for tenant=globex 😀 request.id=req-2');
    expect(out.match(/worker: between jobs tenant=unset/g)).toHaveLength(2);
    expect(out).toContain('main: after the jobs tenant=unset');
  });

  test('two-services: the inventory handler reads the vars from the contextvars header, in the caller’s trace', async () => {
    const out = await example('two-services');
    expect(out).toContain('inventory received header  contextvars: tenant=acme,request.id=req-1');
    expect(out).toContain('inventory handler reads    tenant=acme request.id=req-1');
    expect(out).toContain('inventory handler reads    tenant=globex request.id=req-2');
    expect(out.match(/one trace for both {9}yes \([0-9a-f]{32}\)/g)).toHaveLength(2);
  });
});
