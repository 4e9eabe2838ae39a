// The esbuild options every bundle of the package shares (scripts/build-cjs.mjs for Node's
// CommonJS build, scripts/build-module.mjs for the bundlers' ES module builds).
import { entries } from './entries.mjs';

export const bundleOptions = {
  entryPoints: Object.fromEntries(entries.map(({ name }) => [name, `src/${name}.ts`])),
  bundle: true,
  platform: 'node',
  target: 'es2022',
  // @opentelemetry/api stays an import: the app's one copy of the API is shared.
  packages: 'external',
  // A class that names itself in its body is emitted as `var C = class _C`; without keepNames its
  // `name` (stack traces, inspect output) would be `_C`.
  keepNames: true,
  // Source maps carry the sources (also shipped in src/), so stack traces and debuggers resolve.
  sourcemap: true,
  sourcesContent: true,
  logLevel: 'warning',
  metafile: true,
};
