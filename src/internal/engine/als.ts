import type { AsyncLocalStorage } from 'node:async_hooks';
import type { Context as OtelContext } from '@opentelemetry/api';
import { scopedEngine } from './call';
import { leaveAll } from './root';
import type { Cell, Engine, Frame, Mark } from './types';

/**
 * Everything the AsyncLocalStorage engine keeps, as data that every loaded copy of the package
 * works on with its own code (see index.ts).
 */
export interface AlsStore {
  readonly kind: 'async-context-frame' | 'fallback';
  readonly Storage: typeof AsyncLocalStorage;
  readonly root: Frame;
  /** Replaced by disable(): the stores of the old one are active nowhere. */
  als: AsyncLocalStorage<Frame>;
  /**
   * The open scopes of this synchronous run, innermost last, two slots each: the store before it
   * and the cell it entered (null for a `with`). One flat array, cleared slot by slot and never
   * shrunk: changing an array's length costs more than the rest of a `with`.
   */
  readonly scopes: (Frame | Cell | null | undefined)[];
  depth: number;
}

/** The AsyncLocalStorage engine's state, made once per process by the copy that chose it. */
export function alsStore(kind: AlsStore['kind'], Storage: typeof AsyncLocalStorage, root: Frame): AlsStore {
  return { kind, Storage, root, als: new Storage<Frame>(), scopes: [], depth: 0 };
}

/**
 * The engine on Node's own AsyncLocalStorage, used as it is. Right where AsyncLocalStorage runs
 * on AsyncContextFrame (Node 24+, 22 with `--experimental-async-context-frame`): every callback
 * starts from the frame captured when it was scheduled, so `enterWith` never reaches the next
 * callback of the same resource. Elsewhere it is only the fallback (see index.ts): values are
 * always seen, but `enterWith` sticks to the current resource (nodejs/node#41978).
 */
export function createAlsEngine(s: AlsStore): Engine {
  const { root, scopes } = s;

  function current(): Frame {
    return s.als.getStore() ?? root;
  }

  function set(next: Frame): void {
    s.als.enterWith(next);
  }

  // What AsyncLocalStorage.run does on AsyncContextFrame (enter, call, enter the prior store),
  // split in two so that the public method's own frame is the only one per nesting level.
  function enter(cell: Cell, context: OtelContext): number {
    const als = s.als;
    const mark = s.depth;
    scopes[mark] = als.getStore();
    scopes[mark + 1] = cell;
    s.depth = mark + 2;
    cell.enter();
    als.enterWith({ cell, context, inRun: true });
    return mark;
  }

  function withData(context: OtelContext): number {
    const als = s.als;
    const stored = als.getStore();
    const mark = s.depth;
    scopes[mark] = stored;
    scopes[mark + 1] = null;
    s.depth = mark + 2;
    const outer = stored ?? root;
    // Already there (`with(active(), fn)`, a bound function called in its own context): no new
    // AsyncContextFrame, the largest cost here; a set() inside fn must still not reach the caller.
    if (outer.context !== context) als.enterWith({ cell: outer.cell, context, inRun: outer.inRun });
    return mark;
  }

  function exit(mark: Mark): void {
    // A scope open across a disable(): the stack was emptied, nothing of it comes back. (Marks
    // here are always places on the stack.)
    if (typeof mark !== 'number' || mark >= s.depth) return;
    const als = s.als;
    const stored = scopes[mark] as Frame | undefined;
    for (let at = s.depth - 2; at >= mark; at -= 2) {
      const cell = scopes[at + 1] as Cell | null;
      if (cell !== null) {
        const inner = als.getStore();
        cell.exit(inner?.cell === cell ? inner.context : cell.context);
        // A scope left open inside this one: its own store before comes back before ours.
        if (at > mark) als.enterWith((scopes[at] as Frame | undefined) ?? root);
      }
      // Cleared, so the stack keeps no frame or cell alive after its scope.
      scopes[at] = undefined;
      scopes[at + 1] = undefined;
    }
    s.depth = mark;
    if (als.getStore() !== stored) als.enterWith(stored ?? root);
  }

  function disable(): void {
    leaveAll(scopes, s.depth, 2, 1);
    scopes.fill(undefined);
    s.depth = 0;
    // A new storage: every store of the old one is active nowhere. The old one stops copying its
    // stores onto new resources (the fallback engine runs on async hooks).
    const old = s.als;
    s.als = new s.Storage<Frame>();
    old.disable();
  }

  return scopedEngine(s.kind, { current, set, enter, with: withData, exit, disable });
}
