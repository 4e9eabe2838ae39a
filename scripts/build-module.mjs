// Writes the real ESM builds that bundlers load (package.json "exports"):
// - dist/module: the "module", "worker", "edge-light" and "browser" conditions (esbuild, webpack,
//   Next.js edge, browser bundles; Node ignores them). No static import of a Node built-in, so a
//   browser bundle resolves; node:async_hooks is looked up at run time (src/internal/engine/host.ts).
// - dist/workerd: the "workerd" condition (wrangler). The same modules, except that each
//   `x.ts` with a sibling `x.workerd.ts` is replaced by it: there, node:async_hooks is imported
//   statically, as workerd with nodejs_als alone offers no run-time lookup.
// `@opentelemetry/api` stays a static import, so a bundle shares the user's one copy of the API.
// All entries are built together with code splitting, so modules two entries use are one shared
// chunk, never two copies. State that copies must share lives on globalThis (src/internal/shared.ts),
// so these builds and the CommonJS one in one process share one context.
import { build } from 'esbuild';
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { bundleOptions } from './bundle-options.mjs';

/** An esbuild plugin that resolves a relative import of `x` to `x.<variant>.ts` when that file exists. */
function variantFiles(variant) {
  return {
    name: `${variant}-variant-files`,
    setup(b) {
      b.onResolve({ filter: /^\.\.?\// }, ({ path: spec, resolveDir }) => {
        const candidate = path.join(resolveDir, `${spec}.${variant}.ts`);
        return existsSync(candidate) ? { path: candidate } : undefined;
      });
    },
  };
}

for (const variant of ['module', 'workerd']) {
  const outdir = new URL(`../dist/${variant}/`, import.meta.url).pathname;
  rmSync(outdir, { recursive: true, force: true });
  const result = await build({
    ...bundleOptions,
    outdir,
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]',
    splitting: true,
    format: 'esm',
    plugins: variant === 'module' ? [] : [variantFiles(variant)],
  });
  const files = Object.keys(result.metafile.outputs).filter((f) => f.endsWith('.mjs'));
  console.log(`dist/${variant}: ${files.length} files`);
}
