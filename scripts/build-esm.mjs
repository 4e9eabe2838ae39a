// Writes the ESM entry as a thin wrapper over the CommonJS build, so `import` and `require` of
// this package load one module instance (Node's recommended answer to the dual-package hazard):
// one set of classes, one context. Export names are read from the built CommonJS module.
import { createRequire } from 'node:module';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';

const require = createRequire(import.meta.url);
const names = Object.keys(require('../dist/cjs/index.js')).filter((n) => n !== '__esModule').sort();
mkdirSync(new URL('../dist/esm/', import.meta.url), { recursive: true });
const js = [
  "import cjs from '../cjs/index.js';",
  ...names.map((n) => `export const ${n} = cjs.${n};`),
  '',
].join('\n');
// Type-only exports have no runtime name: read them from the CommonJS declarations.
const cjsTypes = readFileSync(new URL('../dist/cjs/index.d.ts', import.meta.url), 'utf8');
const typeNames = [...cjsTypes.matchAll(/export type \{([^}]*)\}/g)]
  .flatMap((m) => m[1].split(',').map((n) => n.trim()).filter(Boolean)).sort();
const dts = [
  `export { ${names.join(', ')} } from '../cjs/index.js';`,
  `export type { ${typeNames.join(', ')} } from '../cjs/index.js';`,
  '',
].join('\n');
writeFileSync(new URL('../dist/esm/index.mjs', import.meta.url), js);
writeFileSync(new URL('../dist/esm/index.d.mts', import.meta.url), dts);
console.log(`dist/esm: ${names.length} exports`);
