// The published package's builds and files: the bundlers' ESM build next to the CommonJS one,
// source maps that resolve, the licence. consumers/run.sh runs the packed package in real
// consumer projects (bundlers, TypeScript versions, Bun, Deno); this pins what dist/ must hold.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { ROOT, runNode } from '../support/run-node';

const run = promisify(execFile);
interface PackageJson {
  exports: Record<string, Record<string, { types: string; default: string }> | string>;
  repository: { url: string };
  bugs: { url: string };
  homepage: string;
}
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as PackageJson;
const rootExport = pkg.exports['.'] as Record<string, { types: string; default: string }>;

/** The files `npm pack` would publish (without running the build again). */
async function packedFiles(): Promise<string[]> {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const { stdout } = await run(npm, ['pack', '--dry-run', '--ignore-scripts', '--json'], { cwd: ROOT });
  return (JSON.parse(stdout) as { files: { path: string }[] }[])[0].files.map((f) => f.path);
}

describe('builds', () => {
  test("the bundlers' ESM build and the CommonJS build in one process share one context", async () => {
    const out = JSON.parse(await runNode(['test/fixtures/module-and-cjs.mjs'])) as unknown;
    expect(out).toEqual({
      moduleSeesCjsVar: ['fromCjs', 'fromModule'],
      cjsSeesModuleVar: ['fromCjs', 'fromModule'],
      sameActive: true,
      isolatedAcross: 'inner',
      afterIsolated: 'set through module',
      cjsContextGetsModuleVar: 'set through module',
      moduleContextHasCjsVar: true,
      equalAcross: true,
      sameClasses: false,
      outside: ['unset', 'unset'],
      ctxHolds: ['fromCjs', 'fromModule'],
    });
  });

  test('bundlers get the real ESM build first, Node gets the wrapper through import and CommonJS through require', () => {
    for (const [subpath, target] of Object.entries(pkg.exports)) {
      if (typeof target === 'string') continue;
      expect([subpath, Object.keys(target as object)]).toEqual([subpath, ['module', 'import', 'require']]);
    }
    const moduleBuild = readFileSync(path.join(ROOT, rootExport.module.default), 'utf8');
    // No Node built-in at the top level (a browser or worker bundle could not resolve it):
    // node:async_hooks is looked up when the package loads.
    expect(moduleBuild).not.toMatch(/^import [^;]* from "node:async_hooks"/m);
    expect(moduleBuild).toMatch(/from "@opentelemetry\/api";$/m);
    expect(moduleBuild).not.toMatch(/\brequire\(/);
    expect(readFileSync(path.join(ROOT, rootExport.import.default), 'utf8')).toMatch(
      /^import cjs from '\.\.\/cjs\/index\.js';$/m,
    );
  });

  test('the declarations compile without MapIterator, which TypeScript before 5.6 lacks', () => {
    const dts = readFileSync(path.join(ROOT, 'dist/cjs/context.d.ts'), 'utf8');
    expect(dts).toMatch(/^type MapIterator<T> = ReturnType<Map<never, T>\['values'\]>;$/m);
    expect(dts.trimEnd().endsWith('export {};')).toBe(true);
  });
});

describe('published files', () => {
  test('every shipped source map names shipped sources and carries their text', async () => {
    const files = await packedFiles();
    const maps = files.filter((f) => f.endsWith('.map'));
    expect(maps.length).toBeGreaterThan(10);
    for (const map of maps) {
      const { sources, sourcesContent } = JSON.parse(readFileSync(path.join(ROOT, map), 'utf8')) as {
        sources: string[];
        sourcesContent?: string[];
      };
      sources.forEach((source, i) => {
        const shipped = path.posix.join(path.posix.dirname(map), source);
        expect([map, source, files.includes(shipped)]).toEqual([map, source, true]);
        expect([map, source, sourcesContent?.[i] === readFileSync(path.join(ROOT, shipped), 'utf8')]).toEqual([
          map,
          source,
          true,
        ]);
      });
    }
  });

  test('with --enable-source-maps a stack trace names the shipped TypeScript source', async () => {
    const script = "try { require('otel-contextvars').copyContext().get(1) } catch (e) { console.log(e.stack) }";
    const stack = await runNode(['--enable-source-maps', '-e', script]);
    const frame = /\((\/[^)]*\/src\/context\.ts):\d+:\d+\)/.exec(stack);
    expect(frame).not.toBeNull();
    expect(existsSync(frame![1])).toBe(true);
  });

  test('the package ships the Apache-2.0 LICENSE and names its repository, homepage and issue tracker', async () => {
    const files = await packedFiles();
    expect(files).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'package.json']));
    const license = readFileSync(path.join(ROOT, 'LICENSE'), 'utf8');
    expect(license).toMatch(/^\s+Apache License\n\s+Version 2\.0, January 2004\n/);
    expect(license).toContain('END OF TERMS AND CONDITIONS');
    expect(pkg).toMatchObject({ license: 'Apache-2.0', type: 'commonjs' });
    expect(pkg.repository.url).toMatch(/^git\+https:\/\/github\.com\//);
    expect(pkg.bugs.url).toMatch(/\/issues$/);
    expect(pkg.homepage).toMatch(/^https:\/\//);
  });
});
