// Writes the real ESM build that bundlers load (the "module" condition of package.json, which
// esbuild and webpack honour and Node ignores): static `import`s of `node:async_hooks` and
// `@opentelemetry/api`, so an ESM bundle needs no dynamic require and shares the user's one copy
// of the API. All entries are built together with code splitting, so modules two entries use are
// one shared chunk, never two copies. State that copies must share already lives on globalThis
// (src/internal/shared.ts), so this build and the CommonJS one in one process share one context.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { entries } from './entries.mjs';

const outdir = new URL('../dist/module/', import.meta.url).pathname;
rmSync(outdir, { recursive: true, force: true });
const result = await build({
  entryPoints: Object.fromEntries(entries.map(({ name }) => [name, `src/${name}.ts`])),
  outdir,
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'es2022',
  packages: 'external',
  // A class that names itself in its body is emitted as `var C = class _C`; without keepNames its
  // `name` (stack traces, inspect output) would be `_C`.
  keepNames: true,
  // Source maps carry the sources (also shipped in src/), so stack traces and debuggers resolve.
  sourcemap: true,
  sourcesContent: true,
  logLevel: 'warning',
  metafile: true,
});
console.log(`dist/module: ${Object.keys(result.metafile.outputs).filter((f) => f.endsWith('.mjs')).length} files`);
