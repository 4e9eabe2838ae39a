import type { AsyncLocalStorage } from 'node:async_hooks';
import { RuntimeError } from '../../errors';
import { invoke } from './call';
import type { Engine, Frame } from './types';

/** The store of one scope: the frame its sets replace (mutable, unlike a frame). */
interface Box {
  frame: Frame;
}

/** The run-scoped engine's state, data every loaded copy works on with its own code (see index.ts). */
export interface ScopedStore {
  readonly kind: 'run-scoped';
  readonly Storage: typeof AsyncLocalStorage;
  readonly root: Frame;
  /** Replaced by disable(): the boxes of the old one are read nowhere (workerd's disable() throws). */
  als: AsyncLocalStorage<Box>;
}

/** The run-scoped engine's state, made once per process by the copy that chose it. */
export function scopedStore(Storage: typeof AsyncLocalStorage, root: Frame): ScopedStore {
  return { kind: 'run-scoped', Storage, root, als: new Storage<Box>() };
}

/**
 * The engine where only `AsyncLocalStorage.run` works (Cloudflare workerd with `nodejs_compat`,
 * the Vercel / Next.js edge runtime: `enterWith` throws or is missing). Every scope (`run`,
 * `Context.run`, `isolated`, the manager's `with`, which instrumentations call per request) runs
 * in a box of its own, and a set replaces the frame in the current box. So inside a scope a set is
 * seen by the rest of it, including async work the scope scheduled before the set (the difference
 * from the Node engines); outside every scope there is no box, and a set there would be a
 * process-wide write that every concurrent request sees: it throws instead.
 */
export function createScopedEngine(s: ScopedStore): Engine {
  const { root } = s;

  function current(): Frame {
    const box = s.als.getStore();
    return box === undefined ? root : box.frame;
  }

  function set(next: Frame): void {
    const box = s.als.getStore();
    if (box === undefined) {
      throw new RuntimeError(
        'cannot set a ContextVar outside any scope on this runtime (only AsyncLocalStorage.run works here): the ' +
          'value would be seen by every concurrent request. Run the handler in a scope: isolated(handler), ' +
          'ContextVar.run(value, fn) or copyContext().run(fn)',
      );
    }
    box.frame = next;
  }

  // Scopes cannot be opened here without wrapping the call: the public methods call wrap().
  function cannotOpen(): number {
    return -1;
  }

  const wrap: Engine['wrap'] = (cell, context, fn, thisArg, args) => {
    if (cell === null) {
      const outer = current();
      return s.als.run({ frame: { cell: outer.cell, context, inRun: outer.inRun } }, invoke, fn, thisArg, args);
    }
    const box: Box = { frame: { cell, context, inRun: true } };
    cell.enter();
    try {
      return s.als.run(box, invoke, fn, thisArg, args);
    } finally {
      cell.exit(box.frame.cell === cell ? box.frame.context : context);
    }
  };

  function disable(): void {
    s.als = new s.Storage<Box>();
  }

  return {
    kind: 'run-scoped',
    current,
    set,
    enter: cannotOpen,
    with: cannotOpen,
    exit: () => undefined,
    wrap,
    disable,
  };
}
