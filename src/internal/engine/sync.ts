import type { Context as OtelContext } from '@opentelemetry/api';
import { scopedEngine } from './call';
import { leaveAll } from './root';
import type { Cell, Engine, Frame } from './types';

/**
 * The engine where there is no AsyncLocalStorage at all (browsers): one current frame, saved and
 * restored around each scope on the call stack, as OpenTelemetry's StackContextManager does.
 * Scopes hold for synchronous code: a callback or an `await` continuation runs in whatever frame is
 * current when it runs (the root frame, outside every scope), not the one it was scheduled in.
 * A set outside every scope changes the root frame, which is fine where one page is one user.
 */
export function createSyncEngine(root: Frame): Engine {
  let frame = root;
  // The frame before each open scope and the cell it entered (null for a `with`), innermost last.
  // Browsers have no stack of requests to keep short, so plain arrays.
  const before: Frame[] = [];
  const entered: (Cell | null)[] = [];

  function current(): Frame {
    return frame;
  }

  function set(next: Frame): void {
    frame = next;
  }

  function enter(cell: Cell, context: OtelContext): number {
    const mark = before.length;
    before.push(frame);
    entered.push(cell);
    cell.enter();
    frame = { cell, context, inRun: true };
    return mark;
  }

  function withData(context: OtelContext): number {
    const mark = before.length;
    before.push(frame);
    entered.push(null);
    frame = { cell: frame.cell, context, inRun: frame.inRun };
    return mark;
  }

  function exit(mark: number): void {
    // A scope open across a disable(): the stack was emptied, nothing of it comes back.
    if (mark >= before.length) return;
    for (let i = entered.length - 1; i >= mark; i--) {
      const cell = entered[i];
      if (cell !== null) cell.exit(frame.cell === cell ? frame.context : cell.context);
      frame = before[i];
    }
    before.length = mark;
    entered.length = mark;
  }

  function disable(): void {
    leaveAll(entered);
    before.length = 0;
    entered.length = 0;
    frame = root;
  }

  return scopedEngine('synchronous', { current, set, enter, with: withData, exit, disable });
}
