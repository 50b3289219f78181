/**
 * Compiles an EnsembleSpec into flat typed arrays (one set for all trees) and evaluates rows on
 * them: no per-node objects, one small integer switch per node. Node ids are global across
 * trees; a child < 0 is the global leaf ~child. The decision rules are LightGBM's
 * Tree::NumericalDecision and Tree::CategoricalDecision (see `goesLeft`); reference.ts spells the
 * same rules out literally and the property tests hold the two equal.
 */
import { CATEGORICAL_MASK, DEFAULT_LEFT_MASK, type EnsembleSpec, ZERO_THRESHOLD } from './spec.ts';

/** Node kinds (bits 0-1) and the default-left flag (bit 2). */
const NUM_NONE = 0;
const NUM_ZERO = 1;
const NUM_NAN = 2;
const CATEGORICAL = 3;
const LEFT = 4;

export interface CompiledEnsemble {
  readonly numFeatures: number;
  /** Scores per row (num_tree_per_iteration). */
  readonly k: number;
  readonly numIterations: number;
  readonly averageOutput: boolean;
  readonly roots: Int32Array;
  readonly feature: Int32Array;
  readonly threshold: Float64Array;
  readonly kind: Uint8Array;
  /** Children interleaved: kids[2n] is node n's left child, kids[2n + 1] its right. */
  readonly kids: Int32Array;
  /** Categorical nodes: their bitset words are catWords[catStart .. catStart + catLen). */
  readonly catStart: Int32Array;
  readonly catLen: Int32Array;
  readonly catWords: Uint32Array;
  readonly leafValue: Float64Array;
  /** Linear leaves, when any tree is linear: leafConst, and features/coeffs at [linStart, linStart+linLen). */
  readonly linear: { leafConst: Float64Array; linStart: Int32Array; linLen: Int32Array; feats: Int32Array; coeffs: Float64Array } | undefined;
}

export function compileEnsemble(spec: EnsembleSpec): CompiledEnsemble {
  let nodes = 0;
  let leaves = 0;
  let words = 0;
  let linTerms = 0;
  for (const t of spec.trees) {
    nodes += t.numLeaves - 1;
    leaves += t.numLeaves;
    words += t.catThreshold.length;
    if (t.linear) for (const f of t.linear.leafFeatures) linTerms += f.length;
  }
  const anyLinear = spec.trees.some((t) => t.linear);
  const c = {
    numFeatures: spec.maxFeatureIdx + 1, k: spec.numTreePerIteration, numIterations: spec.trees.length / spec.numTreePerIteration,
    averageOutput: spec.averageOutput, roots: new Int32Array(spec.trees.length),
    feature: new Int32Array(nodes), threshold: new Float64Array(nodes), kind: new Uint8Array(nodes),
    kids: new Int32Array(2 * nodes), catStart: new Int32Array(nodes), catLen: new Int32Array(nodes),
    catWords: new Uint32Array(words), leafValue: new Float64Array(leaves),
    linear: anyLinear
      ? { leafConst: new Float64Array(leaves), linStart: new Int32Array(leaves), linLen: new Int32Array(leaves), feats: new Int32Array(linTerms), coeffs: new Float64Array(linTerms) }
      : undefined,
  };
  let n0 = 0;
  let l0 = 0;
  let w0 = 0;
  let lin = 0;
  spec.trees.forEach((t, ti) => {
    const child = (x: number): number => (x >= 0 ? x + n0 : ~(~x + l0));
    c.roots[ti] = t.numLeaves > 1 ? n0 : ~l0;
    for (let n = 0; n < t.numLeaves - 1; n++) {
      const g = n0 + n;
      const d = t.decisionType[n]!;
      c.feature[g] = t.splitFeature[n]!;
      c.threshold[g] = t.threshold[n]!;
      c.kind[g] = ((d & CATEGORICAL_MASK) !== 0 ? CATEGORICAL : (d >> 2) & 3) | ((d & DEFAULT_LEFT_MASK) !== 0 ? LEFT : 0);
      c.kids[2 * g] = child(t.leftChild[n]!);
      c.kids[2 * g + 1] = child(t.rightChild[n]!);
      if ((d & CATEGORICAL_MASK) !== 0) {
        const ci = t.threshold[n]!;
        c.catStart[g] = w0 + t.catBoundaries[ci]!;
        c.catLen[g] = t.catBoundaries[ci + 1]! - t.catBoundaries[ci]!;
      }
    }
    c.catWords.set(t.catThreshold, w0);
    c.leafValue.set(t.leafValue, l0);
    if (c.linear) {
      for (let l = 0; l < t.numLeaves; l++) {
        const g = l0 + l;
        // A non-linear tree in a linear model: constant leaves (leaf_const = leaf_value, no terms).
        c.linear.leafConst[g] = t.linear ? t.linear.leafConst[l]! : t.leafValue[l]!;
        const f = t.linear?.leafFeatures[l] ?? new Int32Array(0);
        c.linear.linStart[g] = lin;
        c.linear.linLen[g] = f.length;
        c.linear.feats.set(f, lin);
        c.linear.coeffs.set(t.linear?.leafCoeff[l] ?? new Float64Array(0), lin);
        lin += f.length;
      }
    }
    n0 += t.numLeaves - 1;
    l0 += t.numLeaves;
    w0 += t.catThreshold.length;
  });
  return c;
}

/**
 * The decision at a node for value v, for the cases the hot loop leaves out: NaN, zero-as-missing
 * and categorical splits.
 */
function slowLeft(c: CompiledEnsemble, v: number, node: number): boolean {
  const k = c.kind[node]!;
  switch (k & 3) {
    case NUM_NONE:
      // NaN counts as 0 when the split has no NaN missing type.
      return (v !== v ? 0 : v) <= c.threshold[node]!;
    case NUM_ZERO: {
      const z = v !== v ? 0 : v;
      return z >= -ZERO_THRESHOLD && z <= ZERO_THRESHOLD ? (k & LEFT) !== 0 : z <= c.threshold[node]!;
    }
    case NUM_NAN:
      return v !== v ? (k & LEFT) !== 0 : v <= c.threshold[node]!;
    default: {
      // C++ static_cast<int>: NaN, negatives and values past INT_MAX all go right.
      const cat = Math.trunc(v);
      if (!(cat >= 0 && cat < 2147483648)) return false;
      const word = cat >>> 5;
      return word < c.catLen[node]! && ((c.catWords[c.catStart[node]! + word]! >>> (cat & 31)) & 1) === 1;
    }
  }
}

/** Global leaf reached by the row at x[base..] from `node`. */
function leafOf(c: CompiledEnsemble, x: Float64Array, base: number, node: number): number {
  while (node >= 0) node = step(c, x, base, node);
  return ~node;
}

/** Tree::Predict for a linear leaf: leaf_const + Σ coeff·x, or the plain leaf value on any NaN. */
function linearOutput(c: CompiledEnsemble, x: Float64Array, base: number, leaf: number): number {
  const lin = c.linear!;
  let out = lin.leafConst[leaf]!;
  const end = lin.linStart[leaf]! + lin.linLen[leaf]!;
  for (let j = lin.linStart[leaf]!; j < end; j++) {
    const v = x[base + lin.feats[j]!]!;
    if (v !== v) return c.leafValue[leaf]!;
    out += lin.coeffs[j]! * v;
  }
  return out;
}

/**
 * One step down from `node` for the row at x[base..]. The hot path is a numerical split without
 * zero-as-missing (kinds 0 and 2, bit 0 clear) on a non-NaN value: `v <= threshold` goes left,
 * which is all LightGBM's NumericalDecision does then; everything else goes to slowLeft. The
 * child is picked by index (kids[2n + right]) rather than by a branch.
 */
function step(c: CompiledEnsemble, x: Float64Array, base: number, node: number): number {
  const v = x[base + c.feature[node]!]!;
  const right = (c.kind[node]! & 1) === 0 && v === v ? +(v > c.threshold[node]!) : +!slowLeft(c, v, node);
  return c.kids[(node << 1) + right]!;
}

/**
 * Leaf values of one tree for four rows at once: four independent walks in one loop, so the CPU
 * overlaps their loads and mispredicted branches instead of waiting on each walk in turn
 * (about 1.5-2x the rows/s of one walk at a time on the fixtures).
 */
function addTree4(c: CompiledEnsemble, x: Float64Array, r: number, root: number, out: Float64Array, j: number): void {
  const F = c.numFeatures;
  const k = c.k;
  let a = root;
  let b = root;
  let d = root;
  let e = root;
  const ba = r * F;
  // The AND is negative only once all four are leaves (sign bit set in each).
  while ((a & b & d & e) >= 0) {
    if (a >= 0) a = step(c, x, ba, a);
    if (b >= 0) b = step(c, x, ba + F, b);
    if (d >= 0) d = step(c, x, ba + 2 * F, d);
    if (e >= 0) e = step(c, x, ba + 3 * F, e);
  }
  const lv = c.leafValue;
  const o = r * k + j;
  out[o] = out[o]! + lv[~a]!;
  out[o + k] = out[o + k]! + lv[~b]!;
  out[o + 2 * k] = out[o + 2 * k]! + lv[~d]!;
  out[o + 3 * k] = out[o + 3 * k]! + lv[~e]!;
}

/**
 * GBDT::PredictRaw for `rows` rows of x (row-major, numFeatures wide) into out (rows × k), each
 * score summed over the trees in file order, as LightGBM sums it (rows go four at a time, tree
 * by tree, which keeps each row's order of additions). In random-forest mode (average_output)
 * the sum is divided by the iterations, as GBDT::Predict does; `raw` skips that division,
 * because LightGBM's raw-score path (PredictRaw) does not average.
 */
export function predictRaw(c: CompiledEnsemble, x: Float64Array, rows: number, out: Float64Array, raw: boolean): void {
  const { roots, k, numFeatures, leafValue } = c;
  const trees = roots.length;
  out.fill(0, 0, rows * k);
  let r = 0;
  if (!c.linear) {
    for (; r + 4 <= rows; r += 4) {
      for (let t = 0; t < trees; t++) addTree4(c, x, r, roots[t]!, out, t % k);
    }
  }
  for (; r < rows; r++) {
    const base = r * numFeatures;
    const o = r * k;
    for (let t = 0; t < trees; t++) {
      const leaf = leafOf(c, x, base, roots[t]!);
      const j = o + (t % k);
      out[j] = out[j]! + (c.linear ? linearOutput(c, x, base, leaf) : leafValue[leaf]!);
    }
  }
  if (c.averageOutput && !raw) for (let i = 0; i < rows * k; i++) out[i] = out[i]! / c.numIterations;
}
