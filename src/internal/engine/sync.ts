import type { Context as OtelContext } from '@opentelemetry/api';
import { scopedEngine } from './call';
import { rootFrame } from './root';
import type { Cell, Engine, Frame } from './types';

/**
 * The engine where there is no AsyncLocalStorage at all (browsers): one current frame, saved and
 * restored around each scope on the call stack, as OpenTelemetry's StackContextManager does.
 * Scopes hold for synchronous code: a callback or an `await` continuation runs in whatever frame is
 * current when it runs (the root frame, outside every scope), not the one it was scheduled in.
 * A set outside every scope changes the root frame, which is fine where one page is one user.
 */
export function createSyncEngine(first: Frame): Engine {
  let root = first;
  let frame = first;
  // The frame before each open scope and the cell it entered (null for a `with`), innermost last.
  const before: Frame[] = [];
  const entered: (Cell | null)[] = [];

  function current(): Frame {
    return frame.epoch === root.epoch ? frame : root;
  }

  function set(next: Frame): void {
    frame = next;
  }

  function enter(cell: Cell, context: OtelContext): number {
    const mark = before.length;
    before.push(frame);
    entered.push(cell);
    cell.enter();
    frame = { cell, context, inRun: true, epoch: root.epoch };
    return mark;
  }

  function withData(context: OtelContext): number {
    const mark = before.length;
    const base = current();
    before.push(frame);
    entered.push(null);
    frame = { cell: base.cell, context, inRun: base.inRun, epoch: root.epoch };
    return mark;
  }

  function exit(mark: number): void {
    for (let i = entered.length - 1; i >= mark; i--) {
      const cell = entered[i];
      if (cell !== null) cell.exit(frame.cell === cell ? frame.context : cell.context);
      frame = before[i];
    }
    before.length = mark;
    entered.length = mark;
  }

  function disable(): void {
    root = rootFrame(root.cell, root.epoch + 1);
    frame = root;
  }

  return scopedEngine('synchronous', { current, set, enter, with: withData, exit, disable });
}
