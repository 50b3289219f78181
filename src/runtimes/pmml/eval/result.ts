/** What a model element produces for one row, before Targets and Output are applied. */
import type { AssociationRule, Value } from '../doc/types.ts';

export interface ModelResult {
  /** The predicted value: a class label, a number, a cluster id; `null` for no prediction. */
  value: Value;
  /** Class probabilities (classification), in the model's category order. */
  probs?: Map<string, number>;
  /** The id of the entity that made the prediction (tree node, cluster, rule). */
  entityId?: string;
  /** Confidence of the prediction (RuleSetModel; TreeModel from ScoreDistribution confidence × missingValuePenalty). */
  confidence?: number;
  /** Association rules with how they relate to the transaction's items (AssociationModel). */
  rules?: { rule: AssociationRule; antecedentIn: boolean; consequentIn: boolean; consequentOut: boolean }[];
  /** Reason codes, most important first (Scorecard). */
  reasonCodes?: string[];
  /** MiningModel: the result of each Segment evaluated, by Segment id (OutputField segmentId). */
  segments?: ReadonlyMap<string, ModelResult>;
  /** Affinity per entity (clustering) or category. */
  affinities?: Map<string, number>;
}

/** The label with the highest probability; ties go to the first (document order), as JPMML does. */
export function argmax(probs: ReadonlyMap<string, number>): string | null {
  let best: string | null = null;
  let bestP = -Infinity;
  for (const [k, p] of probs) {
    if (p > bestP) {
      best = k;
      bestP = p;
    }
  }
  return best;
}

export const NO_PREDICTION: ModelResult = Object.freeze({ value: null });
