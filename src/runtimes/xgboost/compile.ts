/**
 * Compiles a BoosterSpec into flat typed arrays and evaluates row-major float32 batches to
 * margins. All trees share one set of node arrays (children hold absolute indices), so the hot
 * loop touches only typed arrays: no per-node objects, no closures, no allocation per row.
 *
 * Semantics follow XGBoost's CPU predictor:
 * - a numeric split sends `x < condition` left, both float32 (inputs are float32 before they get
 *   here); NaN is missing and takes the node's default direction;
 * - a categorical split sends a category in the node's set right, others left; a missing value
 *   takes the default direction and an invalid category (negative, ≥ 2^24) goes left (XGBoost 2.x);
 * - margins accumulate in float32, tree by tree in file order, starting from the base margin:
 *   storing into a Float32Array after each add is exactly float32 addition.
 *
 * Rows go through in blocks of 64, all trees per block, so a block's rows stay in cache while
 * each tree's nodes are reused 64 times (XGBoost's CPU predictor blocks the same way).
 */
import { type BoosterSpec, outputGroups } from './spec.ts';

const BLOCK_ROWS = 64;
/** Largest category a bitset can hold (XGBoost: categories must be exactly representable in float32). */
const MAX_CATEGORY = 1 << 24;

export interface CompiledBooster {
  readonly numFeature: number;
  /** Margin columns per row. */
  readonly groups: number;
  /** Margins [rows, groups] for row-major `x` [rows, numFeature]; NaN = missing. */
  predictMargins(x: Float32Array, rows: number): Float32Array;
}

/** Compiles a spec; `baseMargin` has one value per output group (already in margin space). */
export function compileBooster(spec: BoosterSpec, baseMargin: Float32Array): CompiledBooster {
  if (spec.booster === 'gblinear') return new LinearBooster(spec, baseMargin);
  return new TreeEnsemble(spec, baseMargin);
}

class TreeEnsemble implements CompiledBooster {
  readonly numFeature: number;
  readonly groups: number;
  private readonly left: Int32Array;
  private readonly right: Int32Array;
  private readonly missing: Int32Array;
  private readonly feature: Int32Array;
  private readonly value: Float32Array;
  /** Per node: start of its category bitset in `catBits`, or -1 for a numeric split. */
  private readonly catStart: Int32Array;
  private readonly catWords: Int32Array;
  private readonly catBits: Uint32Array;
  private readonly roots: Int32Array;
  private readonly treeGroup: Int32Array;
  private readonly hasCategorical: boolean;

  constructor(spec: BoosterSpec, private readonly baseMargin: Float32Array) {
    this.numFeature = spec.numFeature;
    this.groups = outputGroups(spec);
    const total = spec.trees.reduce((s, t) => s + t.left.length, 0);
    this.left = new Int32Array(total);
    this.right = new Int32Array(total);
    this.missing = new Int32Array(total);
    this.feature = new Int32Array(total);
    this.value = new Float32Array(total);
    this.catStart = new Int32Array(total).fill(-1);
    this.catWords = new Int32Array(total);
    this.roots = new Int32Array(spec.trees.length);
    this.treeGroup = spec.treeGroup;
    const bits: number[] = [];
    let base = 0;
    spec.trees.forEach((t, ti) => {
      // Dart scales each tree's leaves by its weight; folding it in keeps the loop the same.
      const w = spec.treeWeights ? spec.treeWeights[ti]! : 1;
      this.roots[ti] = base;
      for (let i = 0; i < t.left.length; i++) {
        const k = base + i;
        const leaf = t.left[i] === -1;
        this.left[k] = leaf ? -1 : base + t.left[i]!;
        this.right[k] = leaf ? -1 : base + t.right[i]!;
        this.missing[k] = t.defaultLeft[i] ? this.left[k] : this.right[k];
        this.feature[k] = t.feature[i]!;
        this.value[k] = leaf ? Math.fround(t.condition[i]! * w) : t.condition[i]!;
        const cats = leaf ? undefined : t.categories.get(i);
        if (cats) {
          this.catStart[k] = bits.length;
          const words = cats.length === 0 ? 0 : (Math.max(...cats) >>> 5) + 1;
          this.catWords[k] = words;
          const start = bits.length;
          for (let j = 0; j < words; j++) bits.push(0);
          for (const c of cats) if (c >= 0 && c < MAX_CATEGORY) bits[start + (c >>> 5)]! |= 1 << (c & 31);
        }
      }
      base += t.left.length;
    });
    this.catBits = Uint32Array.from(bits);
    this.hasCategorical = spec.trees.some((t) => t.categories.size > 0);
  }

  predictMargins(x: Float32Array, rows: number): Float32Array {
    const G = this.groups;
    const F = this.numFeature;
    const out = new Float32Array(rows * G);
    for (let r = 0; r < rows; r++) out.set(this.baseMargin, r * G);
    const { left, right, missing, feature, value, roots, treeGroup } = this;
    for (let r0 = 0; r0 < rows; r0 += BLOCK_ROWS) {
      const r1 = Math.min(rows, r0 + BLOCK_ROWS);
      for (let t = 0; t < roots.length; t++) {
        const root = roots[t]!;
        const g = treeGroup[t]!;
        for (let r = r0; r < r1; r++) {
          const row = r * F;
          let n = root;
          let l = left[n]!;
          while (l >= 0) {
            const v = x[row + feature[n]!]!;
            if (v !== v) n = missing[n]!;
            else if (this.hasCategorical && this.catStart[n]! >= 0) n = this.categorical(n, v) ? right[n]! : l;
            else n = v < value[n]! ? l : right[n]!;
            l = left[n]!;
          }
          const o = r * G + g;
          out[o] = out[o]! + value[n]!;
        }
      }
    }
    return out;
  }

  /** True when category `v` is in node `n`'s set (goes right). */
  private categorical(n: number, v: number): boolean {
    if (v < 0 || v >= MAX_CATEGORY) return false;
    const c = Math.trunc(v);
    const word = c >>> 5;
    if (word >= this.catWords[n]!) return false;
    return (this.catBits[this.catStart[n]! + word]! & (1 << (c & 31))) !== 0;
  }
}

/** gblinear: margin = base + bias + Σ x_f · w_f over present (non-NaN) features, in float32. */
class LinearBooster implements CompiledBooster {
  readonly numFeature: number;
  readonly groups: number;
  private readonly weights: Float32Array;

  constructor(spec: BoosterSpec, private readonly baseMargin: Float32Array) {
    this.numFeature = spec.numFeature;
    this.groups = outputGroups(spec);
    this.weights = spec.linearWeights!;
  }

  predictMargins(x: Float32Array, rows: number): Float32Array {
    const G = this.groups;
    const F = this.numFeature;
    const w = this.weights;
    const out = new Float32Array(rows * G);
    for (let r = 0; r < rows; r++) {
      for (let g = 0; g < G; g++) {
        let sum = Math.fround(this.baseMargin[g]! + w[F * G + g]!);
        for (let f = 0; f < F; f++) {
          const v = x[r * F + f]!;
          if (v === v) sum = Math.fround(sum + Math.fround(v * w[f * G + g]!));
        }
        out[r * G + g] = sum;
      }
    }
    return out;
  }
}
