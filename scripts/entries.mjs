// The package's entry points, read from package.json "exports" so that adding a subpath export is
// one entry there: `"./x": { "module": ..., "import": ..., "require": ... }` pointing at
// dist/module/x.mjs, dist/esm/x.mjs and dist/cjs/x.js makes the builds below emit src/x.ts.
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

/** [{ subpath: '.', name: 'index' }, ...]: one per export whose require target is dist/cjs/<name>.js. */
export const entries = Object.entries(pkg.exports)
  .filter(([, target]) => typeof target === 'object' && target.require)
  .map(([subpath, target]) => {
    const m = /^\.\/dist\/cjs\/(.+)\.js$/.exec(target.require.default);
    if (!m) throw new Error(`exports["${subpath}"].require.default must be ./dist/cjs/<name>.js`);
    return { subpath, name: m[1] };
  });
