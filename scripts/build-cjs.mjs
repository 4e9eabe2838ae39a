// Writes the CommonJS build Node loads (the "require" condition, and through dist/esm the "import"
// one) as one file per entry. Node resolves, reads and compiles each module of a package on its own,
// so a build of one file per source module (about forty) costs a serverless cold start several
// milliseconds more than OpenTelemetry's stock context manager; bundled, the package loads as one
// module. `tsc` still writes the declarations beside it (tsconfig.build.json), one per source
// module, so the types are what the sources say. CommonJS has no code splitting: a second
// entry would carry its own copy of the modules it shares with the first, which is safe only
// because state that copies share lives on globalThis (src/internal/shared.ts).
import { build } from 'esbuild';
import { bundleOptions } from './bundle-options.mjs';

const outdir = new URL('../dist/cjs/', import.meta.url).pathname;
const result = await build({ ...bundleOptions, outdir, format: 'cjs' });

const outputs = Object.keys(result.metafile.outputs).filter((f) => f.endsWith('.js'));
const inputs = Object.keys(result.metafile.inputs).length;
console.log(`dist/cjs: ${outputs.length} file(s) from ${inputs} source modules`);
