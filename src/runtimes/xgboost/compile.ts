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
 * Rows go through in blocks (blockRows), all trees per block, so a block's rows stay in cache
 * while each tree's nodes are reused for every row of the block.
 */
import { MAX_CATEGORY, NODE_WORDS, type PackedForest, packForest } from './layout.ts';
import { type BoosterSpec, outputGroups } from './spec.ts';

/**
 * Rows per block: as many as fit in about 512 KiB of input (L2-sized), 64 to 8192. Measured on a
 * 500-tree depth-6 model with 20 features and 10,000 distinct rows: 64 rows/block (XGBoost's
 * choice) 52k rows/s, 1024 61k, 6553 66k; bigger blocks reuse each tree's nodes more while they
 * are in L1.
 */
function blockRows(numFeature: number): number {
  return Math.max(64, Math.min(8192, Math.floor((512 * 1024) / (4 * Math.max(1, numFeature)))));
}

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
  private readonly forest: PackedForest;
  private readonly treeGroup: Int32Array;

  private readonly baseMargin: Float32Array;

  constructor(spec: BoosterSpec, baseMargin: Float32Array) {
    this.numFeature = spec.numFeature;
    this.groups = outputGroups(spec);
    const folded = foldLeadingLeaves(spec, baseMargin);
    this.baseMargin = folded.baseMargin;
    this.forest = packForest(folded.spec);
    this.treeGroup = folded.spec.treeGroup;
  }

  predictMargins(x: Float32Array, rows: number): Float32Array {
    const G = this.groups;
    const out = new Float32Array(rows * G);
    for (let r = 0; r < rows; r++) out.set(this.baseMargin, r * G);
    const { roots } = this.forest;
    const categorical = this.forest.hasCategorical;
    const block = blockRows(this.numFeature);
    for (let r0 = 0; r0 < rows; r0 += block) {
      const r1 = Math.min(rows, r0 + block);
      for (let t = 0; t < roots.length; t++) {
        if (categorical) this.treeWithCategories(roots[t]!, this.treeGroup[t]!, x, r0, r1, out);
        else this.tree(roots[t]!, this.treeGroup[t]!, x, r0, r1, out);
      }
    }
    return out;
  }

  /** Adds one tree's leaves for rows [r0, r1); numeric splits only (the common case). */
  private tree(root: number, g: number, x: Float32Array, r0: number, r1: number, out: Float32Array): void {
    const { words, floats } = this.forest;
    const F = this.numFeature;
    const G = this.groups;
    for (let r = r0; r < r1; r++) {
      const row = r * F;
      let n = root;
      let l = words[n + 1]!;
      while (l >= 0) {
        const v = x[row + words[n]!]!;
        // NaN fails `<`, so the missing check only runs on the right-hand path.
        n = v < floats[n + 2]! ? l : v !== v ? l + words[n + 3]! : l + NODE_WORDS;
        l = words[n + 1]!;
      }
      const o = r * G + g;
      out[o] = out[o]! + floats[n + 2]!;
    }
  }

  /** As `tree`, for forests with categorical splits (a slower walk, one call per row). */
  private treeWithCategories(root: number, g: number, x: Float32Array, r0: number, r1: number, out: Float32Array): void {
    for (let r = r0; r < r1; r++) {
      const o = r * this.groups + g;
      out[o] = out[o]! + this.forest.floats[this.leafWithCategories(root, x, r * this.numFeature) + 2]!;
    }
  }

  /** Word offset of the leaf a row reaches. */
  private leafWithCategories(root: number, x: Float32Array, row: number): number {
    const { words, floats, catStart } = this.forest;
    let n = root;
    for (let l = words[n + 1]!; l >= 0; l = words[n + 1]!) {
      const v = x[row + words[n]!]!;
      if (v !== v) n = l + words[n + 3]!;
      else if (catStart[n / NODE_WORDS]! >= 0) n = this.inCategories(n / NODE_WORDS, v) ? l + NODE_WORDS : l;
      else n = v < floats[n + 2]! ? l : l + NODE_WORDS;
    }
    return n;
  }

  /** True when category `v` is in node `k`'s set (goes right); invalid categories go left. */
  private inCategories(k: number, v: number): boolean {
    if (v < 0 || v >= MAX_CATEGORY) return false;
    const c = Math.trunc(v);
    const word = c >>> 5;
    if (word >= this.forest.catWords[k]!) return false;
    return (this.forest.catBits[this.forest.catStart[k]! + word]! & (1 << (c & 31))) !== 0;
  }
}

/**
 * Trees that are a single leaf add a constant. Those that come before any real tree of their
 * group are added to the base margin once, at compile time, in file order, so float32 rounding is
 * unchanged. KServe's iris model (num_class 10, 3 real classes) has 70 such trees of 100.
 */
function foldLeadingLeaves(spec: BoosterSpec, baseMargin: Float32Array): { spec: BoosterSpec; baseMargin: Float32Array } {
  const base = Float32Array.from(baseMargin);
  const split = new Uint8Array(base.length);
  const keep: number[] = [];
  spec.trees.forEach((t, i) => {
    const g = spec.treeGroup[i]!;
    if (t.left[0] === -1 && !split[g]) {
      base[g] = base[g]! + Math.fround(t.condition[0]! * (spec.treeWeights ? spec.treeWeights[i]! : 1));
    } else {
      split[g] = 1;
      keep.push(i);
    }
  });
  const kept: BoosterSpec = {
    ...spec,
    trees: keep.map((i) => spec.trees[i]!),
    treeGroup: Int32Array.from(keep, (i) => spec.treeGroup[i]!),
  };
  if (spec.treeWeights) kept.treeWeights = Float32Array.from(keep, (i) => spec.treeWeights![i]!);
  return { spec: kept, baseMargin: base };
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
