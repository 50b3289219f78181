/**
 * TreeModel missingValueStrategy weightedConfidence and aggregateNodes: when a record's path is
 * unknown at a node, it is spread over every child it may be in, and the answer combines them.
 *
 * Source: the PMML 4.4 TreeModel specification's definitions of the two strategies (quoted in
 * pmml4net's MissingValueStrategy.cs and pmml4s's TreeModel.scala), and pmml4s's evaluator for
 * what the spec leaves open. JPMML, the evaluator KServe's pmmlserver runs, refuses both.
 *
 * The children a record may be in (`reachable`): those whose predicate is UNKNOWN, and the first
 * whose predicate is TRUE (later siblings cannot be reached: evaluation stops at a true child);
 * FALSE ones are excluded ("excluding any siblings whose predicates evaluate to FALSE").
 *
 * weightedConfidence (spec: "the confidences for each class is calculated from scoring it and each
 * of its sibling Nodes ... weighted by the proportion of the number of records in that Node, then
 * summed ... The winner is the class with the highest confidence ... applied recursively"):
 * each reachable child is scored recursively (a true child alone is simply descended into); its
 * class confidences are weighted by its record count (Node recordCount, else Σ ScoreDistribution
 * recordCount) divided by the sum of the record counts of the children scored. pmml4s divides by
 * the parent's recordCount instead; the two agree when no sibling is FALSE and the parent's count
 * is the sum of its children's, and ours keeps the result a distribution. A leaf's confidence for
 * a class is its ScoreDistribution `confidence`, else its probability (the `probability` attribute,
 * else the recordCount share); a leaf without ScoreDistribution is its score with probability 1.
 * Probabilities are combined with the same weights. Worked example: children A (40 records,
 * yes 0.75 / no 0.25) and B (10 records, yes 0.2 / no 0.8), both unknown → yes = 0.8·0.75 +
 * 0.2·0.2 = 0.64, no = 0.36; predicted yes, confidence 0.64.
 *
 * aggregateNodes (spec: "we consider evaluation of the Node's predicate being TRUE and follow this
 * Node. In addition, subsequent Nodes ... are evaluated as well ... All leaf Nodes being reached
 * ... are aggregated such that for each value ... the corresponding recordCount attribute values
 * are accumulated. The value associated with the highest recordCount ... is predicted"): every
 * leaf reachable is collected; the ScoreDistribution recordCounts are summed per class; the
 * probabilities are the shares of the sum and the confidence is the winner's share (as pmml4s);
 * a leaf without ScoreDistribution adds nothing (the spec requires recordCounts on the leaves).
 * Same example: yes = 30 + 2 = 32, no = 10 + 8 = 18 → yes, probability and confidence 0.64.
 *
 * Under both, a node reached with no true or unknown child follows noTrueChildStrategy: with
 * returnLastPrediction it counts as a leaf, else it contributes nothing. missingValuePenalty is not
 * applied (it penalises the confidence of one deciding node — a defaultChild taken, a surrogate
 * used — and here no single node decides; pmml4s does the same). Neither strategy is defined for
 * regression, so a regression TreeModel with either is refused at load.
 */
import type { TreeModel, TreeNode } from '../doc/types.ts';
import { evalPredicate } from './predicate.ts';
import { type ModelResult, NO_PREDICTION, argmax } from './result.ts';
import type { FieldScope } from './scope.ts';

/** Per class: probability and confidence. */
type Spread = Map<string, { p: number; c: number }>;

/** The children a record may be in, and whether any of them is there only by an unknown predicate. */
function reachable(node: TreeNode, scope: FieldScope): { kids: TreeNode[]; unknown: boolean } {
  const kids: TreeNode[] = [];
  let unknown = false;
  for (const child of node.children) {
    const t = evalPredicate(child.predicate, scope);
    if (t === false) continue;
    kids.push(child);
    if (t === true) break;
    unknown = true;
  }
  return { kids, unknown };
}

function records(node: TreeNode): number {
  return node.recordCount ?? node.distribution.reduce((a, d) => a + d.recordCount, 0);
}

function leafSpread(node: TreeNode): Spread | null {
  if (node.distribution.length === 0) return node.score === undefined ? null : new Map([[node.score, { p: 1, c: 1 }]]);
  const total = node.distribution.reduce((a, d) => a + d.recordCount, 0);
  return new Map(node.distribution.map((d) => {
    const p = d.probability ?? (total > 0 ? d.recordCount / total : 0);
    return [d.value, { p, c: d.confidence ?? p }];
  }));
}

function weighted(model: TreeModel, node: TreeNode, scope: FieldScope): Spread | null {
  if (node.children.length === 0) return leafSpread(node);
  const { kids, unknown } = reachable(node, scope);
  if (kids.length === 0) return model.noTrueChildStrategy === 'returnLastPrediction' ? leafSpread(node) : null;
  if (!unknown) return weighted(model, kids[0]!, scope);
  const sum: Spread = new Map();
  let weight = 0;
  for (const kid of kids) {
    const s = weighted(model, kid, scope);
    const w = records(kid);
    if (!s || !(w > 0)) continue;
    weight += w;
    for (const [k, v] of s) {
      const acc = sum.get(k) ?? { p: 0, c: 0 };
      sum.set(k, { p: acc.p + w * v.p, c: acc.c + w * v.c });
    }
  }
  if (weight === 0) return null;
  for (const v of sum.values()) {
    v.p /= weight;
    v.c /= weight;
  }
  return sum;
}

function collectLeaves(model: TreeModel, node: TreeNode, scope: FieldScope, out: TreeNode[]): void {
  if (node.children.length === 0) {
    out.push(node);
    return;
  }
  const { kids } = reachable(node, scope);
  if (kids.length === 0 && model.noTrueChildStrategy === 'returnLastPrediction') out.push(node);
  for (const kid of kids) collectLeaves(model, kid, scope, out);
}

function aggregated(model: TreeModel, node: TreeNode, scope: FieldScope): Spread | null {
  const leaves: TreeNode[] = [];
  collectLeaves(model, node, scope, leaves);
  const counts = new Map<string, number>();
  for (const leaf of leaves) for (const d of leaf.distribution) counts.set(d.value, (counts.get(d.value) ?? 0) + d.recordCount);
  const total = [...counts.values()].reduce((a, n) => a + n, 0);
  if (!(total > 0)) return null;
  return new Map([...counts].map(([k, n]) => [k, { p: n / total, c: n / total }]));
}

/**
 * The result for a record whose path is unknown among `node`'s children, under the model's
 * weightedConfidence or aggregateNodes strategy.
 */
export function spreadResult(model: TreeModel, node: TreeNode, scope: FieldScope): ModelResult {
  const s = model.missingValueStrategy === 'aggregateNodes' ? aggregated(model, node, scope) : weighted(model, node, scope);
  if (!s) return NO_PREDICTION;
  const value = argmax(new Map([...s].map(([k, v]) => [k, v.c])));
  if (value === null) return NO_PREDICTION;
  return { value, probs: new Map([...s].map(([k, v]) => [k, v.p])), confidence: s.get(value)!.c };
}
