// Two copies of the package in one process share one context, and each runs its own code on it.
// (a) `import` and `require` of this package: the ESM entry wraps the CommonJS build, so they are
//     one instance (fixtures/esm-and-cjs.mjs).
// (b) two versions: the test copies the build into a temp dir's node_modules under another
//     version (package.json and the PACKAGE_VERSION constant in the bundled dist/cjs/index.js),
//     packs it with `npm pack` and unpacks it into a temp node_modules; and
//     fixtures/two-versions.cjs loads both, in both orders, with a diag logger installed first.
import { cp, mkdtemp, readFile, rm, symlink, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ROOT, runNode } from '../support/run-node';

async function run(command: string, args: string[], cwd: string): Promise<string> {
  return (await promisify(execFile)(command, args, { cwd })).stdout;
}
import { expectBuiltPackage } from '../support/built';

beforeAll(expectBuiltPackage);

describe('ESM import and CJS require in one process', () => {
  test('are one instance: every export identical, and vars, Contexts, managers and tokens work across them', async () => {
    const out = JSON.parse(await runNode(['test/fixtures/esm-and-cjs.mjs'])) as Record<string, unknown>;
    expect(out.exports).toBeGreaterThanOrEqual(12);
    expect(out.differing).toEqual([]);
    expect(out.missingInEsm).toEqual([]);
    expect(out).toMatchObject({
      requireReadsImportVar: 'set through import',
      importReadsRequireVar: 'set through require',
      sameActive: true,
      cjsWithEsmVar: 'in cjs with',
      esmBindCjsVar: 'in esm bind',
      esmRunCjsVar: 'set through require',
      afterReset: 'unset',
    });
  });
});

describe('two versions of the package in one process', () => {
  const OTHER_VERSION = '0.99.0';
  let tmp: string;
  let copyDir: string;
  let ownVersion: string;

  beforeAll(async () => {
    ownVersion = (JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    tmp = await mkdtemp(path.join(os.tmpdir(), 'otel-contextvars-two-versions-'));
    // The other version as users get one: a package directory under another version number,
    // packed with `npm pack` and unpacked into node_modules, as npm installs it.
    const staging = path.join(tmp, 'staging');
    await mkdir(staging, { recursive: true });
    for (const entry of ['dist', 'src', 'README.md', 'LICENSE'])
      await cp(path.join(ROOT, entry), path.join(staging, entry), { recursive: true });
    const pkg = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;
    await writeFile(
      path.join(staging, 'package.json'),
      JSON.stringify({ ...pkg, version: OTHER_VERSION, scripts: {} }),
    );
    const versionJs = path.join(staging, 'dist/cjs/index.js');
    const source = await readFile(versionJs, 'utf8');
    const patched = source.replace(/(PACKAGE_VERSION = )(['"])[^'"]*\2/, `$1'${OTHER_VERSION}'`);
    // Without the patch both copies would claim one version and the test would prove less.
    expect(patched).not.toBe(source);
    // The copy counts the reads its own trie code makes, so the fixture can tell whose code read.
    const counted = patched.replace(
      /function readVarIn\(ctx, id\) \{/,
      '$&\n  globalThis.__copyTrieReads = (globalThis.__copyTrieReads ?? 0) + 1;',
    );
    expect(counted).not.toBe(patched);
    // And the reads of its engine code (each engine kind has a current(); one of them runs here).
    const engineCounted = counted.replace(
      /function current\(\) \{/g,
      '$&\n    globalThis.__copyEngineReads = (globalThis.__copyEngineReads ?? 0) + 1;',
    );
    expect(engineCounted).not.toBe(counted);
    await writeFile(versionJs, engineCounted);
    const packed = (await run('npm', ['pack', '--silent', '--pack-destination', tmp], staging))
      .trim()
      .split('\n')
      .pop()!;
    copyDir = path.join(tmp, 'node_modules', 'otel-contextvars');
    await mkdir(copyDir, { recursive: true });
    await run('tar', ['-xzf', path.join(tmp, packed), '-C', copyDir, '--strip-components=1'], tmp);
    // The copy resolves @opentelemetry/api from its own node_modules: the project's, as one
    // installation would share it (Node follows the link to the same module).
    await symlink(
      path.join(ROOT, 'node_modules', '@opentelemetry'),
      path.join(tmp, 'node_modules', '@opentelemetry'),
      'dir',
    );
  });

  afterAll(async () => {
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  test.each(['old-first', 'new-first'])(
    'loaded %s: one shared context, and the meeting is reported through diag',
    async (order) => {
      const { seen, diagLines } = JSON.parse(await runNode(['test/fixtures/two-versions.cjs', copyDir, order])) as {
        seen: unknown;
        diagLines: string[];
      };
      expect(seen).toEqual({
        twoCopies: true,
        sameMissing: true,
        bActiveHasA: 'a',
        sameActive: true,
        aInsideBWith: 'b-with',
        aInsideBBind: 'a',
        aInsideBVarRun: ['a', 'b-run'],
        bSnapshotSeenThroughA: 'b',
        aSnapshotSeenThroughB: 'a',
        mapping: {
          aGetsB: 'b',
          bGetsA: 'a',
          aHasB: true,
          bHasA: true,
          equalBothWays: [true, true],
          aListsBoth: ['fromA', 'fromB'],
          bEntries: { fromA: 'a', fromB: 'b' },
          currentIsOneObject: true,
        },
        tokens: { inB: 'b2', afterReset: 'b', usedTwice: 'RuntimeError', missingAcross: 'b' },
        unequalAfterSet: false,
        nothingLeaked: ['unset', 'unset'],
        // A var of each copy read from a context copy A made: copy B's own readVarIn ran once
        // (for its var; A's var reads with A's code), whichever copy loaded first.
        ownTrieCode: { valuesThroughB: ['b in A', 'a'], copyReads: 1 },
        // One engine state, each copy's get() through its own engine code.
        ownEngineCode: { byA: 0, byB: 1 },
        apiWithA: 'api',
        apiActiveHasA: 'set by A',
      });
      const [first, second] = order === 'old-first' ? [ownVersion, OTHER_VERSION] : [OTHER_VERSION, ownVersion];
      // One message, naming both versions (and nothing else: no split warning, since each copy
      // recognises the other's manager).
      expect([...new Set(diagLines)]).toEqual([
        expect.stringMatching(
          new RegExp(`^warn: otel-contextvars ${second} found ${first} already loaded; both share one context`),
        ),
      ]);
    },
  );
});
