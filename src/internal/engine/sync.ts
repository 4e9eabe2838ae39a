import type { Context as OtelContext } from '@opentelemetry/api';
import { scopedEngine } from './call';
import { leaveAll } from './root';
import type { Cell, Engine, Frame, Mark } from './types';

/** The synchronous engine's state, data every loaded copy works on with its own code (see index.ts). */
export interface SyncStore {
  readonly kind: 'synchronous';
  readonly root: Frame;
  /** The current frame. */
  frame: Frame;
  /**
   * The frame before each open scope and the cell it entered (null for a `with`), innermost last.
   * Browsers have no stack of requests to keep short, so plain arrays.
   */
  readonly before: Frame[];
  readonly entered: (Cell | null)[];
}

/** The synchronous engine's state, made once per process by the copy that chose it. */
export function syncStore(root: Frame): SyncStore {
  return { kind: 'synchronous', root, frame: root, before: [], entered: [] };
}

/**
 * The engine where there is no AsyncLocalStorage at all (browsers): one current frame, saved and
 * restored around each scope on the call stack, as OpenTelemetry's StackContextManager does.
 * Scopes hold for synchronous code: a callback or an `await` continuation runs in whatever frame is
 * current when it runs (the root frame, outside every scope), not the one it was scheduled in.
 * A set outside every scope changes the root frame, which is fine where one page is one user.
 */
export function createSyncEngine(s: SyncStore): Engine {
  const { root, before, entered } = s;

  function current(): Frame {
    return s.frame;
  }

  function set(next: Frame): void {
    s.frame = next;
  }

  function enter(cell: Cell, context: OtelContext): number {
    const mark = before.length;
    before.push(s.frame);
    entered.push(cell);
    cell.enter();
    s.frame = { cell, context, inRun: true };
    return mark;
  }

  function withData(context: OtelContext): number {
    const mark = before.length;
    before.push(s.frame);
    entered.push(null);
    s.frame = { cell: s.frame.cell, context, inRun: s.frame.inRun };
    return mark;
  }

  function exit(mark: Mark): void {
    // A scope open across a disable(): the stack was emptied, nothing of it comes back. (Marks
    // here are always places on the stack.)
    if (typeof mark !== 'number' || mark >= before.length) return;
    for (let i = entered.length - 1; i >= mark; i--) {
      const cell = entered[i];
      if (cell !== null) cell.exit(s.frame.cell === cell ? s.frame.context : cell.context);
      s.frame = before[i];
    }
    before.length = mark;
    entered.length = mark;
  }

  function disable(): void {
    leaveAll(entered, entered.length, 1, 0);
    before.length = 0;
    entered.length = 0;
    s.frame = root;
  }

  return scopedEngine('synchronous', { current, set, enter, with: withData, exit, disable });
}
