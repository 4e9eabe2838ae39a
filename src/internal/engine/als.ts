import type { AsyncLocalStorage } from 'node:async_hooks';
import type { Context as OtelContext } from '@opentelemetry/api';
import { scopedEngine } from './call';
import { rootFrame } from './root';
import type { Cell, Engine, EngineKind, Frame } from './types';

/**
 * The engine on Node's own AsyncLocalStorage, used as it is. Right where AsyncLocalStorage runs
 * on AsyncContextFrame (Node 24+, 22 with `--experimental-async-context-frame`): every callback
 * starts from the frame captured when it was scheduled, so `enterWith` never reaches the next
 * callback of the same resource. Elsewhere it is only the fallback (see index.ts): values are
 * always seen, but `enterWith` sticks to the current resource (nodejs/node#41978).
 */
export function createAlsEngine(kind: EngineKind, Storage: typeof AsyncLocalStorage, first: Frame): Engine {
  const als = new Storage<Frame>();
  let root = first;
  // The open scopes of this synchronous run, innermost last: the store before each, and the cell
  // it entered (null for a `with`). A scope opens and closes within one synchronous call.
  // Slots past `depth` are cleared, never shrunk: changing an array's length costs more than the
  // rest of a scope.
  const before: (Frame | undefined)[] = [];
  const entered: (Cell | null)[] = [];
  let depth = 0;

  function valid(frame: Frame | undefined): frame is Frame {
    return frame?.epoch === root.epoch;
  }

  function current(): Frame {
    const frame = als.getStore();
    return valid(frame) ? frame : root;
  }

  function set(next: Frame): void {
    als.enterWith(next);
  }

  // What AsyncLocalStorage.run does on AsyncContextFrame (enter, call, enter the prior store),
  // split in two so that the public method's own frame is the only one per nesting level.
  function enter(cell: Cell, context: OtelContext): number {
    const mark = depth++;
    before[mark] = als.getStore();
    entered[mark] = cell;
    cell.enter();
    als.enterWith({ cell, context, inRun: true, epoch: root.epoch });
    return mark;
  }

  function withData(context: OtelContext): number {
    const stored = als.getStore();
    const mark = depth++;
    before[mark] = stored;
    entered[mark] = null;
    const outer = valid(stored) ? stored : root;
    // Already there (`with(active(), fn)`, a bound function called in its own context): no new
    // AsyncContextFrame, the largest cost here; a set() inside fn must still not reach the caller.
    if (outer.context !== context) als.enterWith({ cell: outer.cell, context, inRun: outer.inRun, epoch: root.epoch });
    return mark;
  }

  function exit(mark: number): void {
    for (let i = depth - 1; i >= mark; i--) {
      const cell = entered[i];
      if (cell !== null) {
        const inner = als.getStore();
        cell.exit(inner?.cell === cell ? inner.context : cell.context);
        // A scope left open inside this one: its own store before comes back before ours.
        if (i > mark) als.enterWith(before[i] ?? root);
      }
      entered[i] = null;
    }
    const stored = before[mark];
    // Cleared, so the stack keeps no frame alive after its scope.
    for (let i = mark; i < depth; i++) before[i] = undefined;
    depth = mark;
    if (als.getStore() !== stored) als.enterWith(stored ?? root);
  }

  function disable(): void {
    root = rootFrame(root.cell, root.epoch + 1);
  }

  return scopedEngine(kind, { current, set, enter, with: withData, exit, disable });
}
