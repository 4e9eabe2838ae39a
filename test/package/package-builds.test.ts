// The published package's builds and files: the bundlers' ESM build next to the CommonJS one,
// source maps that resolve, the licence. consumers/run.sh runs the packed package in real
// consumer projects (bundlers, TypeScript versions, Bun, Deno); this pins what dist/ must hold.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
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
/** Conditions set by wrangler (workerd, worker, browser), Next.js edge (edge-light) and browser bundles. */
const EDGE_CONDITIONS = ['workerd', 'worker', 'edge-light', 'browser'];

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
      expect([subpath, Object.keys(target)]).toEqual([subpath, [...EDGE_CONDITIONS, 'module', 'import', 'require']]);
    }
    const moduleBuild = readFileSync(path.join(ROOT, rootExport.module.default), 'utf8');
    expect(moduleBuild).toMatch(/from "@opentelemetry\/api";$/m);
    expect(moduleBuild).not.toMatch(/\brequire\(/);
    expect(readFileSync(path.join(ROOT, rootExport.import.default), 'utf8')).toMatch(
      /^import cjs from '\.\.\/cjs\/index\.js';$/m,
    );
  });

  test('require loads one JavaScript file of the package, the one import also reaches, and its classes keep their names', async () => {
    // Each module Node loads is resolved, read and compiled on its own: one file is the cold start.
    const script = `
      const esm = await import('otel-contextvars');
      const cjs = require('otel-contextvars');
      const loaded = Object.keys(require.cache).filter((f) => f.startsWith(process.cwd() + '/dist/'));
      const renamed = Object.entries(cjs).filter(([k, v]) => typeof v === 'function' && /^[A-Z]/.test(k) && v.name !== k);
      console.log(JSON.stringify({ loaded: loaded.map((f) => f.slice(process.cwd().length + 1)), renamed, one: esm.ContextVar === cjs.ContextVar }));`;
    const out = JSON.parse(await runNode(['--input-type=commonjs', '-e', `(async () => {${script}})()`])) as unknown;
    expect(out).toEqual({ loaded: ['dist/cjs/index.js'], renamed: [], one: true });
  });

  test("the bundlers' ESM build's exported classes keep their names", async () => {
    const script = `import * as m from './dist/module/index.mjs';
      console.log(JSON.stringify(Object.entries(m).filter(([k, v]) => typeof v === 'function' && /^[A-Z]/.test(k) && v.name !== k)));`;
    expect(JSON.parse(await runNode(['--input-type=module', '-e', script]))).toEqual([]);
  });

  test("worker, edge and browser bundlers get the ES module build; wrangler's workerd condition its workerd variant", () => {
    for (const [subpath, target] of Object.entries(pkg.exports)) {
      if (typeof target === 'string') continue;
      for (const condition of ['worker', 'edge-light', 'browser']) {
        expect([subpath, condition, target[condition]]).toEqual([subpath, condition, target.module]);
      }
      expect([subpath, target.workerd]).toEqual([
        subpath,
        { types: target.module.types, default: target.module.default.replace('/dist/module/', '/dist/workerd/') },
      ]);
    }
  });

  /** The Node built-ins each file of a bundlers' build imports statically or dynamically. */
  function builtinImports(build: string): Record<string, string[]> {
    const dir = path.join(ROOT, 'dist', build);
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.mjs'));
    expect(files.length).toBeGreaterThan(0);
    const found = /\b(?:from|import)\s*\(?\s*["']((?:node:)?[\w/]+)["']/g;
    return Object.fromEntries(
      files.map((file) => {
        const specifiers = [...readFileSync(path.join(dir, file), 'utf8').matchAll(found)].map((m) => m[1]);
        return [file, specifiers.filter((s) => s !== '@opentelemetry/api' && !s.startsWith('.'))];
      }),
    );
  }

  test('the ES module build imports no Node built-in, which browsers and workerd without nodejs_compat lack', () => {
    for (const [file, builtins] of Object.entries(builtinImports('module')))
      expect([file, builtins]).toEqual([file, []]);
  });

  test("the workerd build imports node:async_hooks, which workerd's nodejs_als and nodejs_compat provide, and nothing else of Node", () => {
    const imports = Object.values(builtinImports('workerd')).flat();
    expect(imports).toEqual(['node:async_hooks']);
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
    expect(maps).toEqual(expect.arrayContaining(['dist/cjs/index.js.map', 'dist/module/index.mjs.map']));
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
