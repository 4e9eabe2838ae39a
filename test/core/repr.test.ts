// Rendering values for reprs and error messages: Node's util.inspect where the runtime offers it
// (fetched on first use, never imported at load), a renderer of the same shape elsewhere, and
// never an exception, whatever the value does when it is looked at.
import { inspect } from 'node:util';
import { ContextVar } from '../../src/index';
import { render } from '../../src/internal/render';
import { reprValue } from '../../src/internal/repr';
import { runNode } from '../support/run-node';

const throwingHook = {
  [Symbol.for('nodejs.util.inspect.custom')]: () => {
    throw new Error('hook');
  },
};

describe('reprValue never throws', () => {
  test('a value whose inspect hook throws renders as a placeholder', () => {
    expect(reprValue(throwingHook)).toBe('<unprintable object>');
    expect(render.bind(null, throwingHook)).toThrow('hook');
  });

  test('a getter that throws is shown as [Getter], not run', () => {
    const value = {
      get boom(): never {
        throw new Error('getter');
      },
    };
    expect(reprValue(value)).toBe('{ boom: [Getter] }');
    expect(render(value)).toBe('{ boom: [Getter] }');
  });

  test("a var whose default cannot be printed still prints, and a TypeError's message is still built", () => {
    expect(String(new ContextVar('a', { default: throwingHook }))).toMatch(
      /^<ContextVar name='a' default=<unprintable object> at 0x[0-9a-f]+>$/,
    );
    expect(() => new ContextVar(throwingHook as unknown as string)).toThrow(
      new TypeError('context variable name must be a string, got <unprintable object>'),
    );
  });
});

describe("the fallback renderer prints what Node's util.inspect prints", () => {
  class Point {
    constructor(readonly x: number) {}
  }
  const values: [string, unknown][] = [
    ['strings', 'a\nb\\c'],
    ['a string with a quote', "it's"],
    ['a string with both quotes', `it's "x"`],
    ['a string with all three quotes', 'it\'s "x" `y`'],
    ['numbers', [0, -0, 1.5, NaN, -Infinity]],
    ['bigints, booleans, null, undefined', [10n, true, null, undefined]],
    ['symbols', [Symbol('s'), Symbol.for('t')]],
    [
      'functions and classes',
      [
        function named() {
          return 0;
        },
        () => 1,
        Point,
      ],
    ],
    ['nested objects, one level deep', { a: { b: { c: 1 } }, 'not-ident': [1, [2, [3]]] }],
    ['class instances', new Point(3)],
    ['a null-prototype object', Object.assign(Object.create(null) as object, { k: 'v' })],
    ['maps and sets', [new Map([['k', { v: 1 }]]), new Set([1, 'two'])]],
    ['dates and regexps', [new Date(0), /x+/g]],
    ['empty containers, opened even past the depth limit', { a: { b: {}, c: [], d: new Map(), e: new Point(1) } }],
    [
      'null-prototype objects past the depth limit',
      { a: { b: Object.assign(Object.create(null) as object, { k: 1 }) } },
    ],
  ];
  test.each(values)('%s', (_, value) => {
    expect(render(value)).toBe(inspect(value, { depth: 1, breakLength: Infinity }));
  });

  test('symbol keys print bare, as util.inspect does from Node 24 on', () => {
    expect(render({ [Symbol('k')]: 1 })).toBe('{ Symbol(k): 1 }');
  });

  test('objects with an inspect hook print through it, as ContextVar and Token do', () => {
    const v = new ContextVar('hooked', { default: [1] });
    expect(render(v)).toBe(String(v));
    expect(render({ v })).toBe(`{ v: ${String(v)} }`);
  });
});

describe('on a runtime without node:util', () => {
  test('loading and printing use the fallback renderer, with the same reprs, and never throw', async () => {
    // process.getBuiltinModule removed: what browsers and workerd without nodejs_compat offer.
    const script = `
      delete process.getBuiltinModule;
      const { ContextVar } = require('./dist/cjs/index.js');
      const v = new ContextVar('a', { default: { list: [1, 'x'], nested: { deep: { er: 1 } } } });
      console.log(String(v));
      try { new ContextVar(42n); } catch (e) { console.log(e.message); }
      const trap = () => { throw new Error('trap'); };
      const proxy = new Proxy({}, { ownKeys: trap, getPrototypeOf: trap });
      try { new ContextVar(proxy); } catch (e) { console.log(e.message); }
    `;
    const out = (await runNode(['-e', script])).trim().split('\n');
    expect(out).toEqual([
      expect.stringMatching(
        /^<ContextVar name='a' default=\{ list: \[ 1, 'x' \], nested: \{ deep: \[Object\] \} \} at 0x[0-9a-f]+>$/,
      ),
      'context variable name must be a string, got 42n',
      'context variable name must be a string, got <unprintable object>',
    ]);
  });
});
