// The persistent trie under every var binding (src/internal/hamt.ts), driven against a plain Map
// with seeded random inserts, replacements and deletes, in the spirit of CPython's
// test_hamt_stress: after every step the trie and the model agree on every key, on size and on
// iteration order, the structure stays minimal, and every snapshot taken earlier is unchanged.
import { NO_VALUE, HamtNode, Leaf, assoc, dissoc, leaves, lookup } from '../../src/internal/hamt';
import { seededRandom } from '../support/prng';

const SEED = Number(process.env.HAMT_SEED ?? 0x5eed);

/** The order the trie promises: by 5-bit digits from the lowest, whatever the insertion history. */
function trieOrder(a: number, b: number): number {
  for (let shift = 0; shift < 32; shift += 5) {
    const d = ((a >>> shift) & 31) - ((b >>> shift) & 31);
    if (d !== 0) return d;
  }
  return 0;
}

function structureProblems(node: HamtNode | null, depth = 0): string[] {
  if (node === null) return [];
  const problems: string[] = [];
  let bits = 0;
  for (let b = node.bitmap; b !== 0; b &= b - 1) bits++;
  if (bits !== node.slots.length)
    problems.push(`depth ${depth}: bitmap has ${bits} bits for ${node.slots.length} slots`);
  if (node.slots.length === 0) problems.push(`depth ${depth}: empty node`);
  if (depth > 0 && node.slots.length === 1 && node.slots[0] instanceof Leaf)
    problems.push(`depth ${depth}: a lone leaf not folded up`);
  for (const slot of node.slots) if (slot instanceof HamtNode) problems.push(...structureProblems(slot, depth + 1));
  return problems;
}

function agree(root: HamtNode | null, model: Map<number, unknown>, probes: number[]): void {
  const listed = [...leaves(root)];
  expect(listed.map((l) => l.id)).toEqual([...model.keys()].sort(trieOrder));
  for (const leaf of listed) expect(leaf.value).toBe(model.get(leaf.id));
  for (const id of probes) expect(lookup(root, id)).toBe(model.has(id) ? model.get(id) : NO_VALUE);
  expect(structureProblems(root)).toEqual([]);
}

test(`5,000 seeded random steps (seed ${SEED}) against a Map: lookups, size, order, minimal structure, snapshots`, () => {
  const random = seededRandom(SEED);
  // Ids that collide on their low digits (deep tries) next to ids spread over 2^20.
  const pool = Array.from({ length: 400 }, (_, i) =>
    i < 200 ? 1 + ((i % 7) | ((i >> 3) << 10)) + (i % 3) * 32 : 1 + Math.floor(random() * 2 ** 20),
  );
  const ids = [...new Set(pool)];
  const key = {};
  let root: HamtNode | null = null;
  let model = new Map<number, unknown>();
  const snapshots: { root: HamtNode | null; model: Map<number, unknown> }[] = [];

  for (let step = 0; step < 5_000; step++) {
    const id = ids[Math.floor(random() * ids.length)];
    const r = random();
    if (r < 0.55) {
      const value = r < 0.05 ? undefined : { step };
      const before = model.get(id);
      const had = model.has(id);
      expect(lookup(root, id)).toBe(had ? before : NO_VALUE);
      root = assoc(root, new Leaf(id, key, value));
      model = new Map(model).set(id, value);
    } else {
      const next = dissoc(root, id);
      if (!model.has(id)) expect(next).toBe(root);
      root = next;
      model = new Map(model);
      model.delete(id);
    }
    if (step % 25 === 0) agree(root, model, ids.slice(0, 60).concat(id, 0, 2 ** 21 + id));
    if (step % 250 === 0) snapshots.push({ root, model });
  }
  agree(root, model, ids);
  // Persistence: no later step changed what an earlier root holds.
  for (const s of snapshots) agree(s.root, s.model, ids);
  expect(snapshots.length).toBe(20);
});

test('deleting every binding in random order leaves null, and each delete of a missing id returns the same root', () => {
  const random = seededRandom(SEED + 1);
  const ids = Array.from({ length: 2_000 }, (_, i) => i + 1);
  let root: HamtNode | null = null;
  for (const id of ids) root = assoc(root, new Leaf(id, ids, id));
  const order = ids.slice().sort(() => random() - 0.5);
  const model = new Map(ids.map((id) => [id, id] as [number, unknown]));
  for (const [i, id] of order.entries()) {
    root = dissoc(root, id);
    model.delete(id);
    expect(dissoc(root, id)).toBe(root);
    if (i % 100 === 0) agree(root, model, ids.slice(0, 200));
  }
  expect(root).toBeNull();
});
