/**
 * The memory layout the compiled evaluator walks: every node of every tree packed into one
 * ArrayBuffer, four 32-bit words per node, so one node is one 16-byte load from one cache line:
 *
 *   word 0  split feature index
 *   word 1  word offset of the left child; the right child is always the next node (+4); -1 = leaf
 *   word 2  float32 threshold (split) or leaf value (leaf), read through a Float32Array view
 *   word 3  0 when a missing value goes left, 4 when it goes right (added to word 1)
 *
 * Trees are renumbered breadth-first while packing so that siblings are adjacent (XGBoost's own
 * ids usually are, but nothing guarantees it) and unreachable (deleted) nodes are dropped.
 *
 * Example: a stump "x[2] < 3 → 0.45 else -0.05, missing right" packs as
 *   node 0: [2, 4, 3.0, 4]   node 1: [0, -1, 0.45, 0]   node 2: [0, -1, -0.05, 0]
 */
import type { BoosterSpec } from './spec.ts';

/** Largest category a bitset holds (XGBoost: categories must be exactly representable in float32). */
export const MAX_CATEGORY = 1 << 24;
export const NODE_WORDS = 4;

export interface PackedForest {
  words: Int32Array;
  /** The same buffer as `words`, for words 2 (thresholds and leaf values). */
  floats: Float32Array;
  /** Word offset of each tree's root. */
  roots: Int32Array;
  /** Per node (by node number = word offset / 4): start of its bitset in `catBits`, or -1. */
  catStart: Int32Array;
  /** Per node: number of 32-bit words in its bitset. */
  catWords: Int32Array;
  catBits: Uint32Array;
  hasCategorical: boolean;
}

/** Packs the trees of a gbtree/dart spec; dart tree weights are folded into the leaf values. */
export function packForest(spec: BoosterSpec): PackedForest {
  const total = spec.trees.reduce((s, t) => s + t.left.length, 0);
  const words = new Int32Array(total * NODE_WORDS);
  const floats = new Float32Array(words.buffer);
  const catStart = new Int32Array(total).fill(-1);
  const catWords = new Int32Array(total);
  const roots = new Int32Array(spec.trees.length);
  const bits: number[] = [];
  let next = 0; // next free node number
  spec.trees.forEach((t, ti) => {
    const w = spec.treeWeights ? spec.treeWeights[ti]! : 1;
    roots[ti] = next * NODE_WORDS;
    const queue = [0];
    const placed = [next++];
    for (let q = 0; q < queue.length; q++) {
      const old = queue[q]!;
      const k = placed[q]!;
      const o = k * NODE_WORDS;
      if (t.left[old] === -1) {
        words[o + 1] = -1;
        floats[o + 2] = Math.fround(t.condition[old]! * w);
        continue;
      }
      const left = next;
      next += 2;
      queue.push(t.left[old]!, t.right[old]!);
      placed.push(left, left + 1);
      words[o] = t.feature[old]!;
      words[o + 1] = left * NODE_WORDS;
      floats[o + 2] = t.condition[old]!;
      words[o + 3] = t.defaultLeft[old] ? 0 : NODE_WORDS;
      const cats = t.categories.get(old);
      if (cats) {
        const n = cats.length === 0 ? 0 : (Math.max(...cats) >>> 5) + 1;
        catStart[k] = bits.length;
        catWords[k] = n;
        const start = bits.length;
        for (let j = 0; j < n; j++) bits.push(0);
        for (const c of cats) if (c >= 0 && c < MAX_CATEGORY) bits[start + (c >>> 5)] = bits[start + (c >>> 5)]! | (1 << (c & 31));
      }
    }
  });
  return {
    words, floats, roots, catStart, catWords,
    catBits: Uint32Array.from(bits),
    hasCategorical: spec.trees.some((t) => t.categories.size > 0),
  };
}
