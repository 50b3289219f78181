/**
 * The parsed form of an XGBoost booster, whichever file it came from (JSON, UBJSON, legacy
 * binary). Arrays are per-tree struct-of-arrays, indexed by node id as in XGBoost's JSON; the
 * compiler (compile.ts) flattens them for evaluation and the reference walk (reference.ts) reads
 * them as they are.
 */

/** One regression tree, XGBoost's `RegTree` as its JSON lists it. */
export interface TreeSpec {
  /** Left child of each node; -1 marks a leaf. */
  left: Int32Array;
  right: Int32Array;
  /** Split feature index of each split node. */
  feature: Int32Array;
  /** Split threshold (float32) of split nodes; the leaf value of leaves. */
  condition: Float32Array;
  /** 1 when a missing value goes left. */
  defaultLeft: Uint8Array;
  /**
   * Categories of categorical split nodes: node id → the sorted category values that go RIGHT
   * (XGBoost's `categories`/`categories_nodes` lists). Absent for numeric splits.
   */
  categories: Map<number, Int32Array>;
}

export type BoosterKind = 'gbtree' | 'dart' | 'gblinear';

/** A whole booster: learner parameters, objective and the trees or linear weights. */
export interface BoosterSpec {
  /** XGBoost version that saved the file ([major, minor, patch]; [0, 0, 0] when unknown). */
  version: [number, number, number];
  booster: BoosterKind;
  /** learner.objective.name, e.g. 'multi:softprob'. */
  objective: string;
  numFeature: number;
  /** num_class as saved (0 for non-multiclass objectives). */
  numClass: number;
  numTarget: number;
  /**
   * base_score as saved: in output (probability) space; the objective maps it to a margin
   * (objective.ts). One value, or one per output group (XGBoost ≥ 2.0 vector base_score).
   */
  baseScore: number[];
  trees: TreeSpec[];
  /** Output group (class or target) each tree adds to. */
  treeGroup: Int32Array;
  /** Dart: each tree's weight (weight_drop); undefined for gbtree (all 1). */
  treeWeights?: Float32Array;
  /** gblinear: weights[f * groups + g], then one bias per group at f = numFeature. */
  linearWeights?: Float32Array;
  featureNames: string[];
}

/** Number of output groups (margin columns): classes, targets, or 1. */
export function outputGroups(spec: Pick<BoosterSpec, 'numClass' | 'numTarget'>): number {
  return Math.max(1, spec.numClass, spec.numTarget);
}

/** Thrown by the parsers with a message fit for a load error. */
export class ModelFormatError extends Error {}
