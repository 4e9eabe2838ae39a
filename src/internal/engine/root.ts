import { ROOT_CONTEXT } from '@opentelemetry/api';
import { Cell } from './types';
import type { Frame } from './types';

/** The root frame of an engine: a root cell of its own with the empty OpenTelemetry Context. */
export function firstRoot(): Frame {
  return { cell: new Cell(ROOT_CONTEXT), context: ROOT_CONTEXT, inRun: false };
}

/**
 * What an engine's `disable()` does to the scopes open on the synchronous stack: each cell they
 * entered is left (it keeps the mapping it started from), so their closes restore nothing from
 * before. `scopes` holds `stride` slots per open scope, below `depth`, the cell (or null) at
 * `cellAt` in each; the caller empties it after.
 */
export function leaveAll(scopes: readonly unknown[], depth: number, stride: number, cellAt: number): void {
  for (let at = cellAt; at < depth; at += stride) {
    const cell = scopes[at] as Cell | null | undefined;
    if (cell?.entered === true) cell.exit(cell.context);
  }
}
