// Wrong input: every misuse of the public API throws its documented error class (with
// `name` equal to the class name) and leaves the current context exactly as it was: the same
// active OpenTelemetry Context object, the same Python-style Context, the same values. Then user
// code that throws inside every scope-like API, and the context after it.
import { EventEmitter } from 'node:events';
import { ROOT_CONTEXT } from '@opentelemetry/api';
import type { Context as OtelContext } from '@opentelemetry/api';
import {
  Context,
  ContextVar,
  ContextVarsContextManager,
  LookupError,
  RuntimeError,
  Token,
  ValueError,
  copyContext,
  currentContext,
  isolated,
} from '../../src/index';
import { STATES } from '../support/states';

const a = new ContextVar<string>('a');
const b = new ContextVar<string>('b');
const manager = new ContextVarsContextManager();
const UNSET = '<unset>';

type ErrorClass = new (...args: never[]) => Error;

interface Where {
  active: OtelContext;
  current: Context;
  values: [string, string];
}

function where(): Where {
  return { active: manager.active(), current: currentContext(), values: [a.get(UNSET), b.get(UNSET)] };
}

/** Same object identities, not just equal contents: "exactly as it was". */
function expectSamePlace(before: Where): void {
  const now = where();
  expect(now.active).toBe(before.active);
  expect(now.current).toBe(before.current);
  expect(now.values).toEqual(before.values);
}

function expectThrowsClass(fn: () => unknown, errorClass: ErrorClass, message?: RegExp): void {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(errorClass);
  expect((caught as Error).name).toBe(errorClass.name);
  if (message) expect((caught as Error).message).toMatch(message);
}

/** A misuse: `prepare` builds what it needs (may set vars), `misuse` is the one wrong call. */
interface Misuse<P> {
  title: string;
  errorClass: ErrorClass;
  message?: RegExp;
  prepare: () => P;
  misuse: (p: P) => unknown;
}

// One list of cases, each with its own prepared value's type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const misuses: Misuse<any>[] = [
  {
    title: 'ContextVar with a non-string name',
    errorClass: TypeError,
    message: /name must be a string/,
    prepare: () => null,
    misuse: () => new ContextVar(42 as unknown as string),
  },
  {
    title: 'ContextVar with options that are not an object',
    errorClass: TypeError,
    prepare: () => null,
    misuse: () => new ContextVar('x', 'default' as never),
  },
  {
    title: 'subclassing ContextVar',
    errorClass: TypeError,
    message: /not an acceptable base type/,
    prepare: () => class Sub extends ContextVar<number> {},
    misuse: (Sub: new (n: string) => unknown) => new Sub('x'),
  },
  {
    title: 'get() of an unset var without default (message names the var)',
    errorClass: LookupError,
    message: /name='unset-var'/,
    prepare: () => new ContextVar('unset-var'),
    misuse: (v: ContextVar<unknown>) => v.get(),
  },
  {
    title: 'reset() with a plain object',
    errorClass: TypeError,
    message: /Token was expected/,
    prepare: () => null,
    misuse: () => a.reset({} as never),
  },
  { title: 'reset() with null', errorClass: TypeError, prepare: () => null, misuse: () => a.reset(null as never) },
  {
    title: 'reset() with a forged object of Token.prototype',
    errorClass: TypeError,
    prepare: () => Object.create(Token.prototype) as Token<string>,
    misuse: (t: Token<string>) => a.reset(t),
  },
  {
    title: 'reset() with a used token (message says used once)',
    errorClass: RuntimeError,
    message: /has already been used once/,
    prepare: () => {
      const t = a.set('then reset');
      a.reset(t);
      return t;
    },
    misuse: (t: Token<string>) => a.reset(t),
  },
  {
    title: "reset() with another var's token",
    errorClass: ValueError,
    message: /different ContextVar/,
    prepare: () => b.set('b by prepare'),
    misuse: (t: Token<string>) => a.reset(t),
  },
  {
    title: 'reset() with a token created in another Context',
    errorClass: ValueError,
    message: /different Context/,
    prepare: () => new Context().run(() => a.set('elsewhere')),
    misuse: (t: Token<string>) => a.reset(t),
  },
  {
    title: "reset() with a used token of another var: RuntimeError first, in Python's order",
    errorClass: RuntimeError,
    prepare: () => {
      const t = b.set('x');
      b.reset(t);
      return t;
    },
    misuse: (t: Token<string>) => a.reset(t),
  },
  {
    title: 'disposing (using) a token from another Context',
    errorClass: ValueError,
    prepare: () => new Context().run(() => a.set('elsewhere')),
    misuse: (t: Token<string>) => t[Symbol.dispose](),
  },
  {
    title: 'disposing a used token',
    errorClass: RuntimeError,
    prepare: () => {
      const t = a.set('x');
      t[Symbol.dispose]();
      return t;
    },
    misuse: (t: Token<string>) => t[Symbol.dispose](),
  },
  {
    title: 'ContextVar.run with a non-function',
    errorClass: TypeError,
    message: /function was expected/,
    prepare: () => null,
    misuse: () => a.run('v', 'not a function' as never),
  },
  {
    title: 'Context.run with a non-function',
    errorClass: TypeError,
    message: /function was expected/,
    prepare: () => new Context(),
    misuse: (ctx: Context) => ctx.run(42 as never),
  },
  {
    title: 'isolated() of a non-function',
    errorClass: TypeError,
    prepare: () => null,
    misuse: () => isolated(undefined as never),
  },
  {
    title: 're-entering the Context currently running',
    errorClass: RuntimeError,
    message: /already entered/,
    prepare: () => null,
    misuse: () => currentContext().run(() => 'never runs'),
  },
  {
    title: 'constructing a Token with new',
    errorClass: RuntimeError,
    message: /only be created by ContextVars/,
    prepare: () => null,
    misuse: () => new (Token as unknown as new () => unknown)(),
  },
  {
    title: 'constructing a Token through Reflect.construct with a guessed symbol',
    errorClass: RuntimeError,
    prepare: () => null,
    misuse: () => Reflect.construct(Token, [Symbol('otel-contextvars.mint'), a, Token.MISSING, {}]) as unknown,
  },
  {
    title: 'Context() with an argument',
    errorClass: TypeError,
    message: /does not accept any arguments/,
    prepare: () => null,
    misuse: () => new (Context as unknown as new (x: unknown) => Context)({}),
  },
  {
    title: 'Context.get with a non-ContextVar key',
    errorClass: TypeError,
    message: /ContextVar key was expected/,
    prepare: () => copyContext(),
    misuse: (ctx: Context) => ctx.get('a' as never),
  },
  {
    title: 'Context.has with a non-ContextVar key',
    errorClass: TypeError,
    prepare: () => copyContext(),
    misuse: (ctx: Context) => ctx.has(1 as never),
  },
  {
    title: 'Context.forEach with a non-function',
    errorClass: TypeError,
    prepare: () => copyContext(),
    misuse: (ctx: Context) => ctx.forEach(null as never),
  },
  {
    title: 'Context.equals with a non-Context',
    errorClass: TypeError,
    prepare: () => copyContext(),
    misuse: (ctx: Context) => ctx.equals(new Map() as never),
  },
  {
    title: 'getIn with something that is not an OTel Context',
    errorClass: TypeError,
    prepare: () => null,
    misuse: () => a.getIn({} as never),
  },
  { title: 'setIn with null', errorClass: TypeError, prepare: () => null, misuse: () => a.setIn(null as never, 'x') },
  { title: 'deleteIn with a number', errorClass: TypeError, prepare: () => null, misuse: () => a.deleteIn(1 as never) },
  {
    title: "assigning a var's name (strict mode)",
    errorClass: TypeError,
    prepare: () => null,
    misuse: () => {
      (a as { name: string }).name = 'b';
    },
  },
  {
    title: 'changing the frozen Token.MISSING',
    errorClass: TypeError,
    prepare: () => null,
    misuse: () => {
      (Token.MISSING as Record<string, unknown>).x = 1;
    },
  },
  {
    title: 'manager.with a context that is not one',
    errorClass: TypeError,
    prepare: () => null,
    misuse: () => manager.with('ctx' as never, () => 1),
  },
  {
    title: 'manager.with a non-function',
    errorClass: TypeError,
    prepare: () => null,
    misuse: () => manager.with(ROOT_CONTEXT, 'fn' as never),
  },
  {
    title: 'manager.attach a context that is not one',
    errorClass: TypeError,
    prepare: () => null,
    misuse: () => manager.attach(42 as never),
  },
];

describe.each(STATES)('misuse %s, with values set around it', (_state, enter) => {
  test.each(misuses)('$title: $errorClass.name, context unchanged', (m: Misuse<unknown>) => {
    enter(() => {
      a.set('outer a');
      const prepared = m.prepare();
      const before = where();
      expectThrowsClass(() => m.misuse(prepared), m.errorClass, m.message);
      expectSamePlace(before);
    });
  });
});

describe('failed resets do not consume the token', () => {
  test('a token refused in another Context still resets in its own, once', () => {
    const ctx = new Context();
    const token = ctx.run(() => a.set('in ctx'));
    expectThrowsClass(() => a.reset(token), ValueError);
    expectThrowsClass(() => b.reset(token), ValueError);
    ctx.run(() => a.reset(token));
    expect(ctx.get(a, UNSET)).toBe(UNSET);
    expectThrowsClass(() => ctx.run(() => a.reset(token)), RuntimeError);
  });

  test('re-entering a Context from inside itself throws and the outer run goes on inside it', () => {
    const ctx = new Context();
    const outside = where();
    ctx.run(() => {
      a.set('inside');
      const before = where();
      expectThrowsClass(() => ctx.run(() => a.set('never')), RuntimeError, /already entered/);
      expectSamePlace(before);
    });
    expectSamePlace(outside);
    expect(ctx.get(a)).toBe('inside');
  });
});

describe('user code that throws: the context is back, the error is the same object', () => {
  const boom = new Error('user code failed');

  beforeEach(() => {
    a.set('caller');
  });

  test('Context.run: rethrows, restores the caller, keeps the sets made before the throw in the Context', () => {
    const ctx = copyContext();
    const before = where();
    expect(() =>
      ctx.run(() => {
        a.set('inside run');
        throw boom;
      }),
    ).toThrow(boom);
    expectSamePlace(before);
    expect(ctx.get(a)).toBe('inside run');
    // The Context is entered no more: it can be entered again.
    expect(ctx.run(() => a.get())).toBe('inside run');
  });

  test('ContextVar.run: rethrows and restores the caller', () => {
    const before = where();
    expect(() =>
      b.run('scoped', () => {
        a.set('inside var run');
        throw boom;
      }),
    ).toThrow(boom);
    expectSamePlace(before);
  });

  test('manager.with: rethrows and restores the caller, also when fn set vars first', () => {
    const before = where();
    expect(() =>
      manager.with(b.setIn(ROOT_CONTEXT, 'with'), () => {
        a.set('inside with');
        throw boom;
      }),
    ).toThrow(boom);
    expectSamePlace(before);
  });

  test('manager.with of the active context (the shortcut path): rethrows and restores the caller', () => {
    const before = where();
    expect(() =>
      manager.with(manager.active(), () => {
        a.set('inside with of active');
        throw boom;
      }),
    ).toThrow(boom);
    expectSamePlace(before);
  });

  test('a bound function: rethrows and restores the caller', () => {
    const bound = manager.bind(b.setIn(ROOT_CONTEXT, 'bound'), () => {
      a.set('inside bound');
      throw boom;
    });
    const before = where();
    expect(bound).toThrow(boom);
    expectSamePlace(before);
  });

  test('a listener of a bound emitter: emit rethrows, the listener saw the bound context, the emitter caller is restored', () => {
    const emitter = manager.bind(b.setIn(ROOT_CONTEXT, 'bound emitter'), new EventEmitter());
    let seen: string | undefined;
    emitter.on('event', () => {
      seen = b.get(UNSET);
      a.set('inside listener');
      throw boom;
    });
    const before = where();
    expect(() => emitter.emit('event')).toThrow(boom);
    expectSamePlace(before);
    expect(seen).toBe('bound emitter');
  });

  test('an isolated function: rethrows and restores the caller', () => {
    const before = where();
    expect(
      isolated(() => {
        a.set('inside isolated');
        throw boom;
      }),
    ).toThrow(boom);
    expectSamePlace(before);
  });

  test('using a token in a block that throws: the disposal resets the var, the error goes on', () => {
    const before = where();
    expect(() => {
      using _token = a.set('in block');
      expect(a.get()).toBe('in block');
      throw boom;
    }).toThrow(boom);
    expect(where().values).toEqual(before.values);
  });

  test('async work that throws after an await inside ContextVar.run and Context.run: rejects, the caller never sees its sets', async () => {
    const before = where();
    await expect(
      b.run('scoped', async () => {
        await null;
        a.set('after await');
        throw boom;
      }),
    ).rejects.toBe(boom);
    await expect(
      copyContext().run(async () => {
        a.set('before await');
        await null;
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect(where().values).toEqual(before.values);
    expect(manager.active()).toBe(before.active);
  });
});
