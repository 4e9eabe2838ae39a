// The async-hop figures: 100k `await` hops inside `with`, ours and stock each in its own child,
// the two children asked in alternating order; pooled over several fresh pairs of children.
import { onPairs } from './child';
import { alternate, pool } from './harness';
import type { Rounds } from './harness';
import { ns } from './report';
import type { Row } from './report';

const HOPS = 100_000;
const PAIRS = 3;
const ROUNDS = 7;

/** Rows for 100k await hops inside with(), plain and after a set. */
export async function hopRows(): Promise<Row[]> {
  const results = { plain: [] as Rounds[], set: [] as Rounds[] };
  await onPairs('hops-child.ts', PAIRS, 'ours', 'stock', async (ours, stock) => {
    for (const kind of ['plain', 'set'] as const) {
      const msg = { kind, n: HOPS };
      // Three warm-up rounds: both reach their optimized tier before timing.
      results[kind].push(
        await alternate(
          () => ours.ask<number>(msg),
          () => stock.ask<number>(msg),
          ROUNDS,
          3,
        ),
      );
    }
  });
  return (['plain', 'set'] as const).map((kind) => {
    const c = pool(results[kind]);
    return {
      figure:
        kind === 'plain'
          ? '100k await hops inside with(), per hop'
          : '100k await hops after v.set(x) / after with(active().setValue(k,x)), per hop',
      ours: ns(c.a),
      base: ns(c.b),
      ratio: c.ratio,
      goal: { op: '<=', value: 1.02 },
    };
  });
}
