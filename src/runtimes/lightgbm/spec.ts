/**
 * The parsed form of a LightGBM text model (`tree\nversion=v4 ...`), field for field as
 * LightGBM's `GBDT::LoadModelFromString` and `Tree(const char*)` read it. The compiler
 * (compile.ts) flattens it for evaluation; the reference walk (reference.ts) reads it as it is.
 */

/** decision_type bit 0: the split is categorical (LightGBM's kCategoricalMask). */
export const CATEGORICAL_MASK = 1;
/** decision_type bit 1: a missing value goes left (kDefaultLeftMask). */
export const DEFAULT_LEFT_MASK = 2;
/** Missing types, decision_type bits 2-3 (LightGBM's MissingType enum). */
export const MissingType = { None: 0, Zero: 1, NaN: 2 } as const;

/**
 * LightGBM's kZeroThreshold is declared `const double kZeroThreshold = 1e-35f`: a float literal,
 * so the double it holds is float32(1e-35) = 1.0000000180025095e-35, not 1e-35.
 */
export const ZERO_THRESHOLD = Math.fround(1e-35);

/** A linear tree's per-leaf model: leaf_const + Σ coeff·x, or leaf_value when an x is NaN. */
export interface LinearLeaves {
  leafConst: Float64Array;
  /** Per leaf, the raw feature indices of its linear model. */
  leafFeatures: Int32Array[];
  leafCoeff: Float64Array[];
}

/** One tree. Internal-node arrays have num_leaves-1 entries; a child < 0 is leaf ~child. */
export interface TreeSpec {
  numLeaves: number;
  numCat: number;
  splitFeature: Int32Array;
  threshold: Float64Array;
  decisionType: Uint8Array;
  leftChild: Int32Array;
  rightChild: Int32Array;
  leafValue: Float64Array;
  /** Categorical splits: threshold = index into cat_boundaries; bitset words in cat_threshold. */
  catBoundaries: Int32Array;
  catThreshold: Uint32Array;
  linear: LinearLeaves | undefined;
  shrinkage: number;
}

/** A whole model: the header and the trees, in file order (iteration-major, class-minor). */
export interface EnsembleSpec {
  /** 'v3' or 'v4'. */
  version: string;
  numClass: number;
  numTreePerIteration: number;
  labelIndex: number;
  maxFeatureIdx: number;
  /** The objective line as saved, e.g. 'binary sigmoid:1'; undefined for a custom objective. */
  objective: string | undefined;
  featureNames: string[];
  /** True in random-forest mode: predictions average the iterations. */
  averageOutput: boolean;
  trees: TreeSpec[];
}
