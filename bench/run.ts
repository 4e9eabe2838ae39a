// `npm run bench`: every per-operation and end-to-end figure, ours against OpenTelemetry's stock
// AsyncLocalStorageContextManager, measured in this one run, printed as Markdown tables with the
// Node version, date and machine size; also redraws docs/perf-set-reset.svg from this run's
// set+reset series merged with those of other Node lines (docs/perf-data.json).
// Not part of `npm test`: timings belong here, never in assertions, and a missed goal is a row
// that says MISSED, never a failed run.
// Arguments pick sections (default all): ops hops http express memory coldstart.
import os from 'node:os';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { updateChart } from './chart';
import { coldStartRows } from './cold-start';
import { hopRows } from './hops';
import { expressRows, httpRows } from './http';
import { memoryRows } from './memory';
import { microRows } from './micro';
import { markdownTable, met } from './report';
import type { Row } from './report';

const SECTIONS = ['ops', 'hops', 'http', 'express', 'memory', 'coldstart'] as const;
type Section = (typeof SECTIONS)[number];

function version(pkg: string): string {
  const file = path.join(__dirname, '..', 'node_modules', ...pkg.split('/'), 'package.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

function chosenSections(): Set<Section> {
  const args = process.argv.slice(2);
  for (const a of args) {
    if (!(SECTIONS as readonly string[]).includes(a))
      throw new Error(`bench: unknown section ${a} (known: ${SECTIONS.join(' ')})`);
  }
  return new Set((args.length === 0 ? SECTIONS : args) as Section[]);
}

async function main(): Promise<void> {
  const started = Date.now();
  const loadNow = (): string => os.loadavg()[0].toFixed(1);
  const load0 = loadNow();
  const sections = chosenSections();
  const log = (s: string): void =>
    void process.stderr.write(`bench: ${s} (${((Date.now() - started) / 1000).toFixed(0)} s)\n`);
  const goals: Row[] = [];
  const out: string[] = [];
  const table = (title: string, rows: Row[]): void => {
    if (rows.length > 0) out.push('', title, '', markdownTable(rows));
  };

  const micro = sections.has('ops') ? await microRows(log) : undefined;
  if (micro !== undefined) goals.push(...micro.goals, ...micro.scaling.filter((r) => r.goal !== null));
  if (sections.has('hops')) {
    log('await hops');
    goals.push(...(await hopRows()));
  }
  if (sections.has('http')) {
    log('node:http server under autocannon');
    goals.push(...(await httpRows()));
  }
  if (sections.has('coldstart')) {
    log('cold start');
    goals.push(...coldStartRows());
  }
  let expressNote = '';
  if (sections.has('express')) {
    log('express + OpenTelemetry app under autocannon');
    const express = await expressRows();
    goals.push(...express.rows);
    const total = (notes: unknown[]): string => {
      const stats = notes as { spans: number; spansWithValues: number }[];
      const sum = (k: 'spans' | 'spansWithValues'): string =>
        stats.reduce((s, x) => s + x[k], 0).toLocaleString('en-US');
      return `${sum('spans')} spans exported, ${sum('spansWithValues')} of them with the three values`;
    };
    expressNote =
      `Express app (all rounds, warm-up included; a server span and a child span per request): ` +
      `ours ${total(express.notes.ours)}; stock ${total(express.notes.stock)}.`;
  }

  const cpus = os.cpus();
  const missed = goals.filter((r) => r.goal !== null && !met(r));
  out.unshift(
    `### Node ${process.version} (V8 ${process.versions.v8}), ${new Date().toISOString().slice(0, 10)}`,
    '',
    `Machine: ${os.availableParallelism()} cores (${cpus[0]?.model.trim() ?? 'unknown CPU'}), ` +
      `${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.platform()} ${os.arch()}. ` +
      `@opentelemetry/api ${version('@opentelemetry/api')}, stock manager: ` +
      `@opentelemetry/context-async-hooks ${version('@opentelemetry/context-async-hooks')}. ` +
      `Load average (1 min) at start ${load0}, at end ${loadNow()}.`,
    '',
    'Each side runs in its own child process with only its own manager registered. Times are medians per operation; ' +
      'ratio = ours / stock, the median of per-round ratios of alternating rounds (so it can differ slightly from ' +
      'the quotient of the two medians). Operations are timed in a setImmediate callback, inside a scope binding ' +
      'one var (ours: `v.run(1, cb)`; stock: `with(ROOT.setValue(k, 1), cb)`).',
  );
  table('Goals:', goals);
  if (micro !== undefined) {
    table(
      "The same operations at the child's module top level (still inside the one-var scope; information):",
      micro.topLevel,
    );
    table(
      'set+reset against the number of bound vars (in a callback; the chart):',
      micro.scaling.filter((r) => r.goal === null),
    );
    table('Complexity (ours in two states, one process; ratio = first / second):', micro.complexity);
    out.push('', `Chart updated: ${updateChart(micro.points)}.`);
  }
  if (expressNote !== '') out.push('', expressNote);
  if (sections.has('memory')) {
    log('memory');
    table('Memory (heap deltas after gc, one process; ratio = ours / stock BaseContext):', memoryRows());
  }
  out.push(
    '',
    `${missed.length === 0 ? 'All goals met' : `Goals missed: ${missed.length} (${missed.map((r) => r.figure.split(':')[0]).join('; ')})`}; ` +
      `total bench time ${((Date.now() - started) / 1000).toFixed(0)} s.`,
  );
  process.stdout.write(`${out.join('\n')}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});
