// The package as users load it: the built entry points, both module systems, and the examples.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ROOT, runNode } from '../support/run-node';

describe('loading', () => {
  test('import and require in one process share one context and one set of classes', async () => {
    const out = await runNode(['test/fixtures/dual-package.mjs']);
    expect(JSON.parse(out)).toEqual({
      sameClasses: true,
      cjsReadsEsmVar: 'set through import',
      esmReadsCjsVar: 'set through require',
      sameActive: true,
      cjsCurrentIsEsmCurrent: true,
    });
  });

  test('every public name is exported from the package root, for require and import', async () => {
    const names = [
      'ContextVar',
      'Token',
      'Context',
      'copyContext',
      'currentContext',
      'LookupError',
      'ValueError',
      'RuntimeError',
      'ContextVarsContextManager',
      'ContextVarSpanProcessor',
      'ContextVarPropagator',
      'logFields',
    ];
    const script = `import * as esm from 'otel-contextvars';
      import { createRequire } from 'node:module';
      const cjs = createRequire(import.meta.url)('otel-contextvars');
      console.log(JSON.stringify(${JSON.stringify(names)}.map((n) => [n, typeof esm[n], typeof cjs[n]])));`;
    const out = await runNode(['--input-type=module', '-e', script]);
    for (const [name, esmType, cjsType] of JSON.parse(out) as string[][]) {
      expect([name, esmType]).toEqual([name, 'function']);
      expect([name, cjsType]).toEqual([name, 'function']);
    }
  });

  test('an ESM TypeScript consumer type-checks against the import types and runs', async () => {
    const out = await runNode(['--import', 'tsx', 'test/fixtures/esm-consumer.mts']);
    expect(JSON.parse(out)).toEqual({ inCopy: 2, after: 1, missing: '<Token.MISSING>' });
  });

  test('with @opentelemetry/api 1.10 installed, context.with and context.attach go through our manager', async () => {
    const out = await runNode(['test/fixtures/api-1.10.cjs']);
    expect(JSON.parse(out)).toEqual({
      api: '1.10',
      seenInWith: 'in with',
      seenAttached: 'attached',
      varInsideAttach: 'unset',
      afterDispose: 'in with',
    });
  });

  test('package.json declares the api as a peer dependency and both entry points with types', async () => {
    const pkg = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')) as {
      peerDependencies: Record<string, string>;
      dependencies?: Record<string, string>;
      exports: Record<string, Record<string, { types?: string }>>;
      sideEffects: boolean;
    };
    expect(pkg.peerDependencies['@opentelemetry/api']).toBe('>=1.9.0 <1.11.0');
    expect(pkg.dependencies?.['@opentelemetry/api']).toBeUndefined();
    expect(pkg.exports['.'].import.types).toBeDefined();
    expect(pkg.exports['.'].require.types).toBeDefined();
    expect(pkg.sideEffects).toBe(false);
  });
});

describe('examples', () => {
  test("the quickstart prints Python's six lines in Python's order", async () => {
    const out = await runNode(['--import', 'tsx', 'examples/quickstart.ts']);
    expect(out.trimEnd().split('\n')).toEqual([
      'Before tasks: Guest',
      'Task for Alice: Currently handled by Alice',
      'Task for Bob: Currently handled by Bob',
      'Task for Alice: Still handled by Alice',
      'Task for Bob: Still handled by Bob',
      'After tasks: Guest',
    ]);
  });
});
