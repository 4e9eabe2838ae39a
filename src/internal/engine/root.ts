import { ROOT_CONTEXT } from '@opentelemetry/api';
import { Cell } from './types';
import type { Frame } from './types';

/** The root frame of an engine: a root cell of its own with the empty OpenTelemetry Context. */
export function firstRoot(): Frame {
  return { cell: new Cell(ROOT_CONTEXT), context: ROOT_CONTEXT, inRun: false };
}

/**
 * What an engine's `disable()` does to the scopes open on the synchronous stack: each cell they
 * entered is left (it keeps the mapping it started from), and the stack is emptied, so their
 * closes restore nothing from before and `exit(mark)` of such a scope finds nothing to close.
 */
export function leaveAll(cells: readonly unknown[]): void {
  for (const cell of cells) if (cell instanceof Cell && cell.entered) cell.exit(cell.context);
}
