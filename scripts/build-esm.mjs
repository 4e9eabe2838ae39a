// Writes each ESM entry Node loads (the "import" condition) as a thin wrapper over the CommonJS
// build, so `import` and `require` of this package load one module instance (Node's recommended
// answer to the dual-package hazard): one set of classes, one context. Export names are read from
// the built CommonJS module. Bundlers get a real ESM build instead (scripts/build-module.mjs).
import { createRequire } from 'node:module';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { entries } from './entries.mjs';

const require = createRequire(import.meta.url);
for (const { name } of entries) {
  // Relative to the wrapper's own folder, so nested entries (src/a/b.ts) resolve too.
  const cjsPath = path.posix.relative(path.posix.dirname(`dist/esm/${name}`), `dist/cjs/${name}.js`);
  mkdirSync(new URL(`../dist/esm/${path.posix.dirname(name)}/`, import.meta.url), { recursive: true });
  const names = Object.keys(require(`../dist/cjs/${name}.js`))
    .filter((n) => n !== '__esModule')
    .sort();
  const js = [`import cjs from '${cjsPath}';`, ...names.map((n) => `export const ${n} = cjs.${n};`), ''].join('\n');
  // Type-only exports have no runtime name: read them from the CommonJS declarations.
  const cjsTypes = readFileSync(new URL(`../dist/cjs/${name}.d.ts`, import.meta.url), 'utf8');
  const typeNames = [...cjsTypes.matchAll(/export type \{([^}]*)\}/g)]
    .flatMap((m) =>
      m[1]
        .split(',')
        .map((n) => n.trim())
        .filter(Boolean),
    )
    .sort();
  const dts = [
    `export { ${names.join(', ')} } from '${cjsPath}';`,
    ...(typeNames.length > 0 ? [`export type { ${typeNames.join(', ')} } from '${cjsPath}';`] : []),
    '',
  ].join('\n');
  writeFileSync(new URL(`../dist/esm/${name}.mjs`, import.meta.url), js);
  writeFileSync(new URL(`../dist/esm/${name}.d.mts`, import.meta.url), dts);
  console.log(`dist/esm/${name}.mjs: ${names.length} exports`);
}
