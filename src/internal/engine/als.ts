import type { AsyncLocalStorage } from 'node:async_hooks';
import type { Context as OtelContext } from '@opentelemetry/api';
import { scopedEngine } from './call';
import { leaveAll } from './root';
import type { Cell, Engine, EngineKind, Frame } from './types';

/**
 * The engine on Node's own AsyncLocalStorage, used as it is. Right where AsyncLocalStorage runs
 * on AsyncContextFrame (Node 24+, 22 with `--experimental-async-context-frame`): every callback
 * starts from the frame captured when it was scheduled, so `enterWith` never reaches the next
 * callback of the same resource. Elsewhere it is only the fallback (see index.ts): values are
 * always seen, but `enterWith` sticks to the current resource (nodejs/node#41978).
 */
export function createAlsEngine(kind: EngineKind, Storage: typeof AsyncLocalStorage, root: Frame): Engine {
  let als = new Storage<Frame>();
  // The open scopes of this synchronous run, innermost last, two slots each: the store before it
  // and the cell it entered (null for a `with`). One flat array, cleared slot by slot and never
  // shrunk: changing an array's length costs more than the rest of a `with`.
  const scopes: (Frame | Cell | null | undefined)[] = [];
  let depth = 0;

  function current(): Frame {
    return als.getStore() ?? root;
  }

  function set(next: Frame): void {
    als.enterWith(next);
  }

  // What AsyncLocalStorage.run does on AsyncContextFrame (enter, call, enter the prior store),
  // split in two so that the public method's own frame is the only one per nesting level.
  function enter(cell: Cell, context: OtelContext): number {
    const mark = depth;
    scopes[mark] = als.getStore();
    scopes[mark + 1] = cell;
    depth = mark + 2;
    cell.enter();
    als.enterWith({ cell, context, inRun: true });
    return mark;
  }

  function withData(context: OtelContext): number {
    const stored = als.getStore();
    const mark = depth;
    scopes[mark] = stored;
    scopes[mark + 1] = null;
    depth = mark + 2;
    const outer = stored ?? root;
    // Already there (`with(active(), fn)`, a bound function called in its own context): no new
    // AsyncContextFrame, the largest cost here; a set() inside fn must still not reach the caller.
    if (outer.context !== context) als.enterWith({ cell: outer.cell, context, inRun: outer.inRun });
    return mark;
  }

  function exit(mark: number): void {
    // A scope open across a disable(): the stack was emptied, nothing of it comes back.
    if (mark >= depth) return;
    const stored = scopes[mark] as Frame | undefined;
    for (let at = depth - 2; at >= mark; at -= 2) {
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
    depth = mark;
    if (als.getStore() !== stored) als.enterWith(stored ?? root);
  }

  function disable(): void {
    leaveAll(scopes.slice(0, depth));
    scopes.fill(undefined);
    depth = 0;
    // A new storage: every store of the old one is active nowhere. The old one stops copying its
    // stores onto new resources (the fallback engine runs on async hooks).
    const old = als;
    als = new Storage<Frame>();
    old.disable();
  }

  return scopedEngine(kind, { current, set, enter, with: withData, exit, disable });
}
