// Every example in examples/ runs as users run it (a child Node process, TypeScript through tsx,
// `otel-contextvars` resolved to the built package) and prints what it claims. The quickstart is
// covered in package.test.ts, `npm run demo` in demo.test.ts.
import { runNode } from '../support/run-node';

const TSX = ['--import', 'tsx'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function example(name: string): Promise<string> {
  return runNode([...TSX, `examples/${name}.ts`], { timeoutMs: 60_000 });
}

function jsonLines(out: string): Record<string, unknown>[] {
  return out
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

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
