/**
 * TreeModel: walks from the root to the deciding node. Unknown predicates (a field they read is
 * missing) follow missingValueStrategy; a node with children none of which is true follows
 * noTrueChildStrategy. Probabilities come from the node's ScoreDistribution: the `probability`
 * attribute when given, else recordCount / Σ recordCount (e.g. 49, 5 → 0.907, 0.093).
 */
import type { TreeModel, TreeNode } from '../doc/types.ts';
import { evalPredicate } from './predicate.ts';
import { type ModelResult, NO_PREDICTION, argmax } from './result.ts';
import type { FieldScope } from './scope.ts';
import { toNumber } from './values.ts';

function decide(model: TreeModel, node: TreeNode, scope: FieldScope): TreeNode | null {
  for (;;) {
    if (node.children.length === 0) return node;
    let next: TreeNode | null | undefined;
    for (const child of node.children) {
      const t = evalPredicate(child.predicate, scope);
      if (t === true) {
        next = child;
        break;
      }
      if (t === null) {
        switch (model.missingValueStrategy) {
          case 'none':
            continue;
          case 'lastPrediction':
            return node;
          case 'nullPrediction':
            return null;
          case 'defaultChild': {
            const dflt = node.children.find((c) => c.id !== undefined && c.id === node.defaultChild);
            if (!dflt) return node;
            next = dflt;
            break;
          }
        }
        break;
      }
    }
    if (!next) return model.noTrueChildStrategy === 'returnLastPrediction' ? node : null;
    node = next;
  }
}

export function evalTree(model: TreeModel, scope: FieldScope): ModelResult {
  if (evalPredicate(model.root.predicate, scope) !== true) return NO_PREDICTION;
  const node = decide(model, model.root, scope);
  if (!node) return NO_PREDICTION;
  const res: ModelResult = { value: null };
  if (node.id !== undefined) res.entityId = node.id;
  if (model.functionName === 'regression') {
    res.value = node.score === undefined ? null : (toNumber(node.score) ?? null);
    return res;
  }
  if (node.distribution.length > 0) {
    const total = node.distribution.reduce((a, d) => a + d.recordCount, 0);
    res.probs = new Map(node.distribution.map((d) => [d.value, d.probability ?? (total > 0 ? d.recordCount / total : 0)]));
  }
  res.value = node.score ?? (res.probs ? argmax(res.probs) : null);
  return res;
}
