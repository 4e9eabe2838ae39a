import { ROOT_CONTEXT } from '@opentelemetry/api';
import { Cell } from './types';
import type { Frame } from './types';

/** The frame of an epoch's root: the root cell with the empty OpenTelemetry Context. */
export function rootFrame(cell: Cell, epoch: number): Frame {
  return { cell, context: ROOT_CONTEXT, inRun: false, epoch };
}

/** The first root frame of an engine, in a root cell of its own. */
export function firstRoot(): Frame {
  return rootFrame(new Cell(ROOT_CONTEXT), 0);
}
