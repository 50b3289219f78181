/**
 * A straightforward evaluator over the parsed trees, written for clarity rather than speed: the
 * oracle the property tests compare compile.ts against. It shares no code with the compiled
 * evaluator beyond the BoosterSpec it reads.
 */
import { type BoosterSpec, type TreeSpec, outputGroups } from './spec.ts';

function goesLeft(tree: TreeSpec, node: number, v: number): boolean {
  if (Number.isNaN(v)) return tree.defaultLeft[node] === 1;
  const cats = tree.categories.get(node);
  if (cats) {
    if (v < 0 || v >= 2 ** 24) return true;
    return !cats.includes(Math.trunc(v));
  }
  return Math.fround(v) < tree.condition[node]!;
}

/** The leaf value one tree gives a row. */
export function walkTree(tree: TreeSpec, row: ArrayLike<number>): number {
  let node = 0;
  while (tree.left[node] !== -1) {
    node = goesLeft(tree, node, row[tree.feature[node]!]!) ? tree.left[node]! : tree.right[node]!;
  }
  return tree.condition[node]!;
}

/** Margins for one row: base margin plus every tree's (weighted) leaf, summed in float32. */
export function referenceMargins(spec: BoosterSpec, baseMargin: ArrayLike<number>, row: ArrayLike<number>): number[] {
  const groups = outputGroups(spec);
  const out = Array.from({ length: groups }, (_, g) => Math.fround(baseMargin[g]!));
  if (spec.booster === 'gblinear') {
    const w = spec.linearWeights!;
    for (let g = 0; g < groups; g++) {
      let sum = Math.fround(out[g]! + w[spec.numFeature * groups + g]!);
      for (let f = 0; f < spec.numFeature; f++) {
        const v = Math.fround(row[f]!);
        if (!Number.isNaN(v)) sum = Math.fround(sum + Math.fround(v * w[f * groups + g]!));
      }
      out[g] = sum;
    }
    return out;
  }
  spec.trees.forEach((tree, t) => {
    const weight = spec.treeWeights?.[t] ?? 1;
    const g = spec.treeGroup[t]!;
    out[g] = Math.fround(out[g]! + Math.fround(walkTree(tree, row) * weight));
  });
  return out;
}
