/**
 * mulberry32: a small seeded pseudo-random generator in [0, 1), so that a randomized test (fuzz,
 * model checks) replays exactly from its printed seed.
 */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The seed of this test file's randomized load (each jest test file loads its own copy of this
 * module): `TEST_SEED` from the environment replays a failing run, else a fresh seed.
 */
export const RUN_SEED = process.env.TEST_SEED === undefined ? Date.now() >>> 0 : Number(process.env.TEST_SEED) >>> 0;

/** This file's generator, seeded with `RUN_SEED`: the load tests' timings and choices come from it. */
export const runRandom = seededRandom(RUN_SEED);

/** For the describe titles of randomized tests, so a failure's report names the seed that replays it. */
export const SEED_TITLE = `seed ${RUN_SEED}, replay with TEST_SEED=${RUN_SEED}`;
