// Timing primitives shared by every figure. The machine is shared and noisy, so nothing here
// trusts a single measurement: variants run in alternating rounds (ABBA order, so neither side
// always runs right after a GC or a JIT tier-up of the other) and we keep medians.

/** A benchmark body: runs its operation `n` times and returns something derived from the work. */
export type Body = (n: number) => unknown;

/** Written by every body's result, so V8 cannot prove the work dead and drop it. */
export let sink: unknown;

/** Records a result so the work that produced it stays observable. */
export function consume(value: unknown): void {
  sink = value;
}

/** A clock in nanoseconds. */
export type Clock = () => number;

/** Wall-clock time, ns. */
export const wallClock: Clock = () => Number(process.hrtime.bigint());

/**
 * CPU time of this process (user + system, all threads), ns. On a loaded machine a wall-clock
 * batch also counts the time the process waited for a core; CPU time does not, so children on
 * the shared 2 cores here are timed with it. (Linux adds it up per scheduling slice, not per tick.)
 */
export const cpuClock: Clock = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) * 1000;
};

/** Nanoseconds of one call of `body(n)` on `clock` (wall clock by default). */
export function timeOnce(body: Body, n: number, clock: Clock = wallClock): number {
  const t0 = clock();
  consume(body(n));
  return clock() - t0;
}

/** The middle value (mean of the two middle values for an even count). */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Iterations of `body` that take about `targetMs`, found by doubling (this also warms it up). */
export function calibrate(body: Body, targetMs: number, clock: Clock = wallClock): number {
  let n = 16;
  for (;;) {
    const ns = timeOnce(body, n, clock);
    if (ns >= targetMs * 1e6 || n >= 1 << 26) return Math.max(1, Math.round((n * targetMs * 1e6) / Math.max(ns, 1)));
    n *= 2;
  }
}

/** Result of {@link compare}: per-op medians of each side, and the median of per-round ratios. */
export interface Comparison {
  /** Median ns per operation of side A. */
  a: number;
  /** Median ns per operation of side B. */
  b: number;
  /** Median over rounds of (A / B) measured in the same round: robust to drift between rounds. */
  ratio: number;
}

/** Options of {@link compare}. */
export interface CompareOptions {
  /** Rounds of A-then-B (or B-then-A); default 15. */
  rounds?: number;
  /** Target duration of one timed batch, ms; default 15. */
  batchMs?: number;
  /** Called before each batch of side A / side B (e.g. to register that side's manager). */
  beforeA?: () => void;
  beforeB?: () => void;
}

/**
 * Times two bodies in alternating rounds after a warm-up, each batch sized to the same number of
 * iterations for both sides (calibrated on the slower one, so neither batch is too short to time).
 */
export function compare(a: Body, b: Body, options: CompareOptions = {}): Comparison {
  const rounds = options.rounds ?? 15;
  const batchMs = options.batchMs ?? 15;
  options.beforeA?.();
  const na = calibrate(a, batchMs);
  options.beforeB?.();
  const nb = calibrate(b, batchMs);
  const n = Math.min(na, nb);
  // Warm-up: a few untimed batches of each, so both reach their optimized tier before timing.
  for (let i = 0; i < 3; i++) {
    options.beforeA?.();
    consume(a(n));
    options.beforeB?.();
    consume(b(n));
  }
  const as: number[] = [];
  const bs: number[] = [];
  const ratios: number[] = [];
  for (let r = 0; r < rounds; r++) {
    let ta: number;
    let tb: number;
    if (r % 2 === 0) {
      options.beforeA?.();
      ta = timeOnce(a, n);
      options.beforeB?.();
      tb = timeOnce(b, n);
    } else {
      options.beforeB?.();
      tb = timeOnce(b, n);
      options.beforeA?.();
      ta = timeOnce(a, n);
    }
    as.push(ta / n);
    bs.push(tb / n);
    ratios.push(ta / tb);
  }
  return { a: median(as), b: median(bs), ratio: median(ratios) };
}

/** A {@link Comparison} that keeps its per-round figures, so several can be pooled. */
export interface Rounds extends Comparison {
  as: number[];
  bs: number[];
  ratios: number[];
}

/**
 * One comparison from the rounds of several (e.g. several pairs of child processes): medians of
 * all their rounds together. Each process settles into its own JIT and memory layout, so one pair
 * of processes alone can sit 1.5x apart from the next pair; pooling pairs evens that out.
 */
export function pool(list: readonly Rounds[]): Rounds {
  const as = list.flatMap((r) => r.as);
  const bs = list.flatMap((r) => r.bs);
  const ratios = list.flatMap((r) => r.ratios);
  return { a: median(as), b: median(bs), ratio: median(ratios), as, bs, ratios };
}

/**
 * The alternating-rounds core for figures measured elsewhere (child processes, the event loop):
 * `measureA()` / `measureB()` each resolve with one measurement (ns per op, or requests per
 * CPU-second); rounds run A-then-B and B-then-A in turn, after `warmup` untimed rounds.
 */
export async function alternate(
  measureA: () => Promise<number>,
  measureB: () => Promise<number>,
  rounds: number,
  warmup = 1,
): Promise<Rounds> {
  for (let i = 0; i < warmup; i++) {
    await measureA();
    await measureB();
  }
  const as: number[] = [];
  const bs: number[] = [];
  const ratios: number[] = [];
  for (let r = 0; r < rounds; r++) {
    let ta: number;
    let tb: number;
    if (r % 2 === 0) {
      ta = await measureA();
      tb = await measureB();
    } else {
      tb = await measureB();
      ta = await measureA();
    }
    as.push(ta);
    bs.push(tb);
    ratios.push(ta / tb);
  }
  return { a: median(as), b: median(bs), ratio: median(ratios), as, bs, ratios };
}
