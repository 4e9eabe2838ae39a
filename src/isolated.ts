import { Cell, engine } from './internal/engine/index';
import { reprValue } from './internal/repr';

/**
 * Wraps `fn` so that every call runs in its own copy of the context current at that call: what
 * the call sets, before or after any await, stays inside it. The JS form of an asyncio Task
 * (Python copies the context when `asyncio.create_task` is called). Use it for request handlers,
 * queue consumers and anything else called repeatedly from one long-lived place.
 */
export function isolated<A extends unknown[], R, This = unknown>(
  fn: (this: This, ...args: A) => R,
): (this: This, ...args: A) => R {
  if (typeof fn !== 'function') throw new TypeError(`isolated: a function was expected, got ${reprValue(fn)}`);
  return function isolatedCall(this: This, ...args: A): R {
    const context = engine.current().context;
    const cell = new Cell(context);
    // Opened and closed here, around the call: one JS frame per nesting level (see Engine).
    const mark = engine.enter(cell, context);
    if (mark < 0) return engine.wrap(cell, context, fn, this, args);
    try {
      return fn.apply(this, args);
    } finally {
      engine.exit(mark);
    }
  };
}
