// The engine under the public API (src/internal/engine/): which implementation runs on this Node
// line and flag, the start-up self-check and the engines taking over when parts of async_hooks are
// missing, and how deep scopes nest.
import {
  AsyncLocalStorage,
  AsyncResource,
  createHook,
  executionAsyncId,
  executionAsyncResource,
} from 'node:async_hooks';
import { ROOT_CONTEXT, createContextKey } from '@opentelemetry/api';
import { Context, ContextVar, ContextVarsContextManager, copyContext } from '../../src/index';
import { engine } from '../../src/internal/engine/index';
import { alsStore, createAlsEngine } from '../../src/internal/engine/als';
import { newHooksEngine } from '../../src/internal/engine/hooks';
import type { HooksEngine } from '../../src/internal/engine/hooks';
import { selfCheck } from '../../src/internal/engine/self-check';
import type { Frame } from '../../src/internal/engine/types';
import { runNode } from '../support/run-node';

const v = new ContextVar<number>('depth');
const manager = new ContextVarsContextManager();
const key = createContextKey('engine-test');
const DEPTH = 1_000;

const host = {
  AsyncResource,
  createHook,
  executionAsyncResource,
  executionAsyncId,
};

describe('start-up self-check', () => {
  test('passes for the async-hooks engine on this Node line and flag, with or without executionAsyncId', () => {
    expect(selfCheck(host, newHooksEngine)).toBeUndefined();
    expect(selfCheck({ ...host, executionAsyncId: undefined }, newHooksEngine)).toBeUndefined();
  });

  test('fails when executionAsyncId does not tell callbacks apart (what the read cache is keyed by)', () => {
    const constant = { ...host, executionAsyncId: () => 7 };
    expect(selfCheck(constant, newHooksEngine)).toBe(
      "a set in a nested callback of another resource was seen by the outer one's",
    );
  });

  test('fails when async hooks do not reach new resources (a runtime whose createHook is a stub)', () => {
    const inert = { ...host, createHook: () => ({ enable: () => inert, disable: () => inert }) } as never;
    expect(selfCheck(inert, newHooksEngine)).toBe('a resource created after a set did not inherit its frame');
  });

  test('fails, without throwing, when createHook or executionAsyncResource is missing or throws', () => {
    expect(selfCheck({ ...host, createHook: undefined }, newHooksEngine)).toMatch(/no createHook/);
    const throwing = {
      ...host,
      createHook: () => {
        throw new Error('createHook is not implemented');
      },
    } as never;
    expect(selfCheck(throwing, newHooksEngine)).toMatch(/threw Error: createHook is not implemented/);
    const empty = { ...host, executionAsyncResource: () => ({}), executionAsyncId: undefined } as never;
    expect(selfCheck(empty, newHooksEngine)).toBe('a frame set in a callback was not read back in it');
    // With the read cache, a set is read back from the cache; the stub fails a later step.
    const emptyCached = { ...host, executionAsyncResource: () => ({}) } as never;
    expect(selfCheck(emptyCached, newHooksEngine)).toEqual(expect.any(String));
  });

  test("fails for plain enterWith where it sticks to the resource (that engine's leak), passes where it does not", () => {
    const plain = (_host: unknown, first: Frame): HooksEngine => ({
      ...createAlsEngine(alsStore('fallback', AsyncLocalStorage, first)),
      seal() {
        /* nothing to seal */
      },
      dispose() {
        /* nothing to release */
      },
    });
    const failure = selfCheck(host, plain);
    if (engine.kind === 'async-context-frame') expect(failure).toBeUndefined();
    else expect(failure).toBe("a set was still seen by its resource's next callback");
  });
});

interface StubbedRun {
  kind: string;
  warnings: { name: string; code: string }[];
  syncRead: string;
  seen: string[];
  outside: { value?: string; error?: string; message?: string };
}

async function stubbed(stub: string): Promise<StubbedRun> {
  return JSON.parse(await runNode(['test/fixtures/engine-fallback.mjs'], { env: { ENGINE_STUB: stub } })) as StubbedRun;
}

const ALL_SEEN = ['outer', 'outer', 'outer', 'outer', 'outer', 'outer'];
const FALLBACK_WARNING = [{ name: 'ContextVarWarning', code: 'OTEL_CONTEXTVARS_ENGINE_FALLBACK' }];

// Other runtimes ship parts of node:async_hooks as stubs (workerd: createHook whose init never
// fires, executionAsyncResource returning {}, enterWith throwing; browsers: nothing). Each is
// recreated in a child process before the package loads: loading never throws, the next engine
// takes over, and one warning says so for two loaded copies.
describe('engine selection when node:async_hooks is partly missing', () => {
  test.each(['createHook-inert', 'createHook-missing', 'createHook-throws', 'executionAsyncResource-empty'])(
    'with %s, values are still seen after every async hop',
    async (stub) => {
      const out = await stubbed(stub);
      expect(out.seen).toEqual(ALL_SEEN);
      expect(out.outside).toEqual({ value: 'outside' });
      if (engine.kind === 'async-context-frame') {
        // AsyncContextFrame needs no hooks, so nothing is missing and nothing is warned about.
        expect(out).toMatchObject({ kind: 'async-context-frame', warnings: [] });
      } else {
        expect(out).toMatchObject({ kind: 'fallback', warnings: FALLBACK_WARNING });
      }
    },
  );

  test.each(['enterWith-throws', 'enterWith-missing'])(
    'with %s, the run-scoped engine holds values per scope and refuses a set outside any scope',
    async (stub) => {
      const out = await stubbed(stub);
      expect(out).toMatchObject({ kind: 'run-scoped', warnings: FALLBACK_WARNING, syncRead: 'outer' });
      expect(out.seen).toEqual(ALL_SEEN);
      expect(out.outside.error).toBe('RuntimeError');
      expect(out.outside.message).toMatch(/isolated/);
    },
  );

  test('with no AsyncLocalStorage, the synchronous engine holds values for the synchronous part of a scope', async () => {
    const out = await stubbed('no-async-local-storage');
    expect(out).toMatchObject({ kind: 'synchronous', warnings: FALLBACK_WARNING, syncRead: 'outer' });
    // Continuations run outside the scope, in the root frame; only the listener bound with the
    // manager's bind() carries its context with it.
    expect(out.seen).toEqual(['<unset>', '<unset>', '<unset>', '<unset>', 'outer', '<unset>']);
    expect(out.outside).toEqual({ value: 'outside' });
  });
});

// Nesting as deep as AsyncLocalStorage.run: each public scope opens and closes the engine's scope
// itself, one JS frame per level. Measured in a fresh process (the stack limit is per process).
describe('nesting depth', () => {
  test('every scoped API nests at least 90% as deep as AsyncLocalStorage.run, and the context is intact after', async () => {
    const depths = JSON.parse(await runNode(['test/fixtures/depth.cjs'])) as Record<string, number>;
    const alsDepth = depths['AsyncLocalStorage.run'];
    expect(alsDepth).toBeGreaterThan(1_000);
    for (const [name, depth] of Object.entries(depths)) {
      expect({ name, ratio: depth / alsDepth >= 0.9 }).toEqual({ name, ratio: true });
    }
  });

  const nestings: Record<string, (level: number, inner: () => number) => number> = {
    'ContextVar.run': (level, inner) => v.run(level, inner),
    'Context.run': (_level, inner) => copyContext().run(inner),
    'manager.with (a new context each level)': (level, inner) => manager.with(ROOT_CONTEXT.setValue(key, level), inner),
    'a bound function': (level, inner) => manager.bind(ROOT_CONTEXT.setValue(key, level), inner)(),
  };

  function nest(wrap: (level: number, inner: () => number) => number, depth: number, atBottom: () => number): number {
    const step = (level: number): number => (level === depth ? atBottom() : wrap(level, () => step(level + 1)));
    return step(0);
  }

  test.each(Object.keys(nestings))('%s nests 1,000 deep', (name) => {
    expect(nest(nestings[name], DEPTH, () => DEPTH)).toBe(DEPTH);
  });
});

describe('engine identity', () => {
  test('the Context a run enters is the one sets inside it are stored in, after it returns', () => {
    const ctx = new Context();
    ctx.run(() => {
      v.set(1);
      manager.with(ROOT_CONTEXT.setValue(key, 'inner'), () => v.set(2));
    });
    // The set inside `with` belonged to that scope; the Context keeps what its own scope set.
    expect(ctx.get(v)).toBe(1);
  });
});
