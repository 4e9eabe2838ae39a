import { ROOT_CONTEXT } from '@opentelemetry/api';
import type { Context as OtelContext, ContextManager } from '@opentelemetry/api';
import { engine, moveTo } from '../internal/engine/index';
import { isOtelContext } from '../internal/otel-context';
import { reprValue } from '../internal/repr';
import { bindEmitter, isEmitterLike } from './bind-emitter';

/** Set on every ContextVarsContextManager, whichever copy of the package made it. */
export const MANAGER_BRAND: unique symbol = Symbol.for('otel-contextvars.manager');

/**
 * Returned by `attach()`: `dispose()` (or `using`) restores the context active before the attach.
 * The shape of @opentelemetry/api 1.10's `ContextManagementToken`.
 */
export interface AttachToken extends Disposable {
  /** Restores the context that was active before the attach; a second call does nothing. */
  dispose(): void;
}

function checkContext(context: unknown): OtelContext {
  // Like the stock manager, a missing context means ROOT_CONTEXT; anything else that is not a
  // Context is refused, so active() never returns something spans and vars cannot be read from.
  if (context === undefined || context === null) return ROOT_CONTEXT;
  if (!isOtelContext(context)) throw new TypeError(`an OpenTelemetry Context was expected, got ${reprValue(context)}`);
  return context;
}

/**
 * OpenTelemetry `ContextManager` serving the one process-wide context that ContextVars live in:
 * with it registered, spans, baggage and vars share one active context. Every instance serves the
 * same context. Register it once:
 * `context.setGlobalContextManager(new ContextVarsContextManager())`.
 *
 * Behaves like OpenTelemetry's AsyncLocalStorageContextManager, except that `disable()` never
 * wipes values (vars keep working without any manager), and values set without reset never
 * reach the next request on a keep-alive connection on any Node.js line.
 */
export class ContextVarsContextManager implements ContextManager {
  /** Lets any copy of this package recognise a registered manager as one of ours. */
  readonly [MANAGER_BRAND] = true;
  readonly #patchKey = Symbol('otel-contextvars.bound-emitter');

  /** The active OpenTelemetry Context, vars included. */
  active(): OtelContext {
    return engine.current().context;
  }

  /**
   * Runs `fn` with `context` active: inside, `active()` is exactly `context`, and the vars are
   * those stored in it (`with(ROOT_CONTEXT, fn)`: all unset). The Python Context identity stays.
   * @typeParam F the callback's type, whose return type `with` returns
   */
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    context: OtelContext,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    // Checked here, not left to the engine: on AsyncContextFrame, AsyncLocalStorage.run would
    // throw Node's own TypeError, from another realm than the caller's under vm (jest).
    if (typeof fn !== 'function') throw new TypeError(`with: a function was expected, got ${reprValue(fn)}`);
    // Opened and closed here, around the call: one JS frame per nesting level (see the engine),
    // with as few locals as can be: the stack each level takes decides how deep `with` nests.
    const mark = engine.with((context = checkContext(context)));
    if (mark === -1) return engine.wrap(null, context, fn, thisArg, args);
    try {
      // A direct call where it can be: a spread of no arguments costs as much as the scope.
      if (thisArg !== undefined) return fn.apply(thisArg, args);
      return args.length === 0 ? (fn as () => ReturnType<F>)() : fn(...args);
    } finally {
      engine.exit(mark);
    }
  }

  /**
   * Binds a function (each call runs in `context`) or an EventEmitter (each listener added from
   * now on runs in `context`). Anything else is returned unchanged.
   */
  bind<T>(context: OtelContext, target: T): T {
    const ctx = checkContext(context);
    if (isEmitterLike(target)) {
      return bindEmitter(target, (listener) => this.#bindFunction(ctx, listener), this.#patchKey);
    }
    if (typeof target === 'function') return this.#bindFunction(ctx, target as (...a: unknown[]) => unknown) as T;
    return target;
  }

  #bindFunction<F extends (...a: unknown[]) => unknown>(ctx: OtelContext, target: F): F {
    const bound = function (this: unknown, ...args: unknown[]) {
      const mark = engine.with(ctx);
      if (mark === -1) return engine.wrap(null, ctx, target, this, args);
      try {
        return target.apply(this, args);
      } finally {
        engine.exit(mark);
      }
    };
    Object.defineProperty(bound, 'length', { value: target.length, configurable: true });
    return bound as F;
  }

  /** Nothing to switch on: the shared context always works. Returns `this`. */
  enable(): this {
    return this;
  }

  /**
   * Makes every context active until now active nowhere, as the stock manager's `disable()` does
   * (OpenTelemetry's tests disable the manager between tests and rely on it): callbacks scheduled
   * before run in the empty root context, vars unset. Returns `this`. Unlike the stock manager,
   * set/with/bind/attach keep working afterwards, with or without a manager registered.
   */
  disable(): this {
    engine.disable();
    return this;
  }

  /**
   * Makes `context` active for the rest of the current synchronous run and the async work it
   * schedules (api 1.10's `attach`). `dispose()` restores the previous context; once only.
   * Called in an async function before its first await, the change reaches the caller, as with
   * `ContextVar.set`.
   */
  attach(context: OtelContext): AttachToken {
    const ctx = checkContext(context);
    const frame = engine.current();
    const before = frame.context;
    moveTo(frame, ctx);
    let disposed = false;
    const dispose = (): void => {
      if (disposed) return;
      disposed = true;
      moveTo(engine.current(), before);
    };
    return { dispose, [Symbol.dispose]: dispose };
  }
}
