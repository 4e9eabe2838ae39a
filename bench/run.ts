// `npm run bench`: every figure of issue 5, ours against OpenTelemetry's stock
// AsyncLocalStorageContextManager (and raw AsyncLocalStorage where that is the floor), measured in
// this one run, printed as Markdown tables with the Node version, date and machine size.
// Not part of `npm test`: timings belong here, never in assertions.
import os from 'node:os';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { hopRows } from './hops';
import { httpRows } from './http';
import { memoryRows } from './memory';
import { microRows } from './micro';
import { markdownTable, met } from './report';
import type { Row } from './report';

function version(pkg: string): string {
  const file = path.join(__dirname, '..', 'node_modules', ...pkg.split('/'), 'package.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

async function main(): Promise<void> {
  const started = Date.now();
  const log = (s: string): void => void process.stderr.write(`bench: ${s}\n`);
  const { goals, complexity } = await microRows(log);
  log('await hops (child processes)');
  const hops = await hopRows();
  log('http (child processes)');
  const http = await httpRows();
  log('memory');
  const memory = memoryRows();

  const cpus = os.cpus();
  const all: Row[] = [...goals, ...hops, ...http];
  const missed = all.filter((r) => r.goal !== null && !met(r.goal, r.ratio));
  const out = [
    `### Node ${process.version} (V8 ${process.versions.v8}), ${new Date().toISOString().slice(0, 10)}`,
    '',
    `Machine: ${os.availableParallelism?.() ?? cpus.length} cores (${cpus[0]?.model.trim() ?? 'unknown CPU'}), ` +
      `${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.platform()} ${os.arch()}, shared with other work. ` +
      `@opentelemetry/api ${version('@opentelemetry/api')}, stock manager: ` +
      `@opentelemetry/context-async-hooks ${version('@opentelemetry/context-async-hooks')}.`,
    '',
    'Times are medians per operation; ratio = ours / stock (or floor), the median of per-round ratios ' +
      'of alternating rounds, so it can differ slightly from the quotient of the two medians.',
    '',
    markdownTable(all),
    '',
    'Complexity (ours in two states; ratio = first / second):',
    '',
    markdownTable(complexity),
    '',
    'Memory (heap deltas after gc; ratio = ours / stock BaseContext):',
    '',
    markdownTable(memory),
    '',
    `${missed.length === 0 ? 'All goals met' : `Goals missed: ${missed.length}`}; total bench time ${((Date.now() - started) / 1000).toFixed(0)} s.`,
  ];
  process.stdout.write(`${out.join('\n')}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});
