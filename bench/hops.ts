// The async-hop figures: 100k `await` hops inside `with`, ours and stock each in its own child,
// the two children asked in alternating order.
import { Child } from './child';
import { alternate } from './harness';
import { ns } from './report';
import type { Row } from './report';

const HOPS = 100_000;
const ROUNDS = 11;

/** Rows for 100k await hops inside with(), plain and after a set. */
export async function hopRows(): Promise<Row[]> {
  const oursChild = new Child('hops-child.ts', ['ours']);
  const stockChild = new Child('hops-child.ts', ['stock']);
  await Promise.all([oursChild.next(), stockChild.next()]);
  const rows: Row[] = [];
  try {
    for (const kind of ['plain', 'set'] as const) {
      const msg = { kind, n: HOPS };
      // Three warm-up rounds: both reach their optimized tier before timing.
      const c = await alternate(() => oursChild.ask<number>(msg), () => stockChild.ask<number>(msg), ROUNDS, 3);
      rows.push({
        figure: kind === 'plain'
          ? '100k await hops inside with(), per hop'
          : '100k await hops after v.set(x) / after with(active().setValue(k,x)), per hop',
        ours: ns(c.a),
        base: ns(c.b),
        ratio: c.ratio,
        goal: { op: '<=', value: 1.02 },
      });
    }
  } finally {
    oursChild.kill();
    stockChild.kill();
  }
  return rows;
}
