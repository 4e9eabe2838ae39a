// The async-hop figures: 100k `await` hops inside `with`, ours and stock each in its own child,
// the two children asked in alternating order.
import { Child } from './child';
import { median } from './harness';
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
      // Warm-up: both reach their optimized tier before timing.
      for (let i = 0; i < 3; i++) {
        await oursChild.ask(msg);
        await stockChild.ask(msg);
      }
      const a: number[] = [];
      const b: number[] = [];
      const ratios: number[] = [];
      for (let r = 0; r < ROUNDS; r++) {
        const first = r % 2 === 0 ? oursChild : stockChild;
        const second = r % 2 === 0 ? stockChild : oursChild;
        const t1 = await first.ask<number>(msg);
        const t2 = await second.ask<number>(msg);
        const [ta, tb] = r % 2 === 0 ? [t1, t2] : [t2, t1];
        a.push(ta);
        b.push(tb);
        ratios.push(ta / tb);
      }
      rows.push({
        figure: kind === 'plain'
          ? '100k await hops inside with(), per hop'
          : '100k await hops after v.set(x) / after with(active().setValue(k,x)), per hop',
        ours: ns(median(a)),
        base: ns(median(b)),
        ratio: median(ratios),
        goal: { op: '<=', value: 1.02 },
      });
    }
  } finally {
    oursChild.kill();
    stockChild.kill();
  }
  return rows;
}
