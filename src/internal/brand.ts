import type { Context as OtelContext } from '@opentelemetry/api';
import type { Cell } from './engine/index';
import { shared } from './shared';

/**
 * What a Token knows, in one record its class keeps in a `#private` field: the var whose `set()`
 * made it, the value before, the cell (Python Context) the set ran in, the OTel contexts current
 * just before and just after the set, and whether a reset used it.
 */
export interface TokenState {
  readonly var: object;
  readonly oldValue: unknown;
  readonly cell: Cell;
  readonly before: OtelContext;
  readonly after: OtelContext;
  used: boolean;
}

type Reader<T> = (object: object) => T | undefined;

// Each class keeps its state in `#private` fields, so nothing outside the class can forge or read
// it. Two loaded copies of the package (two versions side by side in one npm tree, or a bundle
// next to node_modules) are two sets of classes, and neither may read the other's fields. So each
// copy registers, per kind of object, a reader that recognises its own objects; every copy asks
// all readers, its own usually first and only. The lists live in the shared slot (shared.ts).
const readers = shared('brand', () => ({
  varIds: [] as Reader<number>[],
  tokens: [] as Reader<TokenState>[],
  cells: [] as Reader<Cell>[],
}));

function ask<T>(list: Reader<T>[], value: unknown): T | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  for (const read of list) {
    const found = read(value);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Registers how this copy's ContextVar, Token and Context classes are recognised. */
export function registerReaders(kind: 'varIds', reader: Reader<number>): void;
export function registerReaders(kind: 'tokens', reader: Reader<TokenState>): void;
export function registerReaders(kind: 'cells', reader: Reader<Cell>): void;
export function registerReaders(
  kind: keyof typeof readers,
  reader: Reader<number> | Reader<TokenState> | Reader<Cell>,
): void {
  (readers[kind] as (typeof reader)[]).push(reader);
}

/** The trie id of a ContextVar of any loaded copy; undefined for anything else. */
export function varIdOf(value: unknown): number | undefined {
  return ask(readers.varIds, value);
}

/** The state of a Token of any loaded copy; undefined for anything else. */
export function tokenStateOf(value: unknown): TokenState | undefined {
  return ask(readers.tokens, value);
}

/** The cell behind a Context of any loaded copy; undefined for anything else. */
export function cellOf(value: unknown): Cell | undefined {
  return ask(readers.cells, value);
}
