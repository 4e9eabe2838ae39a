// Type-checks src/use.ts, as ESM and as CommonJS (src/use.cts, a copy) under node16 and nodenext
// and for bundlers, on every TypeScript version this project installs (5.2, the floor the docs
// promise, through 7), strict, with @types/node and lib es2022, without skipLibCheck. From 5.6
// on, also with lib esnext, where the Context's iterators keep the iterator helpers (src/helpers.ts).
// Also pins the documented requirement: without @types/node, @opentelemetry/api's types fail.
import { execFile } from 'node:child_process';
import { copyFileSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);
const here = (p) => new URL(p, import.meta.url).pathname;
const deps = JSON.parse(readFileSync(here('package.json'), 'utf8')).dependencies;
const compilers = Object.keys(deps).filter((d) => /^ts\d+$/.test(d));
const HELPERS_FROM = 'ts56';
copyFileSync(here('src/use.ts'), here('src/use.cts'));
let passed = 0;
let failed = 0;

async function tsc(ts, project) {
  const bin = here(`node_modules/${ts}/bin/tsc`);
  try {
    await run(process.execPath, [bin, '-p', here(project)], { timeout: 120_000 });
    return { ok: true, output: '' };
  } catch (error) {
    return { ok: false, output: `${error.stdout ?? ''}${error.stderr ?? ''}` || String(error) };
  }
}

const modes = (ts) => [
  'node16',
  'nodenext',
  'bundler',
  ...(compilers.indexOf(ts) >= compilers.indexOf(HELPERS_FROM) ? ['esnext'] : []),
];
const jobs = compilers.flatMap((ts) => modes(ts).map((mode) => ({ ts, mode })));
// Two compilers at a time: the machine has two cores.
const results = [];
for (let i = 0; i < jobs.length; i += 2) {
  results.push(
    ...(await Promise.all(
      jobs.slice(i, i + 2).map(async (job) => ({ ...job, ...(await tsc(job.ts, `tsconfig.${job.mode}.json`)) })),
    )),
  );
}
for (const { ts, mode, ok, output } of results) {
  const version = JSON.parse(readFileSync(here(`node_modules/${ts}/package.json`), 'utf8')).version;
  if (ok) passed += 1;
  else failed += 1;
  console.log(`${ok ? 'ok' : 'not ok'} - TypeScript ${version} ${mode}${ok ? '' : `\n${output.trim()}`}`);
}

const latest = compilers.at(-1);
const withoutNode = await tsc(latest, 'tsconfig.no-types-node.json');
// This package's declarations name no Node module; @opentelemetry/api's use `console`, which only
// @types/node (or lib dom) declares.
const oursClean = !/otel-contextvars\//.test(withoutNode.output);
const apiNeedsConsole = /@opentelemetry\/api\/.*Cannot find name 'console'/.test(withoutNode.output);
const asDocumented = !withoutNode.ok && oursClean && apiNeedsConsole;
if (asDocumented) passed += 1;
else failed += 1;
console.log(
  `${asDocumented ? 'ok' : 'not ok'} - without @types/node only @opentelemetry/api's declarations fail (console), none of ours, as the README says${asDocumented ? '' : `\n${withoutNode.output.trim()}`}`,
);
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed === 0 ? 0 : 1;
