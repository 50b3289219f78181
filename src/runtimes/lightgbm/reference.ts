/**
 * A straightforward reference walk over the parsed trees, written as LightGBM's Tree::Decision,
 * NumericalDecision, CategoricalDecision and Tree::Predict read, with no compilation. It is slow
 * and exists so property tests can hold the compiled evaluator (compile.ts) to it.
 */
import { CATEGORICAL_MASK, DEFAULT_LEFT_MASK, type EnsembleSpec, MissingType, type TreeSpec, ZERO_THRESHOLD } from './spec.ts';

function isZero(v: number): boolean {
  return v >= -ZERO_THRESHOLD && v <= ZERO_THRESHOLD;
}

function numericalDecision(t: TreeSpec, v: number, node: number): number {
  const d = t.decisionType[node]!;
  const missing = (d >> 2) & 3;
  let fval = v;
  if (Number.isNaN(fval) && missing !== MissingType.NaN) fval = 0;
  if ((missing === MissingType.Zero && isZero(fval)) || (missing === MissingType.NaN && Number.isNaN(fval))) {
    return (d & DEFAULT_LEFT_MASK) !== 0 ? t.leftChild[node]! : t.rightChild[node]!;
  }
  return fval <= t.threshold[node]! ? t.leftChild[node]! : t.rightChild[node]!;
}

/** C++ static_cast<int>(double) as x86 does it: NaN and out-of-range values become INT_MIN. */
function toInt(v: number): number {
  if (Number.isNaN(v) || v >= 2 ** 31 || v <= -(2 ** 31) - 1) return -(2 ** 31);
  return Math.trunc(v);
}

function categoricalDecision(t: TreeSpec, v: number, node: number): number {
  if (Number.isNaN(v)) return t.rightChild[node]!;
  const cat = toInt(v);
  if (cat < 0) return t.rightChild[node]!;
  const idx = t.threshold[node]!;
  const from = t.catBoundaries[idx]!;
  const words = t.catBoundaries[idx + 1]! - from;
  // Common::FindInBitset
  const word = Math.floor(cat / 32);
  const inSet = word < words && Math.floor(t.catThreshold[from + word]! / 2 ** (cat % 32)) % 2 === 1;
  return inSet ? t.leftChild[node]! : t.rightChild[node]!;
}

/** Leaf index the row reaches. */
export function referenceLeaf(t: TreeSpec, row: ArrayLike<number>): number {
  if (t.numLeaves === 1) return 0;
  let node = 0;
  while (node >= 0) {
    const v = row[t.splitFeature[node]!]!;
    node = (t.decisionType[node]! & CATEGORICAL_MASK) !== 0 ? categoricalDecision(t, v, node) : numericalDecision(t, v, node);
  }
  return ~node;
}

/** Tree::Predict. */
export function referenceTreeOutput(t: TreeSpec, row: ArrayLike<number>): number {
  const leaf = referenceLeaf(t, row);
  if (!t.linear) return t.leafValue[leaf]!;
  let out = t.linear.leafConst[leaf]!;
  const feats = t.linear.leafFeatures[leaf]!;
  for (let i = 0; i < feats.length; i++) {
    const v = row[feats[i]!]!;
    if (Number.isNaN(v)) return t.leafValue[leaf]!;
    out += t.linear.leafCoeff[leaf]![i]! * v;
  }
  return out;
}

/** GBDT::PredictRaw (and the average of GBDT::Predict unless `raw`) for one row. */
export function referenceRaw(spec: EnsembleSpec, row: ArrayLike<number>, raw: boolean): number[] {
  const k = spec.numTreePerIteration;
  const out = new Array<number>(k).fill(0);
  spec.trees.forEach((t, i) => {
    out[i % k] = out[i % k]! + referenceTreeOutput(t, row);
  });
  const iterations = spec.trees.length / k;
  return spec.averageOutput && !raw ? out.map((v) => v / iterations) : out;
}
