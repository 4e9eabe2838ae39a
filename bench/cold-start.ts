// The cold-start figure: what loading the package adds to a fresh Node process, the price a
// serverless function pays on every cold start. Each sample is a whole new process,
// `node -e "require(...)"` from the repository root (so `otel-contextvars` resolves to the built
// package through its own "exports"), ours, the stock manager and a bare `node -e` in turn.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { median, wallClock } from './harness';
import { ns } from './report';
import type { Row } from './report';

const ROUNDS = 31;
const ROOT = path.join(__dirname, '..');

// The child reports its own CPU time (user + system) and its uptime at the end of the script: on a
// shared machine the CPU time is what loading costs, the wall clock also counts waiting for a core.
const REPORT =
  'const c = process.cpuUsage(); ' +
  'process.stdout.write(JSON.stringify({ cpu: (c.user + c.system) / 1e3, up: performance.now() }));';

const SIDES = {
  ours: "require('otel-contextvars');",
  stock: "require('@opentelemetry/context-async-hooks');",
  bare: '',
} as const;
type Side = keyof typeof SIDES;

interface Sample {
  /** Spawn to exit, as the parent sees it, ms. */
  wall: number;
  /** The child's user + system CPU time at the end of its script, ms. */
  cpu: number;
}

function sample(side: Side): Sample {
  const t0 = wallClock();
  const child = spawnSync(process.execPath, ['-e', `${SIDES[side]}${REPORT}`], { cwd: ROOT, encoding: 'utf8' });
  const wall = (wallClock() - t0) / 1e6;
  if (child.status !== 0) throw new Error(`cold start (${side}): ${child.stderr}`);
  const { cpu } = JSON.parse(child.stdout) as { cpu: number };
  return { wall, cpu };
}

const ms = (x: number): string => ns(x * 1e6);

/** Rows for the cold start of ours against the stock manager, medians of ROUNDS fresh processes each. */
export function coldStartRows(): Row[] {
  const samples: Record<Side, Sample[]> = { ours: [], stock: [], bare: [] };
  const order: Side[] = ['ours', 'stock', 'bare'];
  // One untimed round first: the file system cache holds every file either side reads.
  for (const side of order) sample(side);
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const side of round % 2 === 0 ? order : [...order].reverse()) samples[side].push(sample(side));
  }
  const med = (side: Side, k: keyof Sample): number => median(samples[side].map((s) => s[k]));
  const row = (k: keyof Sample, what: string, goal: Row['goal']): Row => ({
    figure:
      `cold start: node -e "require(...)", ${what}, median of ${ROUNDS} processes ` +
      `(node -e alone: ${ms(med('bare', k))})${goal === null ? '' : `; goal on ours - stock: ${ms(med('ours', k) - med('stock', k))}`}`,
    ours: ms(med('ours', k)),
    base: ms(med('stock', k)),
    ratio: med('ours', k) / med('stock', k),
    difference: med('ours', k) - med('stock', k),
    goal,
  });
  return [
    row('cpu', 'whole-process CPU time', { op: '<=', value: 2, on: 'ms over base' }),
    row('wall', 'wall clock from spawn to exit', null),
  ];
}
