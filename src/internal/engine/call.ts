import type { Context as OtelContext } from '@opentelemetry/api';
import type { Cell, Engine, EngineKind } from './types';

/**
 * Calls `fn` with `thisArg` and `args`. A direct call when there is no receiver: `Reflect.apply`
 * with an array made elsewhere costs as much as the rest of a `with` on Node 20 (measured: 25 ns
 * -> 15 ns per `with`).
 */
export function invoke<R>(fn: (...a: never) => R, thisArg: unknown, args: readonly unknown[]): R {
  if (thisArg !== undefined) return Reflect.apply(fn, thisArg, args) as R;
  // fn takes `never` arguments: tsc rejects a call with none unless asserted.
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
  return args.length === 0 ? (fn as () => R)() : (fn as (...a: unknown[]) => R)(...args);
}

/**
 * `Engine.wrap` for the engines that open scopes themselves: a scope around one call. (The public
 * methods open and close inline instead, to save this frame per nesting level.)
 */
export function wrapInScope<R>(
  engine: Pick<Engine, 'enter' | 'with' | 'exit'>,
  cell: Cell | null,
  context: OtelContext,
  fn: (...a: never) => R,
  thisArg: unknown,
  args: readonly unknown[],
): R {
  const mark = cell === null ? engine.with(context) : engine.enter(cell, context);
  try {
    return invoke(fn, thisArg, args);
  } finally {
    engine.exit(mark);
  }
}

/**
 * An engine from the operations of one that opens scopes itself, with `wrap` made of them: what
 * the async-context-frame, async-hooks and synchronous engines share.
 */
export function scopedEngine(kind: EngineKind, ops: Omit<Engine, 'kind' | 'wrap'>): Engine {
  const engine: Engine = {
    kind,
    ...ops,
    wrap: (cell, context, fn, thisArg, args) => wrapInScope(engine, cell, context, fn, thisArg, args),
  };
  return engine;
}
