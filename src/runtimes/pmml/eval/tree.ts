/**
 * TreeModel: walks from the root to the deciding node. Unknown predicates (a field they read is
 * missing) follow missingValueStrategy; a node with children none of which is true follows
 * noTrueChildStrategy. Probabilities come from the node's ScoreDistribution: the `probability`
 * attribute when given, else recordCount / Σ recordCount (e.g. 49, 5 → 0.907, 0.093).
 *
 * missingValuePenalty (as JPMML, the reference evaluator KServe's pmmlserver runs): each missing
 * level on the way — a defaultChild taken for an unknown predicate, or a surrogate predicate
 * decided by an alternative after its first predicate was unknown — multiplies the predicted
 * category's ScoreDistribution `confidence` by the penalty. weightedConfidence and aggregateNodes
 * spread the record over the children it may be in (tree-spread.ts, where their rules are given).
 */
import type { Predicate, TreeModel, TreeNode } from '../doc/types.ts';
import { evalPredicate } from './predicate.ts';
import { type ModelResult, NO_PREDICTION, argmax } from './result.ts';
import type { FieldScope } from './scope.ts';
import { spreadResult } from './tree-spread.ts';
import { toNumber } from './values.ts';

/** Counts the missing levels of one walk. */
interface Trail {
  missingLevels: number;
}

/** A node's predicate; a surrogate decided by an alternative adds a missing level. */
function evalNode(p: Predicate, scope: FieldScope, trail: Trail): boolean | null {
  if (p.kind !== 'compound' || p.op !== 'surrogate') return evalPredicate(p, scope);
  for (let i = 0; i < p.preds.length; i++) {
    const t = evalPredicate(p.preds[i]!, scope);
    if (t !== null) {
      if (i > 0) trail.missingLevels++;
      return t;
    }
  }
  return null;
}

/** The path became unknown among `at`'s children under weightedConfidence or aggregateNodes. */
interface Spread {
  spreadAt: TreeNode;
}

function decide(model: TreeModel, node: TreeNode, scope: FieldScope, trail: Trail): TreeNode | Spread | null {
  for (;;) {
    if (node.children.length === 0) return node;
    let next: TreeNode | null | undefined;
    for (const child of node.children) {
      const t = evalNode(child.predicate, scope, trail);
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
            trail.missingLevels++;
            next = dflt;
            break;
          }
          case 'weightedConfidence':
          case 'aggregateNodes':
            return { spreadAt: node };
        }
        break;
      }
    }
    if (!next) return model.noTrueChildStrategy === 'returnLastPrediction' ? node : null;
    node = next;
  }
}

export function evalTree(model: TreeModel, scope: FieldScope): ModelResult {
  const trail: Trail = { missingLevels: 0 };
  if (evalNode(model.root.predicate, scope, trail) !== true) return NO_PREDICTION;
  const node = decide(model, model.root, scope, trail);
  if (!node) return NO_PREDICTION;
  if ('spreadAt' in node) return spreadResult(model, node.spreadAt, scope);
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
  const conf = node.distribution.find((d) => d.value === res.value)?.confidence;
  if (conf !== undefined) res.confidence = conf * model.missingValuePenalty ** trail.missingLevels;
  return res;
}
