// Values built to break whatever renders them (an inspect hook, getters, toString and every Proxy
// trap that throw): each misuse still throws its documented error class, never the value's own
// error, and reprs of vars and tokens holding such values never throw.
import { inspect } from 'node:util';
import { Context, ContextVar, isolated } from '../../src/index';
import { ROOT_CONTEXT } from '@opentelemetry/api';

const inspectHook = Symbol.for('nodejs.util.inspect.custom');

function boom(): never {
  throw new Error('hostile value');
}

const hostile: Record<string, () => unknown> = {
  'an inspect hook that throws': () => ({ [inspectHook]: boom }),
  'getters that throw': () =>
    Object.defineProperties({}, { a: { get: boom, enumerable: true }, b: { get: boom, enumerable: true } }),
  'toString and valueOf that throw': () => ({ toString: boom, valueOf: boom, [Symbol.toPrimitive]: boom }),
  'a Proxy whose every trap throws': () =>
    new Proxy(
      {},
      {
        get: boom,
        getOwnPropertyDescriptor: boom,
        ownKeys: boom,
        getPrototypeOf: boom,
        has: boom,
      },
    ),
};

const v = new ContextVar<unknown>('hostile-target');

describe.each(Object.keys(hostile))('with %s', (kind) => {
  const make = hostile[kind];

  test('misuses throw TypeError, not the value’s error', () => {
    const misuses: (() => unknown)[] = [
      () => v.reset(make() as never),
      () => new Context().run(make() as never),
      () => v.run(1, make() as never),
      () => isolated(make() as never),
      () => new Context().get(make() as never),
      () => new Context().has(make() as never),
      () => v.getIn(make() as never),
      () => v.setIn(make() as never, 1),
      () => new ContextVar(make() as never),
    ];
    for (const misuse of misuses) expect(misuse).toThrow(TypeError);
  });

  test('a var whose default or value is the hostile value prints and resets without throwing', () => {
    const withDefault = new ContextVar('d', { default: make() });
    expect(String(withDefault)).toMatch(/^<ContextVar name='d' default=.* at 0x[0-9a-f]+>$/);
    expect(inspect(withDefault)).toMatch(/^<ContextVar name='d'/);
    const token = v.set(make());
    expect(String(token)).toMatch(/^<Token var=<ContextVar name='hostile-target' at 0x[0-9a-f]+> at 0x[0-9a-f]+>$/);
    v.reset(token);
    expect(v.get('<unset>')).toBe('<unset>');
    expect(v.getIn(ROOT_CONTEXT, 'fallback')).toBe('fallback');
  });
});
