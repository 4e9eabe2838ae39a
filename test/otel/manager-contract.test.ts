// One contract suite, run against every ContextManager implementation: ours, and OpenTelemetry's
// own AsyncLocalStorageContextManager from @opentelemetry/context-async-hooks 2.x (and 3.x where
// the Node line supports it). Behaviours are those the stock manager's tests pin; where ours
// differs on purpose (disable) the difference is pinned per manager below.
import { EventEmitter } from 'node:events';
import { ROOT_CONTEXT, createContextKey } from '@opentelemetry/api';
import type { Context as OtelContext, ContextManager } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager as Stock2 } from '@opentelemetry/context-async-hooks';
import { ContextVar, ContextVarsContextManager } from '../../src/index';

type AttachingManager = ContextManager & { attach(ctx: OtelContext): { dispose(): void } };

const [major, minor] = process.versions.node.split('.').map(Number) as [number, number];
const stock3Runs = major > 22 || (major === 22 && minor >= 15);

const MANAGERS: [string, () => AttachingManager][] = [
  ['ContextVarsContextManager', () => new ContextVarsContextManager()],
  ['stock AsyncLocalStorageContextManager 2.x', () => new Stock2()],
];
if (stock3Runs) {
  // 3.x needs Node 22.15+ (its engines field); loaded only where it runs.
  const { AsyncLocalStorageContextManager: Stock3 } =
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('@opentelemetry/context-async-hooks-3') as typeof import('@opentelemetry/context-async-hooks-3');
  MANAGERS.push(['stock AsyncLocalStorageContextManager 3.x', () => new Stock3()]);
}

const key1 = createContextKey('contract key 1');
const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 1));

describe.each(MANAGERS)('%s', (_name, make) => {
  let manager: AttachingManager;
  beforeEach(() => {
    manager = make().enable();
  });
  afterEach(() => {
    manager.disable();
  });

  describe('active', () => {
    test('is ROOT_CONTEXT outside any with', () => {
      expect(manager.active()).toBe(ROOT_CONTEXT);
    });
  });

  describe('with', () => {
    test('runs the callback and returns its value', () => {
      expect(manager.with(ROOT_CONTEXT, () => 42)).toBe(42);
    });

    test('makes the given context exactly the active one inside, and restores it after', () => {
      const ctx = ROOT_CONTEXT.setValue(key1, 'a');
      manager.with(ctx, () => expect(manager.active()).toBe(ctx));
      expect(manager.active()).toBe(ROOT_CONTEXT);
    });

    test('forwards thisArg and arguments', () => {
      const self = { n: 1 };
      const result = manager.with(
        ROOT_CONTEXT,
        function (this: typeof self, a: number, b: number) {
          return this.n + a + b;
        },
        self,
        2,
        3,
      );
      expect(result).toBe(6);
    });

    test('rethrows the error of the callback and restores the context', () => {
      const ctx = ROOT_CONTEXT.setValue(key1, 'a');
      expect(() =>
        manager.with(ctx, () => {
          throw new RangeError('boom');
        }),
      ).toThrow(RangeError);
      expect(manager.active()).toBe(ROOT_CONTEXT);
    });

    test('nested calls restore each outer context', () => {
      const outer = ROOT_CONTEXT.setValue(key1, 'outer');
      const inner = ROOT_CONTEXT.setValue(key1, 'inner');
      manager.with(outer, () => {
        manager.with(inner, () => expect(manager.active()).toBe(inner));
        expect(manager.active()).toBe(outer);
      });
    });

    test('the context follows timers and promises started inside', async () => {
      const ctx = ROOT_CONTEXT.setValue(key1, 'async');
      const seen = await manager.with(ctx, async () => {
        await tick();
        const afterAwait = manager.active();
        const inTimer = await new Promise<OtelContext>((resolve) => setTimeout(() => resolve(manager.active()), 1));
        return [afterAwait, inTimer];
      });
      expect(seen).toEqual([ctx, ctx]);
      expect(manager.active()).toBe(ROOT_CONTEXT);
    });

    test('concurrent with calls do not see each other', async () => {
      const a = ROOT_CONTEXT.setValue(key1, 'a');
      const b = ROOT_CONTEXT.setValue(key1, 'b');
      const run = (ctx: OtelContext) =>
        manager.with(ctx, async () => {
          await tick();
          return manager.active().getValue(key1);
        });
      expect(await Promise.all([run(a), run(b), run(a)])).toEqual(['a', 'b', 'a']);
    });
  });

  describe('bind(function)', () => {
    test('returns non-function, non-emitter targets unchanged', () => {
      const target = { a: 1 };
      expect(manager.bind(ROOT_CONTEXT, target)).toBe(target);
    });

    test('runs the function in the bound context wherever it is called', async () => {
      const ctx = ROOT_CONTEXT.setValue(key1, 'bound');
      const fn = manager.bind(ctx, () => manager.active());
      expect(fn()).toBe(ctx);
      const later = await new Promise<OtelContext>((resolve) => setTimeout(() => resolve(fn()), 1));
      expect(later).toBe(ctx);
      expect(manager.with(ROOT_CONTEXT.setValue(key1, 'other'), fn)).toBe(ctx);
    });

    test('keeps this, arguments, return value and length', () => {
      const ctx = ROOT_CONTEXT.setValue(key1, 'bound');
      const fn = manager.bind(ctx, function (this: { k: number }, a: number, b: number) {
        return this.k + a + b;
      });
      expect(fn.call({ k: 1 }, 2, 3)).toBe(6);
      expect(fn.length).toBe(2);
    });
  });

  describe('bind(EventEmitter)', () => {
    test('returns the same emitter, patched only once', () => {
      const ee = new EventEmitter();
      const ctx = ROOT_CONTEXT.setValue(key1, 'ee');
      expect(manager.bind(ctx, ee)).toBe(ee);
      expect(manager.bind(ROOT_CONTEXT, ee)).toBe(ee);
      let seen: OtelContext | undefined;
      ee.on('x', () => (seen = manager.active()));
      ee.emit('x');
      expect(seen).toBe(ctx);
    });

    test('listeners added with on, once and prependListener run in the bound context', () => {
      const ee = new EventEmitter();
      const ctx = ROOT_CONTEXT.setValue(key1, 'ee');
      manager.bind(ctx, ee);
      const seen: OtelContext[] = [];
      ee.on('x', () => seen.push(manager.active()));
      ee.once('x', () => seen.push(manager.active()));
      ee.prependListener('x', () => seen.push(manager.active()));
      manager.with(ROOT_CONTEXT.setValue(key1, 'emitter side'), () => ee.emit('x'));
      expect(seen).toEqual([ctx, ctx, ctx]);
      ee.emit('x');
      expect(seen).toHaveLength(5);
    });

    test('removeListener and off remove the listener that was added', () => {
      const ee = new EventEmitter();
      manager.bind(ROOT_CONTEXT.setValue(key1, 'ee'), ee);
      const listener = jest.fn();
      ee.on('x', listener);
      expect(ee.listenerCount('x')).toBe(1);
      ee.removeListener('x', listener);
      expect(ee.listenerCount('x')).toBe(0);
      ee.on('x', listener);
      ee.off('x', listener);
      ee.emit('x');
      expect(listener).not.toHaveBeenCalled();
    });

    test('a once listener can be removed before it fires', () => {
      const ee = new EventEmitter();
      manager.bind(ROOT_CONTEXT.setValue(key1, 'ee'), ee);
      const listener = jest.fn();
      ee.once('x', listener);
      ee.removeListener('x', listener);
      ee.emit('x');
      expect(listener).not.toHaveBeenCalled();
      expect(ee.listenerCount('x')).toBe(0);
    });

    test('removeAllListeners removes bound listeners for one event or all', () => {
      const ee = new EventEmitter();
      manager.bind(ROOT_CONTEXT.setValue(key1, 'ee'), ee);
      ee.on('x', () => undefined);
      ee.on('y', () => undefined);
      ee.removeAllListeners('x');
      expect(ee.listenerCount('x')).toBe(0);
      expect(ee.listenerCount('y')).toBe(1);
      ee.removeAllListeners();
      expect(ee.listenerCount('y')).toBe(0);
    });
  });

  describe('attach (api 1.10)', () => {
    test('makes the context active until dispose, then restores the previous one', () => {
      const ctx = ROOT_CONTEXT.setValue(key1, 'attached');
      manager.with(ROOT_CONTEXT, () => {
        const token = manager.attach(ctx);
        expect(manager.active()).toBe(ctx);
        token.dispose();
        expect(manager.active()).toBe(ROOT_CONTEXT);
        token.dispose();
        expect(manager.active()).toBe(ROOT_CONTEXT);
      });
    });

    test('async work started after attach sees the attached context', async () => {
      const ctx = ROOT_CONTEXT.setValue(key1, 'attached');
      const seen = await manager.with(ROOT_CONTEXT, async () => {
        const token = manager.attach(ctx);
        try {
          return await new Promise<OtelContext>((resolve) => setTimeout(() => resolve(manager.active()), 1));
        } finally {
          token.dispose();
        }
      });
      expect(seen).toBe(ctx);
    });
  });
});

describe('where ContextVarsContextManager differs on purpose', () => {
  test('disable() makes what was active before active nowhere, like the stock manager; vars and with keep working after', async () => {
    const manager = new ContextVarsContextManager();
    const v = new ContextVar<string>('kept');
    const ctx = ROOT_CONTEXT.setValue(key1, 'a');
    // OpenTelemetry's test isolation: a continuation captured in one test (a timer scheduled
    // inside context.with) runs after disable(), in the next test, and must not find that context.
    const later = manager.with(ctx, () => {
      v.set('value');
      return new Promise<[unknown, string]>((resolve) =>
        setTimeout(() => resolve([manager.active().getValue(key1), v.get('<unset>')]), 5),
      );
    });
    manager.with(ctx, () => {
      manager.disable();
      expect(manager.active()).toBe(ROOT_CONTEXT);
      expect(v.get('<unset>')).toBe('<unset>');
    });
    expect(await later).toEqual([undefined, '<unset>']);
    manager.enable();
    expect(manager.with(ctx, () => manager.active())).toBe(ctx);
    expect(v.run('after', () => v.get())).toBe('after');
    const token = v.set('set after disable');
    expect(v.get()).toBe('set after disable');
    v.reset(token);
  });

  test('the stock manager does wipe its context on disable()', () => {
    const stock = new Stock2().enable();
    const ctx = ROOT_CONTEXT.setValue(key1, 'a');
    stock.with(ctx, () => {
      stock.disable();
      expect(stock.active()).toBe(ROOT_CONTEXT);
    });
  });

  test('every instance serves the same context', () => {
    const a = new ContextVarsContextManager();
    const b = new ContextVarsContextManager();
    const ctx = ROOT_CONTEXT.setValue(key1, 'shared');
    expect(a.with(ctx, () => b.active())).toBe(ctx);
  });

  test('a context that is not an OTel Context is refused with TypeError; null means ROOT_CONTEXT', () => {
    const manager = new ContextVarsContextManager();
    expect(() => manager.with(42 as never, () => undefined)).toThrow(TypeError);
    expect(manager.with(null as never, () => manager.active())).toBe(ROOT_CONTEXT);
  });

  test('attach tokens are disposable with using', () => {
    const manager = new ContextVarsContextManager();
    const ctx = ROOT_CONTEXT.setValue(key1, 'using');
    manager.with(ROOT_CONTEXT, () => {
      {
        using _token = manager.attach(ctx);
        expect(manager.active()).toBe(ctx);
      }
      expect(manager.active()).toBe(ROOT_CONTEXT);
    });
  });
});
