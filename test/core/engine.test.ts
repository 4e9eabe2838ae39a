// The engine under the public API (src/internal/engine/): which implementation runs on this Node
// line and flag, the start-up self-check and its fallback, and the cost of nesting (SPEC 3.7-3.9).
import { AsyncLocalStorage } from 'node:async_hooks';
import { ROOT_CONTEXT, createContextKey } from '@opentelemetry/api';
import { Context, ContextVar, ContextVarsContextManager, copyContext } from '../../src/index';
import { engine } from '../../src/internal/engine/index';
import { createAlsEngine } from '../../src/internal/engine/als';
import { createHooksEngine } from '../../src/internal/engine/hooks';
import type { HooksEngine } from '../../src/internal/engine/hooks';
import { selfCheck } from '../../src/internal/engine/self-check';
import type { Frame } from '../../src/internal/engine/types';
import { runNode } from '../support/run-node';

const v = new ContextVar<number>('depth');
const manager = new ContextVarsContextManager();
const key = createContextKey('engine-test');
const DEPTH = 1_000;

describe('start-up self-check', () => {
  test('passes for the async-hooks engine on this Node line and flag', () => {
    expect(selfCheck(createHooksEngine)).toBeUndefined();
  });

  test('fails when async hooks do not reach new resources (a runtime whose createHook is a stub)', () => {
    const withoutHooks = (root: Frame): HooksEngine => {
      const made = createHooksEngine(root);
      made.dispose();
      return made;
    };
    expect(selfCheck(withoutHooks)).toBe('a resource created after an enter did not inherit its frame');
  });

  test("fails for plain enterWith where it sticks to the resource (that engine's leak), passes where it does not", () => {
    const plain = (root: Frame): HooksEngine => ({
      ...createAlsEngine('fallback', root),
      seal() {
        /* nothing to seal */
      },
      dispose() {
        /* nothing to release */
      },
    });
    const failure = selfCheck(plain);
    if (engine.kind === 'async-context-frame') expect(failure).toBeUndefined();
    else expect(failure).toBe("an enter was still seen by its resource's next callback");
  });

  test('made to fail: the fallback runs, values are still seen after every async hop, one warning for two loaded copies', async () => {
    const out = JSON.parse(
      await runNode(['test/fixtures/engine-fallback.mjs'], { env: { OTEL_CONTEXTVARS_SELF_CHECK: 'fail' } }),
    ) as Record<string, unknown>;
    expect(out.seen).toEqual(['outer', 'outer', 'outer', 'outer', 'outer', 'outer']);
    if (engine.kind === 'async-context-frame') {
      // AsyncContextFrame needs no help, so there is nothing to check and nothing to warn about.
      expect(out).toMatchObject({ kind: 'async-context-frame', warnings: [] });
    } else {
      expect(out).toMatchObject({
        kind: 'fallback',
        warnings: [{ name: 'ContextVarWarning', code: 'OTEL_CONTEXTVARS_ENGINE_FALLBACK' }],
      });
    }
  });
});

// Node's own test-async-local-storage-deep-stack nests 1,000 runs; each scope of ours must
// survive that, at most two JS frames per level beyond AsyncLocalStorage.run's own.
describe('nesting depth', () => {
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

  function stackDepth(): number {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = Infinity;
    try {
      return new Error().stack!.split('\n').length;
    } finally {
      Error.stackTraceLimit = limit;
    }
  }

  test.each(Object.keys(nestings))('%s nests 1,000 deep', (name) => {
    expect(nest(nestings[name], DEPTH, () => DEPTH)).toBe(DEPTH);
  });

  test.each(Object.keys(nestings))('%s costs at most two frames per level beyond AsyncLocalStorage.run', (name) => {
    const als = new AsyncLocalStorage<number>();
    const raw = (level: number, inner: () => number) => als.run(level, inner);
    const perLevel = (wrap: typeof raw) => (nest(wrap, 20, stackDepth) - nest(wrap, 10, stackDepth)) / 10;
    const ours = perLevel(nestings[name]);
    const theirs = perLevel(raw);
    expect(ours - theirs).toBeLessThanOrEqual(2);
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
