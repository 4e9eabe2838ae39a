// A persistent hash array mapped trie keyed by small positive integers (each ContextVar's id).
// CPython stores context variables in a HAMT for the same reason: setting a var copies
// O(log32 n) nodes instead of the whole mapping, so set/reset cost stays flat as vars accumulate,
// and every older version stays valid (snapshots are free).
//
// Invariants: nodes are never mutated after construction; ids are unique, so a slot holds either
// exactly one leaf or a child node (no collision lists); slots are ordered by their 5-bit index,
// so iteration order depends only on the set of ids, never on insertion history.

/**
 * The package's one marker for "no binding", distinct from every value including undefined:
 * returned by {@link lookup} when the id is not bound, and passed on by var-context.ts.
 * Integrations pass it as the default to `getIn`: it comes back only when the var has no binding,
 * which tells "unbound" apart from "bound to undefined" without the var's own default getting in.
 */
export const NO_VALUE: unique symbol = Symbol('otel-contextvars.no-value');

/** One binding: the var's id, the var itself (for iteration), and its value. */
export class Leaf {
  constructor(
    readonly id: number,
    readonly key: object,
    readonly value: unknown,
  ) {}
}

/** An interior node: a 32-bit occupancy bitmap and one slot per set bit. */
export class HamtNode {
  constructor(
    readonly bitmap: number,
    readonly slots: readonly (Leaf | HamtNode)[],
  ) {}
}

/**
 * Tells a leaf from a node by its fields, not its class: another loaded copy of the package (same
 * state format) builds its tries from its own classes, and each copy walks and extends the others'
 * tries with its own code.
 */
function isLeaf(slot: Leaf | HamtNode): slot is Leaf {
  return 'id' in slot;
}

const BITS = 5;
const MASK = 31;

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/** The value bound to `id`, or {@link NO_VALUE}. O(log32 n). */
export function lookup(root: HamtNode | null, id: number): unknown {
  let node = root;
  let shift = 0;
  while (node !== null) {
    const bit = 1 << ((id >>> shift) & MASK);
    if ((node.bitmap & bit) === 0) return NO_VALUE;
    const slot = node.slots[popcount(node.bitmap & (bit - 1))];
    if (isLeaf(slot)) return slot.id === id ? slot.value : NO_VALUE;
    node = slot;
    shift += BITS;
  }
  return NO_VALUE;
}

// Slot arrays are built at their exact length: growing a copy with push() leaves V8's growth
// slack (16+ unused slots) in every node, which live contexts would retain (measured: 130 bytes
// per bound var at 100 vars, against 45 with exact arrays).
function replaced<T>(slots: readonly T[], at: number, item: T): T[] {
  const copy = slots.slice();
  copy[at] = item;
  return copy;
}

function inserted<T>(slots: readonly T[], at: number, item: T): T[] {
  return slots.toSpliced(at, 0, item);
}

function removed<T>(slots: readonly T[], at: number): T[] {
  return slots.toSpliced(at, 1);
}

/** A node holding two leaves whose ids agree on all bits below `shift`. */
function pair(a: Leaf, b: Leaf, shift: number): HamtNode {
  const ia = (a.id >>> shift) & MASK;
  const ib = (b.id >>> shift) & MASK;
  if (ia === ib) return new HamtNode(1 << ia, [pair(a, b, shift + BITS)]);
  return new HamtNode((1 << ia) | (1 << ib), ia < ib ? [a, b] : [b, a]);
}

/** A new root with `leaf` bound (replacing any binding of the same id). */
export function assoc(node: HamtNode | null, leaf: Leaf, shift = 0): HamtNode {
  const bit = 1 << ((leaf.id >>> shift) & MASK);
  if (node === null) return new HamtNode(bit, [leaf]);
  const at = popcount(node.bitmap & (bit - 1));
  if ((node.bitmap & bit) === 0) return new HamtNode(node.bitmap | bit, inserted(node.slots, at, leaf));
  const slot = node.slots[at];
  let next: Leaf | HamtNode;
  if (!isLeaf(slot)) {
    next = assoc(slot, leaf, shift + BITS);
  } else if (slot.id === leaf.id) {
    next = leaf;
  } else {
    next = pair(slot, leaf, shift + BITS);
  }
  return new HamtNode(node.bitmap, replaced(node.slots, at, next));
}

/** A new root without `id` (the same root when `id` is not bound; null when it becomes empty). */
export function dissoc(node: HamtNode | null, id: number, shift = 0): HamtNode | null {
  if (node === null) return null;
  const bit = 1 << ((id >>> shift) & MASK);
  if ((node.bitmap & bit) === 0) return node;
  const at = popcount(node.bitmap & (bit - 1));
  const slot = node.slots[at];
  if (!isLeaf(slot)) {
    const child = dissoc(slot, id, shift + BITS);
    if (child === slot) return node;
    if (child !== null) {
      // A child left with a single leaf is folded into this node, keeping the trie minimal.
      const only = child.slots.length === 1 && isLeaf(child.slots[0]) ? child.slots[0] : child;
      return new HamtNode(node.bitmap, replaced(node.slots, at, only));
    }
  } else if (slot.id !== id) {
    return node;
  }
  if (node.bitmap === bit) return null;
  return new HamtNode(node.bitmap ^ bit, removed(node.slots, at));
}

/**
 * Every leaf, in the trie's stable order (depth first, slots in bitmap order). One generator with
 * an explicit stack: a recursive `yield*` costs a generator frame per level on every step.
 */
export function* leaves(root: HamtNode | null): Generator<Leaf> {
  if (root === null) return;
  const nodes: HamtNode[] = [root];
  const positions: number[] = [0];
  while (nodes.length > 0) {
    const top = nodes.length - 1;
    const node = nodes[top];
    const at = positions[top];
    if (at === node.slots.length) {
      nodes.pop();
      positions.pop();
      continue;
    }
    positions[top] = at + 1;
    const slot = node.slots[at];
    if (isLeaf(slot)) {
      yield slot;
    } else {
      nodes.push(slot);
      positions.push(0);
    }
  }
}
