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

// The child reports its own CPU time (user + system) at the end of the script, and the CPU time
// of the package's line alone, with @opentelemetry/api already loaded (both sides load the same
// API; this is what the package itself adds): on a shared machine the CPU time is what loading
// costs, the wall clock also counts waiting for a core.
const cpuMs = '((c) => (c.user + c.system) / 1e3)(process.cpuUsage())';
const probe = (line: string): string =>
  line === ''
    ? `process.stdout.write(JSON.stringify({ cpu: ${cpuMs}, own: 0 }));`
    : `require('@opentelemetry/api'); const c0 = ${cpuMs}; ${line} const own = ${cpuMs} - c0; ` +
      `process.stdout.write(JSON.stringify({ cpu: ${cpuMs}, own }));`;

// The `ready` sides also make and enable a manager and read its active context once, as an app's
// start-up and first request do: the stock manager makes its AsyncLocalStorage then, and ours
// picks its engine on that first use (not when the package loads).
const SIDES = {
  ours: "require('otel-contextvars');",
  stock: "require('@opentelemetry/context-async-hooks');",
  oursReady: "const m = new (require('otel-contextvars').ContextVarsContextManager)(); m.enable(); m.active();",
  stockReady:
    "const m = new (require('@opentelemetry/context-async-hooks').AsyncLocalStorageContextManager)(); m.enable(); m.active();",
  bare: '',
} as const;
type Side = keyof typeof SIDES;

interface Sample {
  /** Spawn to exit, as the parent sees it, ms. */
  wall: number;
  /** The child's user + system CPU time at the end of its script, ms. */
  cpu: number;
  /** CPU time of the side's line alone, after @opentelemetry/api is loaded, ms. */
  own: number;
}

function sample(side: Side): Sample {
  const t0 = wallClock();
  const child = spawnSync(process.execPath, ['-e', probe(SIDES[side])], { cwd: ROOT, encoding: 'utf8' });
  const wall = (wallClock() - t0) / 1e6;
  if (child.status !== 0) throw new Error(`cold start (${side}): ${child.stderr}`);
  const { cpu, own } = JSON.parse(child.stdout) as { cpu: number; own: number };
  return { wall, cpu, own };
}

const ms = (x: number): string => (x < 0 ? `-${ns(-x * 1e6)}` : ns(x * 1e6));

/** Rows for the cold start of ours against the stock manager, medians of ROUNDS fresh processes each. */
export function coldStartRows(): Row[] {
  const samples: Record<Side, Sample[]> = { ours: [], stock: [], oursReady: [], stockReady: [], bare: [] };
  const order: Side[] = ['ours', 'stock', 'oursReady', 'stockReady', 'bare'];
  // One untimed round first: the file system cache holds every file either side reads.
  for (const side of order) sample(side);
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const side of round % 2 === 0 ? order : [...order].reverse()) samples[side].push(sample(side));
  }
  const med = (side: Side, k: keyof Sample): number => median(samples[side].map((s) => s[k]));
  const row = (ready: boolean, k: keyof Sample, what: string, goal: Row['goal']): Row => {
    const [a, b] = ready ? (['oursReady', 'stockReady'] as const) : (['ours', 'stock'] as const);
    const difference = med(a, k) - med(b, k);
    return {
      figure:
        `cold start: node -e "require(...)${ready ? '; new Manager().enable(); active()' : ''}", ${what}, median of ` +
        `${ROUNDS} processes (${k === 'own' ? '' : `node -e alone: ${ms(med('bare', k))}; `}ours - stock: ${ms(difference)})`,
      ours: ms(med(a, k)),
      base: ms(med(b, k)),
      ratio: med(a, k) / med(b, k),
      difference,
      goal,
    };
  };
  return [
    row(false, 'cpu', 'whole-process CPU time', { op: '<=', value: 2, on: 'ms over base' }),
    row(false, 'wall', 'wall clock from spawn to exit', null),
    row(false, 'own', 'CPU time of the require line alone (the API loaded before)', null),
    row(true, 'cpu', 'whole-process CPU time', null),
    row(true, 'wall', 'wall clock from spawn to exit', null),
    row(true, 'own', 'CPU time of the line alone (the API loaded before)', null),
  ];
}
