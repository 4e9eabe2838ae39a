// Each case ports one behaviour of CPython's Lib/test/test_context.py (named in the comment
// above it) to this package, in our own code. Cases run in every starting state (support/states).
import { inspect } from 'node:util';
import { ROOT_CONTEXT, createContextKey } from '@opentelemetry/api';
import {
  Context,
  ContextVar,
  LookupError,
  RuntimeError,
  Token,
  ValueError,
  copyContext,
  currentContext,
} from '../../src/index';
import { inEveryState } from '../support/states';

describe('ContextVar construction (test_context_var_new_1)', () => {
  test('a non-string name throws TypeError', () => {
    expect(() => new ContextVar(1 as unknown as string)).toThrow(TypeError);
    expect(() => new ContextVar(undefined as unknown as string)).toThrow(/must be a string/);
  });

  test('name is the given name and assigning it throws in strict mode', () => {
    const c = new ContextVar('aaa');
    expect(c.name).toBe('aaa');
    expect(() => {
      (c as { name: string }).name = 'bbb';
    }).toThrow(TypeError);
    expect(c.name).toBe('aaa');
  });

  test('two vars with one name are distinct vars', () => {
    const a = new ContextVar<number>('same');
    const b = new ContextVar<number>('same');
    new Context().run(() => {
      a.set(1);
      expect(b.get(undefined)).toBeUndefined();
    });
  });

  test('options that are not an object throw TypeError', () => {
    expect(() => new ContextVar('a', 5 as never)).toThrow(TypeError);
  });
});

describe('subclassing (test_context_subclassing_1)', () => {
  test('ContextVar cannot be subclassed', () => {
    class MyVar extends ContextVar<number> {}
    expect(() => new MyVar('a')).toThrow(/not an acceptable base type/);
  });

  test('Context cannot be subclassed', () => {
    class MyContext extends Context {}
    expect(() => new MyContext()).toThrow(/not an acceptable base type/);
  });
});

describe('reprs (test_context_var_repr_1, test_token_repr_1)', () => {
  test('a var prints its name and default like Python, with a per-object id', () => {
    expect(String(new ContextVar('a'))).toMatch(/^<ContextVar name='a' at 0x[0-9a-f]+>$/);
    expect(String(new ContextVar('a', { default: 123 }))).toMatch(/^<ContextVar name='a' default=123 at 0x[0-9a-f]+>$/);
    const v = new ContextVar('a');
    expect(inspect(v)).toBe(String(v));
    expect(String(v)).toBe(String(v));
  });

  test('a var whose default contains itself prints ... instead of recursing', () => {
    const list: unknown[] = [];
    const c = new ContextVar('a', { default: list });
    list.push(c);
    expect(String(c)).toContain('...');
  });

  inEveryState('a token prints its var, and used once reset', () => {
    const c = new ContextVar<number>('a');
    const t = c.set(1);
    expect(String(t)).toMatch(/^<Token var=<ContextVar name='a' at 0x[0-9a-f]+> at 0x[0-9a-f]+>$/);
    expect(String(t)).toContain(String(c));
    expect(String(t)).not.toContain(' used ');
    c.reset(t);
    expect(String(t)).toMatch(/^<Token used var=/);
    expect(inspect(t)).toBe(String(t));
  });

  test('Token.MISSING is frozen and prints <Token.MISSING>', () => {
    expect(Object.isFrozen(Token.MISSING)).toBe(true);
    // Token.MISSING is typed `object`: its own toString is what this pins.
    // eslint-disable-next-line @typescript-eslint/no-base-to-string
    expect(String(Token.MISSING)).toBe('<Token.MISSING>');
    expect(inspect(Token.MISSING)).toBe('<Token.MISSING>');
  });

  test('a Context prints a Python-style repr', () => {
    expect(String(new Context())).toMatch(/^<Context object at 0x[0-9a-f]+>$/);
  });
});

describe('Context construction (test_context_new_1)', () => {
  test('Context() with any argument throws TypeError', () => {
    expect(() => new (Context as unknown as new (a: unknown) => Context)(1)).toThrow(/does not accept any arguments/);
    expect(() => new (Context as unknown as new (a: unknown) => Context)({ a: 1 })).toThrow(TypeError);
  });

  test('Context() is empty', () => {
    const ctx = new Context();
    expect(ctx.size).toBe(0);
    expect([...ctx]).toEqual([]);
  });
});

describe('Token construction', () => {
  test('constructing a Token directly throws RuntimeError', () => {
    const T = Token as unknown as new (...a: unknown[]) => unknown;
    expect(() => new T()).toThrow(RuntimeError);
    expect(() => new T(Symbol('mint'), {})).toThrow(/only be created by ContextVars/);
  });
});

describe('mapping type checks (test_context_typerrors_1)', () => {
  test('a non-ContextVar key throws TypeError', () => {
    const ctx = new Context();
    expect(() => ctx.get(1 as never)).toThrow(/a ContextVar key was expected/);
    expect(() => ctx.has('x' as never)).toThrow(TypeError);
  });
});

describe('copyContext (test_context_get_context_1)', () => {
  test('copyContext returns a Context', () => {
    expect(copyContext()).toBeInstanceOf(Context);
  });
});

describe('Context.run arguments (test_context_run_1, test_context_run_2)', () => {
  test('run without a function throws TypeError', () => {
    const ctx = new Context();
    expect(() => (ctx.run as (f?: unknown) => unknown)()).toThrow(TypeError);
    expect(() => ctx.run(42 as never)).toThrow(/a function was expected/);
  });

  test('run forwards arguments and returns the result', () => {
    const ctx = new Context();
    const f = (...args: unknown[]) => [...args, 'bar'];
    expect(ctx.run(f)).toEqual(['bar']);
    expect(ctx.run(f, 1)).toEqual([1, 'bar']);
    expect(ctx.run(f, 11, { a: 2 })).toEqual([11, { a: 2 }, 'bar']);
  });
});

describe('Context.run errors (test_context_run_3, test_context_run_5)', () => {
  test('an error thrown inside run propagates', () => {
    const ctx = new Context();
    const boom = (..._args: unknown[]) => {
      throw new RangeError('zero division');
    };
    expect(() => ctx.run(boom)).toThrow(RangeError);
    expect(() => ctx.run(boom, 1, 2)).toThrow(RangeError);
  });

  inEveryState('a set before the throw is undone outside run', () => {
    const ctx = new Context();
    const v = new ContextVar<string>('var');
    expect(() =>
      ctx.run(() => {
        expect(v.get(undefined)).toBeUndefined();
        v.set('spam');
        throw new RangeError('zero division');
      }),
    ).toThrow(RangeError);
    expect(v.get(undefined)).toBeUndefined();
    expect(ctx.get(v)).toBe('spam');
  });
});

describe('nested Context.run (test_context_run_4)', () => {
  inEveryState('each run sees its own values and copyContext inside returns the same bindings', () => {
    const ctx1 = new Context();
    const ctx2 = new Context();
    const v = new ContextVar<string>('var');
    const returned = ctx1.run(() => {
      expect(v.get(undefined)).toBeUndefined();
      v.set('spam');
      ctx2.run(() => expect(v.get(undefined)).toBeUndefined());
      expect(v.get(undefined)).toBe('spam');
      const cur = copyContext();
      expect(cur.size).toBe(1);
      expect(cur.get(v)).toBe('spam');
      return cur;
    });
    expect(ctx1.equals(returned)).toBe(true);
    expect(returned.get(v)).toBe('spam');
    expect(returned.has(v)).toBe(true);
  });
});

describe('sets inside run are stored in the Context (test_context_run_6)', () => {
  test('ctx.get sees a value set inside ctx.run, the var default does not leak into it', () => {
    const ctx = new Context();
    const c = new ContextVar('a', { default: 0 });
    ctx.run(() => {
      expect(c.get()).toBe(0);
      expect(ctx.get(c)).toBeUndefined();
      c.set(42);
      expect(c.get()).toBe(42);
      expect(ctx.get(c)).toBe(42);
    });
    expect(ctx.get(c)).toBe(42);
  });
});

describe('re-entry (test_context_run_7)', () => {
  test('entering a Context that is already entered throws RuntimeError', () => {
    const ctx = new Context();
    const inner = jest.fn<undefined, []>();
    ctx.run(() => {
      expect(() => ctx.run(inner)).toThrow(RuntimeError);
      expect(() => ctx.run(inner)).toThrow(/is already entered/);
    });
    expect(inner).not.toHaveBeenCalled();
    expect(ctx.run(() => 'again')).toBe('again');
  });
});

describe('get, set and reset (test_context_getset_1)', () => {
  inEveryState('get without value or default throws LookupError naming the var', () => {
    const c = new ContextVar<number>('c');
    expect(() => c.get()).toThrow(LookupError);
    expect(() => c.get()).toThrow(/<ContextVar name='c' at 0x[0-9a-f]+>/);
    try {
      c.get();
    } catch (e) {
      expect((e as Error).name).toBe('LookupError');
    }
  });

  inEveryState('an explicit get argument, even undefined, beats the var default', () => {
    const c = new ContextVar<number>('c', { default: 1 });
    expect(c.get()).toBe(1);
    expect(c.get(undefined)).toBeUndefined();
    expect(c.get(null)).toBeNull();
    expect(c.get(5)).toBe(5);
  });

  inEveryState('set returns a token with var and oldValue MISSING for the first set', () => {
    const c = new ContextVar<number | string>('c');
    const t0 = c.set(42);
    expect(c.get()).toBe(42);
    expect(t0.oldValue).toBe(Token.MISSING);
    expect(t0.var).toBe(c);
    const t = c.set('spam');
    expect(c.get()).toBe('spam');
    expect(t.oldValue).toBe(42);
    c.reset(t);
    expect(c.get()).toBe(42);
  });

  inEveryState('reset with a used token throws RuntimeError and changes nothing', () => {
    const c = new ContextVar<string>('c');
    const t = c.set('spam');
    c.reset(t);
    c.set('spam2');
    expect(() => c.reset(t)).toThrow(RuntimeError);
    expect(() => c.reset(t)).toThrow(/has already been used once/);
    expect(c.get()).toBe('spam2');
  });

  inEveryState('reset of the first token removes the binding, snapshots keep theirs', () => {
    const c = new ContextVar<string>('c');
    const t0 = c.set('first');
    c.set('spam2');
    const ctx1 = copyContext();
    c.reset(t0);
    expect(c.get(undefined)).toBeUndefined();
    expect(ctx1.has(c)).toBe(true);
    expect(ctx1.get(c)).toBe('spam2');
    expect(ctx1.get(c, 'aa')).toBe('spam2');
    expect(ctx1.size).toBe(1);
    expect([...ctx1.entries()]).toEqual([[c, 'spam2']]);
    expect([...ctx1.values()]).toEqual(['spam2']);
    expect([...ctx1.keys()]).toEqual([c]);
    const ctx2 = copyContext();
    expect(ctx2.has(c)).toBe(false);
    expect(ctx2.get(c)).toBeUndefined();
    expect(ctx2.get(c, 'aa')).toBe('aa');
    expect(ctx2.size).toBe(0);
    expect([...ctx2]).toEqual([]);
  });

  inEveryState('undefined and null are values, distinct from unset', () => {
    const c = new ContextVar<undefined | null>('c', { default: null });
    const t = c.set(undefined);
    expect(c.get()).toBeUndefined();
    expect(copyContext().has(c)).toBe(true);
    const t2 = c.set(null);
    expect(t2.oldValue).toBeUndefined();
    c.reset(t2);
    c.reset(t);
    expect(copyContext().has(c)).toBe(false);
  });

  inEveryState('out-of-order resets are allowed and restore each token oldValue', () => {
    const c = new ContextVar<number>('c');
    const t1 = c.set(1);
    const t2 = c.set(2);
    c.reset(t1);
    expect(c.get(undefined)).toBeUndefined();
    c.reset(t2);
    expect(c.get()).toBe(1);
  });
});

describe('reset checks, in order (test_context_getset_2, test_context_getset_4)', () => {
  inEveryState('reset with a token of another var throws ValueError', () => {
    const v1 = new ContextVar<number>('v1');
    const v2 = new ContextVar<number>('v2');
    const t1 = v1.set(42);
    expect(() => v2.reset(t1)).toThrow(ValueError);
    expect(() => v2.reset(t1)).toThrow(/by a different ContextVar/);
    expect(v1.get()).toBe(42);
  });

  inEveryState('reset with a token created in another Context throws ValueError', () => {
    const c = new ContextVar('c', { default: 42 });
    const ctx = new Context();
    const tok = ctx.run(() => c.set(1));
    expect(() => c.reset(tok)).toThrow(ValueError);
    expect(() => c.reset(tok)).toThrow(/in a different Context/);
    expect(ctx.run(() => c.get())).toBe(1);
  });

  test('reset with something that is not a token throws TypeError', () => {
    const c = new ContextVar('c');
    expect(() => c.reset({} as never)).toThrow(TypeError);
    expect(() => c.reset(undefined as never)).toThrow(/an instance of Token was expected/);
  });

  test('a used token is reported before a foreign var', () => {
    const v1 = new ContextVar<number>('v1');
    const v2 = new ContextVar<number>('v2');
    new Context().run(() => {
      const t = v1.set(1);
      v1.reset(t);
      expect(() => v2.reset(t as never)).toThrow(RuntimeError);
    });
  });

  test('a foreign var is reported before a foreign Context', () => {
    const v1 = new ContextVar<number>('v1');
    const v2 = new ContextVar<number>('v2');
    const t = new Context().run(() => v1.set(1));
    expect(() => v2.reset(t as never)).toThrow(/by a different ContextVar/);
  });

  test('a failed reset leaves the token usable', () => {
    const c = new ContextVar<number>('c');
    const ctx = new Context();
    const t = ctx.run(() => c.set(1));
    expect(() => c.reset(t)).toThrow(ValueError);
    expect(String(t)).not.toContain(' used ');
    // Re-entering the same Context makes the token valid again.
    ctx.run(() => c.reset(t));
    expect(ctx.get(c)).toBeUndefined();
  });
});

describe('mapping reads ignore defaults (test_context_getset_3)', () => {
  test('inside run, the Context mapping follows sets and resets and ignores the default', () => {
    const c = new ContextVar('c', { default: 42 });
    const ctx = new Context();
    ctx.run(() => {
      expect(c.get()).toBe(42);
      expect(ctx.get(c)).toBeUndefined();
      expect(ctx.get(c, 'spam')).toBe('spam');
      expect(ctx.has(c)).toBe(false);
      expect([...ctx.keys()]).toEqual([]);
      const t = c.set(1);
      expect([...ctx.keys()]).toEqual([c]);
      expect(ctx.get(c)).toBe(1);
      c.reset(t);
      expect([...ctx.keys()]).toEqual([]);
      expect(ctx.has(c)).toBe(false);
    });
  });
});

describe('snapshots share values (test_context_getset_5)', () => {
  inEveryState('mutable values are shared, not deep-copied, and sets stay inside the copy', () => {
    const c = new ContextVar<number[]>('c', { default: [] });
    const outer: number[] = [];
    c.set(outer);
    const shared = copyContext();
    shared.run(() => c.get().push(1));
    expect(outer).toEqual([1]);
    copyContext().run(() => {
      c.set([]);
      c.get().push(42);
      expect(c.get()).toEqual([42]);
    });
    expect(c.get()).toBe(outer);
  });
});

describe('copy (test_context_copy_1)', () => {
  test('a copy is a snapshot: later sets change neither side', () => {
    const ctx1 = new Context();
    const c = new ContextVar('c', { default: 42 });
    ctx1.run(() => {
      c.set(10);
      const ctx2 = ctx1.copy();
      expect(ctx2.get(c)).toBe(10);
      c.set(20);
      expect(ctx1.get(c)).toBe(20);
      expect(ctx2.get(c)).toBe(10);
      ctx2.run(() => {
        expect(c.get()).toBe(10);
        c.set(30);
        expect(c.get()).toBe(30);
      });
      expect(ctx1.get(c)).toBe(20);
      expect(ctx2.get(c)).toBe(30);
    });
  });
});

describe('Context as a Map', () => {
  test('iteration order is stable for a given Context and forEach visits each binding', () => {
    const vars = Array.from({ length: 50 }, (_, i) => new ContextVar<number>(`v${i}`));
    const ctx = new Context();
    ctx.run(() => vars.forEach((v, i) => v.set(i)));
    const first = [...ctx.keys()];
    expect(first).toHaveLength(50);
    expect(new Set(first)).toEqual(new Set(vars));
    expect([...ctx.keys()]).toEqual(first);
    expect(ctx.copy().equals(ctx)).toBe(true);
    const seen: [unknown, unknown][] = [];
    ctx.forEach((value, key, map) => {
      expect(map).toBe(ctx);
      seen.push([key, value]);
    });
    expect(seen).toEqual([...ctx.entries()]);
  });

  test('equals compares bindings by identity', () => {
    const v = new ContextVar<object>('v');
    const value = {};
    const a = new Context();
    const b = new Context();
    a.run(() => v.set(value));
    b.run(() => v.set(value));
    expect(a.equals(b)).toBe(true);
    b.run(() => v.set({}));
    expect(a.equals(b)).toBe(false);
    expect(a.equals(new Context())).toBe(false);
    expect(() => a.equals({} as never)).toThrow(TypeError);
  });

  test('Object.is semantics: NaN equals NaN, 0 differs from -0', () => {
    const v = new ContextVar<number>('v');
    const a = new Context();
    const b = new Context();
    a.run(() => v.set(NaN));
    b.run(() => v.set(NaN));
    expect(a.equals(b)).toBe(true);
    a.run(() => v.set(0));
    b.run(() => v.set(-0));
    expect(a.equals(b)).toBe(false);
  });
});

describe('currentContext', () => {
  test('returns the entered Context itself, live', () => {
    const ctx = new Context();
    const v = new ContextVar<number>('v');
    ctx.run(() => {
      expect(currentContext()).toBe(ctx);
      v.set(1);
      expect(currentContext().get(v)).toBe(1);
    });
    expect(currentContext()).not.toBe(ctx);
    expect(currentContext()).toBe(currentContext());
  });
});

describe('Token as a context manager (Python 3.14, via using)', () => {
  inEveryState('using a token resets to the default on scope exit', () => {
    const c = new ContextVar('c', { default: 1 });
    {
      using tok = c.set(36);
      expect(tok.var).toBe(c);
      expect(c.get()).toBe(36);
    }
    expect(c.get()).toBe(1);
  });

  inEveryState('using a token without default leaves the var unset', () => {
    const c = new ContextVar<number>('c');
    {
      using _tok = c.set(36);
      expect(c.get()).toBe(36);
    }
    expect(() => c.get()).toThrow(LookupError);
  });

  inEveryState('the reset happens when the scope exits by an exception', () => {
    const c = new ContextVar('c', { default: 1 });
    expect(() => {
      using _tok = c.set(36);
      throw new RangeError('boom');
    }).toThrow(RangeError);
    expect(c.get()).toBe(1);
  });

  inEveryState('nested using scopes restore in turn', () => {
    const c = new ContextVar('c', { default: 1 });
    {
      using _a = c.set(36);
      {
        using _b = c.set(42);
        expect(c.get()).toBe(42);
      }
      expect(c.get()).toBe(36);
    }
    expect(c.get()).toBe(1);
  });

  inEveryState('a second set inside the scope is undone with it', () => {
    const c = new ContextVar('c', { default: 1 });
    {
      using _tok = c.set(36);
      c.set(42);
      expect(c.get()).toBe(42);
    }
    expect(c.get()).toBe(1);
  });

  inEveryState('an explicit reset of the same token makes disposal throw RuntimeError', () => {
    const c = new ContextVar('c', { default: 1 });
    expect(() => {
      using tok = c.set(36);
      c.reset(tok);
    }).toThrow(/has already been used once/);
    expect(c.get()).toBe(1);
  });
});

describe('ContextVar.run', () => {
  inEveryState('binds the value for fn only, forwarding arguments', () => {
    const v = new ContextVar<string>('v', { default: 'outer' });
    const result = v.run('inner', (a: number, b: number) => `${v.get()}:${a + b}`, 1, 2);
    expect(result).toBe('inner:3');
    expect(v.get()).toBe('outer');
  });

  inEveryState('nothing set inside reaches the caller', () => {
    const v = new ContextVar<string>('v', { default: 'outer' });
    const w = new ContextVar<string>('w');
    v.run('inner', () => w.set('leak'));
    expect(w.get(undefined)).toBeUndefined();
  });

  test('a non-function throws TypeError', () => {
    expect(() => new ContextVar('v').run(1, 'nope' as never)).toThrow(TypeError);
  });
});

describe('getIn, setIn, deleteIn on OpenTelemetry contexts', () => {
  test('setIn returns a new context and leaves the original untouched', () => {
    const v = new ContextVar<number>('v', { default: 7 });
    const key = createContextKey('other');
    const base = ROOT_CONTEXT.setValue(key, 'kept');
    const withV = v.setIn(base, 1);
    expect(v.getIn(withV)).toBe(1);
    expect(withV.getValue(key)).toBe('kept');
    expect(v.getIn(base)).toBe(7);
    expect(v.getIn(base, 'd')).toBe('d');
    const gone = v.deleteIn(withV);
    expect(v.getIn(gone, 'd')).toBe('d');
    expect(gone.getValue(key)).toBe('kept');
    expect(() => v.getIn({} as never)).toThrow(TypeError);
    expect(() => v.setIn(null as never, 1)).toThrow(TypeError);
  });
});
