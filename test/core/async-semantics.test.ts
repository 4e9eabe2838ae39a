// How values follow (and do not follow) asynchronous work on Node.js.
import { EventEmitter, once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { ROOT_CONTEXT } from '@opentelemetry/api';
import { Context, ContextVar, ContextVarsContextManager, copyContext, currentContext, isolated } from '../../src/index';

const v = new ContextVar<string>('v');
const manager = new ContextVarsContextManager();
const inFresh = <R>(fn: () => R): R => new Context().run(fn);

describe('3.1 a value set before scheduling is seen by the scheduled work', () => {
  test('after await, in a timer, a microtask, nextTick, a promise callback and setImmediate', async () => {
    const seen = await inFresh(async () => {
      v.set('before');
      const results: Record<string, string | undefined> = {};
      await Promise.all([
        (async () => {
          await null;
          results.await = v.get(undefined);
        })(),
        new Promise<void>((r) => setTimeout(() => r(void (results.timer = v.get(undefined))), 1)),
        new Promise<void>((r) => queueMicrotask(() => r(void (results.microtask = v.get(undefined))))),
        new Promise<void>((r) => process.nextTick(() => r(void (results.nextTick = v.get(undefined))))),
        Promise.resolve().then(() => void (results.then = v.get(undefined))),
        new Promise<void>((r) => setImmediate(() => r(void (results.immediate = v.get(undefined))))),
      ]);
      return results;
    });
    expect(seen).toEqual({
      await: 'before',
      timer: 'before',
      microtask: 'before',
      nextTick: 'before',
      then: 'before',
      immediate: 'before',
    });
  });

  test('a listener bound with the manager sees the value from bind time, whoever emits', async () => {
    const ee = new EventEmitter();
    const heard = inFresh(() => {
      v.set('bound');
      manager.bind(manager.active(), ee);
      return once(ee, 'x').then(() => v.get(undefined));
    });
    const seen: (string | undefined)[] = [];
    ee.on('x', () => seen.push(v.get(undefined)));
    inFresh(() => {
      v.set('emitter');
      ee.emit('x');
    });
    expect(seen).toEqual(['bound']);
    expect(await heard).toBe('bound');
  });
});

describe('3.2 set() reaches the rest of the run and what it schedules afterwards, nothing else', () => {
  test('work scheduled before the set keeps the old value', async () => {
    const seen = await inFresh(async () => {
      v.set('old');
      const early = new Promise<string | undefined>((r) => setTimeout(() => r(v.get(undefined)), 1));
      const earlyThen = Promise.resolve().then(() => v.get(undefined));
      v.set('new');
      const late = new Promise<string | undefined>((r) => setTimeout(() => r(v.get(undefined)), 1));
      return [await early, await earlyThen, await late, v.get()];
    });
    expect(seen).toEqual(['old', 'old', 'new', 'new']);
  });

  test('concurrent siblings never see each other', async () => {
    const sibling = async (name: string, delay: number) => {
      v.set(name);
      await sleep(delay);
      const mid = v.get(undefined);
      await sleep(5 - delay);
      return [mid, v.get(undefined)];
    };
    const results = await inFresh(() =>
      Promise.all([isolated(sibling)('a', 1), isolated(sibling)('b', 3), isolated(sibling)('c', 2)]),
    );
    expect(results).toEqual([
      ['a', 'a'],
      ['b', 'b'],
      ['c', 'c'],
    ]);
  });
});

describe('3.4 the rule for async functions', () => {
  test('a set before the first await reaches the caller; a set after it does not', async () => {
    const order = await inFresh(async () => {
      v.set('caller');
      const log: (string | undefined)[] = [];
      async function handler(): Promise<void> {
        v.set('before await');
        await null;
        v.set('after await');
        log.push(v.get(undefined));
      }
      const pending = handler();
      log.push(v.get(undefined));
      await pending;
      log.push(v.get(undefined));
      return log;
    });
    expect(order).toEqual(['before await', 'after await', 'before await']);
  });

  test('ContextVar.run, copyContext().run and isolated keep every set inside', async () => {
    const outcome = await inFresh(async () => {
      v.set('caller');
      const body = async () => {
        v.set('inside');
        await null;
        v.set('inside after await');
      };
      await v.run('run', body);
      const afterVarRun = v.get();
      await copyContext().run(body);
      const afterCopyRun = v.get();
      await isolated(body)();
      return [afterVarRun, afterCopyRun, v.get()];
    });
    expect(outcome).toEqual(['caller', 'caller', 'caller']);
  });

  test('isolated keeps this and arguments', () => {
    const obj = {
      k: 1,
      add: isolated(function (this: { k: number }, a: number) {
        return this.k + a;
      }),
    };
    expect(obj.add(2)).toBe(3);
    expect(() => isolated(5 as never)).toThrow(TypeError);
  });
});

describe('3.5 a token belongs to the Context where set() ran', () => {
  test('await, timers and OpenTelemetry with keep the identity', async () => {
    await inFresh(async () => {
      const ctx = currentContext();
      const t1 = v.set('a');
      await sleep(1);
      expect(currentContext()).toBe(ctx);
      const t2 = await new Promise<ReturnType<typeof v.set>>((r) => setTimeout(() => r(v.set('b')), 1));
      manager.with(ROOT_CONTEXT, () => {
        expect(currentContext()).toBe(ctx);
        v.reset(t2);
      });
      v.reset(t1);
    });
  });

  test('Context.run changes the identity, so a token from outside is refused inside', () => {
    inFresh(() => {
      const t = v.set('outer');
      copyContext().run(() => expect(() => v.reset(t)).toThrow(/different Context/));
      v.reset(t);
    });
  });

  test('a token set in a continuation of Context.run can be reset in a later one', async () => {
    const ctx = new Context();
    await ctx.run(async () => {
      await null;
      const t = v.set('later');
      await sleep(1);
      v.reset(t);
    });
    expect(ctx.get(v)).toBeUndefined();
  });
});

describe('3.6 OpenTelemetry with() decides the vars inside', () => {
  test('with(ROOT_CONTEXT) leaves every var unset inside; with(captured) brings them back', () => {
    inFresh(() => {
      v.set('x');
      const captured = manager.active();
      manager.with(ROOT_CONTEXT, () => {
        expect(v.get(undefined)).toBeUndefined();
        manager.with(captured, () => expect(v.get()).toBe('x'));
      });
      expect(v.get()).toBe('x');
    });
  });

  test('a value stored with setIn is what the var reads inside with', () => {
    inFresh(() => {
      manager.with(v.setIn(ROOT_CONTEXT, 'from setIn'), () => expect(v.get()).toBe('from setIn'));
    });
  });
});

describe('3.3 no bleeding between callbacks of one resource', () => {
  test('a setInterval tick never sees what the previous tick set', async () => {
    const seen: (string | undefined)[] = [];
    await inFresh(
      () =>
        new Promise<void>((resolve) => {
          let n = 0;
          const timer = setInterval(() => {
            seen.push(v.get(undefined));
            v.set(`tick ${n}`);
            if (++n === 5) {
              clearInterval(timer);
              resolve();
            }
          }, 1);
        }),
    );
    expect(seen).toEqual([undefined, undefined, undefined, undefined, undefined]);
  });

  test('an emitter listener never sees what it set during an emit from an earlier tick', async () => {
    const ee = new EventEmitter();
    const seen: (string | undefined)[] = [];
    // Resolved by the fourth emit itself, not polled.
    const fourEmits = new Promise<void>((resolve) => {
      ee.on('x', (n: number) => {
        seen.push(v.get(undefined));
        v.set(`emit ${n}`);
        if (seen.length === 4) resolve();
      });
    });
    const emitter = setInterval(() => ee.emit('x', seen.length), 1);
    await fourEmits;
    clearInterval(emitter);
    expect(seen.slice(0, 4)).toEqual([undefined, undefined, undefined, undefined]);
  });
});

describe('scopes always restore', () => {
  test('a set inside with() of the already active context does not reach the caller', async () => {
    await inFresh(async () => {
      v.set('caller');
      manager.with(manager.active(), () => v.set('inside'));
      expect(v.get()).toBe('caller');
      const bound = manager.bind(manager.active(), async () => {
        v.set('bound, before await');
        await null;
      });
      await bound();
      expect(v.get()).toBe('caller');
    });
  });
});
