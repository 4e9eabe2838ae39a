// Runs the consumer app (app.cjs, app.mjs) as Node loads it and as esbuild and webpack bundle it,
// in ESM and CommonJS output, and checks that every form prints expected.txt and that each bundle
// holds one copy of @opentelemetry/api and the package's real ESM build (the "module" condition).
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import webpack from 'webpack';

const run = promisify(execFile);
const here = (p) => new URL(p, import.meta.url).pathname;
const expected = readFileSync(here('expected.txt'), 'utf8');
let passed = 0;
let failed = 0;

function check(name, ok, detail = '') {
  if (ok) passed += 1;
  else failed += 1;
  console.log(`${ok ? 'ok' : 'not ok'} - ${name}${ok || !detail ? '' : `\n${detail}`}`);
}

async function runsAsExpected(name, file) {
  try {
    const { stdout } = await run(process.execPath, [file], { timeout: 30_000 });
    check(`${name} prints the quickstart and one shared context`, stdout === expected, stdout);
  } catch (error) {
    check(`${name} runs`, false, String(error));
  }
}

/** Which copies of the API and which build of this package a bundle's module list holds. */
function copiesIn(name, modules) {
  const api = new Set(modules.map((m) => /@opentelemetry\/api\/build\/([^/]+)\//.exec(m)?.[1]).filter(Boolean));
  const ours = new Set(modules.map((m) => /otel-contextvars\/dist\/([^/]+)\//.exec(m)?.[1]).filter(Boolean));
  check(`${name} holds one copy of @opentelemetry/api (${[...api].join(', ')})`, api.size === 1);
  check(
    `${name} holds the real ESM build of otel-contextvars only (${[...ours].join(', ')})`,
    ours.size === 1 && ours.has('module'),
  );
}

await runsAsExpected('node app.cjs', here('app.cjs'));
await runsAsExpected('node app.mjs', here('app.mjs'));
const { stdout: dual } = await run(process.execPath, [here('dual.mjs')]);
check(
  'node: import and require of the installed package are one instance',
  dual.trim() === 'import and require are one instance: true; require sees: set through import',
  dual,
);

const out = here('out/');
rmSync(out, { recursive: true, force: true });
mkdirSync(out);
const cases = [
  { entry: 'app.mjs', format: 'esm', ext: 'mjs' },
  { entry: 'app.mjs', format: 'cjs', ext: 'cjs' },
  { entry: 'app.cjs', format: 'esm', ext: 'mjs' },
  { entry: 'app.cjs', format: 'cjs', ext: 'cjs' },
];

for (const { entry, format, ext } of cases) {
  const name = `esbuild ${entry} -> ${format}`;
  const outfile = `${out}esbuild-${entry.replace('.', '-')}.${ext}`;
  // An ESM bundle of a CommonJS app (app.cjs) needs `require` for the app's own require of Node
  // built-ins; esbuild's documented answer is a banner that creates one. The ESM app gets none, so
  // the package's build must import built-ins statically.
  const banner =
    format === 'esm' && entry.endsWith('.cjs')
      ? { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" }
      : {};
  const result = await build({
    entryPoints: [here(entry)],
    outfile,
    bundle: true,
    platform: 'node',
    format,
    banner,
    metafile: true,
    logLevel: 'error',
  });
  copiesIn(name, Object.keys(result.metafile.inputs));
  await runsAsExpected(name, outfile);
}

for (const { entry, format, ext } of cases) {
  const name = `webpack ${entry} -> ${format}`;
  const filename = `webpack-${entry.replace('.', '-')}.${ext}`;
  const esm = format === 'esm';
  const stats = await promisify(webpack)({
    mode: 'production',
    target: 'node20',
    entry: here(entry),
    optimization: { minimize: false },
    experiments: esm ? { outputModule: true } : {},
    output: {
      path: out,
      filename,
      module: esm,
      chunkFormat: esm ? 'module' : 'commonjs',
      library: { type: esm ? 'module' : 'commonjs2' },
    },
  });
  const info = stats.toJson({ modules: true, errors: true, warnings: true });
  check(`${name} builds without errors`, !stats.hasErrors(), JSON.stringify(info.errors, null, 1));
  const modules = info.modules.flatMap((m) => [m.identifier, ...(m.modules ?? []).map((c) => c.identifier)]);
  copiesIn(name, modules);
  await runsAsExpected(name, `${out}${filename}`);
}

console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed === 0 ? 0 : 1;
