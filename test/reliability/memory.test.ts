// Memory stays bounded under the patterns that leak elsewhere. Each scenario runs in
// its own `node --expose-gc` process against the built package (fixtures/memory.cjs), which
// compares the heap after full collections before and after the load, past a warm-up.
import { runNode } from '../support/run-node';
import { expectBuiltPackage } from '../support/built';

const MB = 1024 * 1024;
// "A few MB": well above the noise measured (under 0.3 MB on Node 20 and 24), far below what
// keeping one value per unit of work would cost (tens of MB; see the instrument check).
const BOUND = 3 * MB;

async function measure(mode: string): Promise<Record<string, unknown> & { growth: number }> {
  return JSON.parse(await runNode(['--expose-gc', 'test/fixtures/memory.cjs', mode], { timeoutMs: 90_000 })) as Record<
    string,
    unknown
  > & { growth: number };
}

beforeAll(expectBuiltPackage);

describe('ContextVars created per call (the Python leak pattern)', () => {
  let result: Awaited<ReturnType<typeof measure>>;
  beforeAll(async () => {
    result = await measure('vars');
  }, 90_000);

  test('1,000,000 vars, each set once in a copyContext().run or its own run(): heap growth under 3 MB, and the vars are collected', () => {
    expect(result.created).toBe(1_000_000);
    expect(result.growth).toBeLessThan(BOUND);
    // One var in every 50,000 was watched through a WeakRef: nothing keeps them alive.
    expect(result.collected).toBe(result.sampled);
  });

  test('one process warning (OTEL_CONTEXTVARS_PER_CALL) saying vars belong at module level, never a second time, whatever the name', () => {
    // 1,020,000 vars named 'x' and then 20,000 named 'y': still exactly one warning.
    expect(result.warnings).toEqual([
      {
        name: 'ContextVarWarning',
        code: 'OTEL_CONTEXTVARS_PER_CALL',
        message: expect.stringContaining('belong at module level') as unknown,
      },
    ]);
    expect((result.warnings as { message: string }[])[0].message).toContain("named 'x'");
  });
});

describe('scopes and requests', () => {
  test('100,000 sequential copyContext().run scopes (half of them awaiting), each binding ~1 KB: heap growth under 3 MB', async () => {
    const result = await measure('scopes');
    expect(result.scopes).toBe(100_000);
    expect(result.growth).toBeLessThan(BOUND);
    expect(result.leftInCaller).toBe('unset');
  }, 90_000);

  test('instrument check: the same scopes keeping 20,000 snapshots alive show as more than 15 MB of growth', async () => {
    const result = await measure('scopes-retained');
    expect(result.growth).toBeGreaterThan(15 * MB);
  }, 90_000);

  test('20,000 requests through a keep-alive server whose handler sets ~1 KB without reset: heap growth under 3 MB', async () => {
    const result = await measure('server');
    expect(result.requests).toBe(20_000);
    expect(result.wrong).toBe(0);
    expect(result.growth).toBeLessThan(BOUND);
  }, 90_000);
});
