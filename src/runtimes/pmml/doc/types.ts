/**
 * The typed PMML document model: what the reader (parse-*.ts) produces and the evaluator
 * (../eval) consumes. Only what changes a score is kept; every element we do not evaluate is
 * refused at load time by the reader, so anything in this model is fully supported.
 */
import type { DataField, DefinedFunction, DerivedField, Expression, ModelBase, Predicate } from './field-types.ts';

export type { DefinedFunction, Value, DataType, OpType, Interval, DataField, UsageType, InvalidTreatment, MiningField, Expression, DerivedField, SimpleOperator, Predicate, TargetValue, Target, ResultFeature, OutputField, MiningFunction, ModelBase } from './field-types.ts';

export interface ScoreDistribution {
  value: string;
  recordCount: number;
  probability?: number;
  /** Confidence of this category at the node (the `confidence` output feature). */
  confidence?: number;
}
export interface TreeNode {
  id?: string;
  score?: string;
  recordCount?: number;
  predicate: Predicate;
  children: TreeNode[];
  distribution: ScoreDistribution[];
  defaultChild?: string;
}
export interface TreeModel extends ModelBase {
  kind: 'tree';
  missingValueStrategy: 'none' | 'lastPrediction' | 'nullPrediction' | 'defaultChild' | 'weightedConfidence' | 'aggregateNodes';
  noTrueChildStrategy: 'returnNullPrediction' | 'returnLastPrediction';
  /** Confidences are multiplied by this once per missing level (a defaultChild taken, a surrogate's alternative used). */
  missingValuePenalty: number;
  root: TreeNode;
}

export interface RegressionTable {
  intercept: number;
  targetCategory?: string;
  numeric: { field: string; exponent: number; coefficient: number }[];
  categorical: { field: string; value: string; coefficient: number }[];
  /** PredictorTerm: coefficient × the product of the fields. */
  terms: { fields: string[]; coefficient: number }[];
}
export type RegressionNormalization = 'none' | 'simplemax' | 'softmax' | 'logit' | 'probit' | 'cloglog' | 'exp' | 'loglog' | 'cauchit';
export interface RegressionModel extends ModelBase {
  kind: 'regression';
  normalizationMethod: RegressionNormalization;
  tables: RegressionTable[];
}

export type MultipleModelMethod =
  | 'majorityVote'
  | 'weightedMajorityVote'
  | 'average'
  | 'weightedAverage'
  | 'median'
  | 'max'
  | 'sum'
  | 'selectFirst'
  | 'modelChain';
export interface Segment {
  id: string;
  weight: number;
  predicate: Predicate;
  model: PmmlModelElement;
}
export interface MiningModel extends ModelBase {
  kind: 'mining';
  method: MultipleModelMethod;
  segments: Segment[];
}

export type GlmLink = 'identity' | 'log' | 'logit' | 'probit' | 'cloglog' | 'loglog' | 'cauchit' | 'power' | 'oddspower' | 'logc' | 'negbin';
export interface GeneralRegressionModel extends ModelBase {
  kind: 'general';
  modelType: 'regression' | 'generalLinear' | 'generalizedLinear' | 'multinomialLogistic';
  link: GlmLink;
  linkParameter?: number;
  offsetValue: number;
  targetReferenceCategory?: string;
  parameters: string[];
  /** parameter → its PPCells: covariates raise to `value`, factors test equality with it. */
  cells: Map<string, { predictor: string; value: string; factor: boolean }[]>;
  /** targetCategory ('' for regression) → parameter → beta. */
  betas: Map<string, Map<string, number>>;
}

export interface BayesInput {
  field: string;
  /** A DerivedField inside the BayesInput (e.g. Discretize) that maps the raw value first. */
  derived?: DerivedField;
  /** Discrete: value → target category → count. */
  pairs?: Map<string, Map<string, number>>;
  /** Continuous: target category → distribution. */
  stats?: Map<string, { kind: 'gaussian'; mean: number; variance: number } | { kind: 'poisson'; mean: number }>;
}
export interface NaiveBayesModel extends ModelBase {
  kind: 'bayes';
  threshold: number;
  inputs: BayesInput[];
  /** Target category → training count (the prior), in document order. */
  priors: Map<string, number>;
}

export type Activation = 'threshold' | 'logistic' | 'tanh' | 'identity' | 'exponential' | 'reciprocal' | 'square' | 'Gauss' | 'sine' | 'cosine' | 'Elliott' | 'arctan' | 'rectifier' | 'radialBasis';
export interface NeuralLayer {
  activation: Activation;
  threshold: number;
  normalization: 'none' | 'simplemax' | 'softmax';
  /** width and altitude are resolved (Neuron, else NeuralLayer, else NeuralNetwork) for radialBasis layers only. */
  neurons: { id: string; bias: number; cons: { from: string; weight: number }[]; width?: number; altitude?: number }[];
}
export interface NeuralNetwork extends ModelBase {
  kind: 'neural';
  inputs: { id: string; field: DerivedField }[];
  layers: NeuralLayer[];
  /** Each output neuron and how it maps to the target: a category's probability or the value. */
  outputs: { neuron: string; category?: string; expr: Expression }[];
}

/** A distance ComparisonMeasure over weighted fields (ClusteringModel, NearestNeighborModel). */
export interface DistanceMeasure {
  measure: 'euclidean' | 'squaredEuclidean' | 'chebychev' | 'cityBlock' | 'minkowski';
  minkowskiP: number;
  fields: { field: string; weight: number; compare: 'absDiff' | 'gaussSim' | 'delta' | 'equal'; similarityScale?: number }[];
}
export interface ClusteringModel extends ModelBase, DistanceMeasure {
  kind: 'clustering';
  clusters: { id: string; center: number[] }[];
}

export type SvmKernel =
  | { kind: 'linear' }
  | { kind: 'polynomial'; gamma: number; coef0: number; degree: number }
  | { kind: 'radialBasis'; gamma: number }
  | { kind: 'sigmoid'; gamma: number; coef0: number };
export interface SupportVectorMachine {
  targetCategory?: string;
  alternateTargetCategory?: string;
  threshold?: number;
  /** Support vectors (dense, in VectorFields order) with their coefficients α. */
  vectors: { x: Float64Array; alpha: number }[];
  intercept: number;
}
export interface SupportVectorMachineModel extends ModelBase {
  kind: 'svm';
  kernel: SvmKernel;
  /** The VectorFields, in order. */
  fields: string[];
  method: 'OneAgainstAll' | 'OneAgainstOne';
  threshold: number;
  maxWins: boolean;
  machines: SupportVectorMachine[];
}

export interface Scorecard extends ModelBase {
  kind: 'scorecard';
  initialScore: number;
  useReasonCodes: boolean;
  pointsBelow: boolean;
  characteristics: {
    reasonCode?: string;
    baselineScore?: number;
    attributes: { predicate: Predicate; partialScore?: number; complex?: Expression; reasonCode?: string }[];
  }[];
}

export interface SimpleRule {
  id?: string;
  score: string;
  confidence: number;
  weight: number;
  predicate: Predicate;
  distribution: ScoreDistribution[];
}
export type Rule = ({ kind: 'simple' } & SimpleRule) | { kind: 'compound'; predicate: Predicate; rules: Rule[] };
export interface RuleSetModel extends ModelBase {
  kind: 'ruleset';
  criterion: 'firstHit' | 'weightedSum' | 'weightedMax';
  rules: Rule[];
  defaultScore?: string;
  defaultConfidence: number;
}

export interface NearestNeighborModel extends ModelBase, DistanceMeasure {
  kind: 'knn';
  k: number;
  continuousMethod: 'average' | 'median' | 'weightedAverage';
  categoricalMethod: 'majorityVote' | 'weightedMajorityVote';
  threshold: number;
  /** Training instances: one value per KNN input (numbers), the target value, and the id. */
  instances: { x: (number | undefined)[]; target: string; id?: string }[];
}

export interface AssociationRule {
  /** The rule's id, else its 1-based position. */
  id: string;
  support: number;
  confidence: number;
  lift?: number;
  leverage?: number;
  affinity?: number;
  antecedent: string[];
  consequent: string[];
}
export interface AssociationModel extends ModelBase {
  kind: 'association';
  /** The active field whose values are the transaction's items. */
  itemField: string;
  rules: AssociationRule[];
}

export type PmmlModelElement =
  | AssociationModel
  | NearestNeighborModel
  | RuleSetModel
  | Scorecard
  | TreeModel
  | RegressionModel
  | MiningModel
  | GeneralRegressionModel
  | NaiveBayesModel
  | NeuralNetwork
  | ClusteringModel
  | SupportVectorMachineModel;

export interface PmmlDocument {
  version: string;
  dataFields: DataField[];
  derived: DerivedField[];
  functions: DefinedFunction[];
  model: PmmlModelElement;
}
