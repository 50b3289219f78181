/**
 * The typed PMML document model: what the reader (parse-*.ts) produces and the evaluator
 * (../eval) consumes. Only what changes a score is kept; every element we do not evaluate is
 * refused at load time by the reader, so anything in this model is fully supported.
 */

/** A field value at evaluation time; `null` is PMML's missing value. */
export type Value = number | string | boolean | null;

export type DataType = 'string' | 'integer' | 'float' | 'double' | 'boolean';
export type OpType = 'categorical' | 'ordinal' | 'continuous';

export interface Interval {
  closure: 'openClosed' | 'openOpen' | 'closedOpen' | 'closedClosed';
  left: number;
  right: number;
}

export interface DataField {
  name: string;
  optype: OpType;
  dataType: DataType;
  /** Values with property "valid" (empty: any value of the type is valid, unless intervals say otherwise). */
  validValues: string[];
  invalidValues: string[];
  missingValues: string[];
  intervals: Interval[];
}

export type UsageType = 'active' | 'predicted' | 'target' | 'supplementary' | 'group' | 'order' | 'frequencyWeight' | 'analysisWeight';
export type InvalidTreatment = 'returnInvalid' | 'asIs' | 'asMissing' | 'asValue';

export interface MiningField {
  name: string;
  usageType: UsageType;
  optype?: OpType;
  invalidValueTreatment: InvalidTreatment;
  invalidValueReplacement?: string;
  missingValueReplacement?: string;
  outliers: 'asIs' | 'asMissingValues' | 'asExtremeValues';
  lowValue?: number;
  highValue?: number;
}

interface ExprBase {
  /** Result when an input is missing (`mapMissingTo`). */
  mapMissingTo?: string;
}
export type Expression =
  | { kind: 'constant'; value: string | null; dataType?: DataType }
  | (ExprBase & { kind: 'fieldRef'; field: string })
  | (ExprBase & { kind: 'normContinuous'; field: string; points: [orig: number, norm: number][]; outliers: 'asIs' | 'asMissingValues' | 'asExtremeValues' })
  | (ExprBase & { kind: 'normDiscrete'; field: string; value: string })
  | (ExprBase & { kind: 'discretize'; field: string; bins: { interval: Interval; binValue: string }[]; defaultValue?: string; dataType?: DataType })
  | (ExprBase & {
      kind: 'mapValues';
      columns: { field: string; column: string }[];
      outputColumn: string;
      rows: Record<string, string>[];
      defaultValue?: string;
      dataType?: DataType;
    })
  | (ExprBase & { kind: 'apply'; fn: string; args: Expression[]; defaultValue?: string; invalidValueTreatment: 'returnInvalid' | 'asMissing' });

export interface DerivedField {
  name: string;
  optype: OpType;
  dataType: DataType;
  expr: Expression;
}

export type SimpleOperator = 'equal' | 'notEqual' | 'lessThan' | 'lessOrEqual' | 'greaterThan' | 'greaterOrEqual' | 'isMissing' | 'isNotMissing';
export type Predicate =
  | { kind: 'true' }
  | { kind: 'false' }
  | { kind: 'simple'; field: string; op: SimpleOperator; value?: string }
  | { kind: 'set'; field: string; isIn: boolean; values: string[] }
  | { kind: 'compound'; op: 'and' | 'or' | 'xor' | 'surrogate'; preds: Predicate[] };

export interface TargetValue {
  value?: string;
  displayValue?: string;
  priorProbability?: number;
  defaultValue?: number;
}
export interface Target {
  field?: string;
  castInteger?: 'round' | 'ceiling' | 'floor';
  min?: number;
  max?: number;
  rescaleConstant: number;
  rescaleFactor: number;
  values: TargetValue[];
}

export type ResultFeature =
  | 'predictedValue'
  | 'predictedDisplayValue'
  | 'probability'
  | 'affinity'
  | 'entityId'
  | 'transformedValue'
  | 'decision'
  | 'reasonCode'
  | 'confidence';
export interface OutputField {
  name: string;
  feature: ResultFeature;
  dataType?: DataType;
  optype?: OpType;
  targetField?: string;
  value?: string;
  /** For transformedValue / decision: the expression over fields and earlier outputs. */
  expr?: Expression;
  /** 1-based rank (reasonCode). */
  rank: number;
  /** False for helper fields (isFinalResult="false"): computed for later fields, not returned. */
  final: boolean;
  /** Where the element sits, for messages. */
  line: number;
}

export type MiningFunction = 'classification' | 'regression' | 'clustering';

/** What every model element has. */
export interface ModelBase {
  functionName: MiningFunction;
  modelName?: string;
  miningFields: MiningField[];
  localDerived: DerivedField[];
  targets: Target[];
  output: OutputField[];
  line: number;
}

export interface ScoreDistribution {
  value: string;
  recordCount: number;
  probability?: number;
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
  missingValueStrategy: 'none' | 'lastPrediction' | 'nullPrediction' | 'defaultChild';
  noTrueChildStrategy: 'returnNullPrediction' | 'returnLastPrediction';
  root: TreeNode;
}

export interface RegressionTable {
  intercept: number;
  targetCategory?: string;
  numeric: { field: string; exponent: number; coefficient: number }[];
  categorical: { field: string; value: string; coefficient: number }[];
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

export type Activation = 'threshold' | 'logistic' | 'tanh' | 'identity' | 'exponential' | 'reciprocal' | 'square' | 'Gauss' | 'sine' | 'cosine' | 'Elliott' | 'arctan' | 'rectifier';
export interface NeuralLayer {
  activation: Activation;
  threshold: number;
  normalization: 'none' | 'simplemax' | 'softmax';
  neurons: { id: string; bias: number; cons: { from: string; weight: number }[] }[];
}
export interface NeuralNetwork extends ModelBase {
  kind: 'neural';
  inputs: { id: string; field: DerivedField }[];
  layers: NeuralLayer[];
  /** Each output neuron and how it maps to the target: a category's probability or the value. */
  outputs: { neuron: string; category?: string; expr: Expression }[];
}

export interface ClusteringModel extends ModelBase {
  kind: 'clustering';
  measure: 'euclidean' | 'squaredEuclidean' | 'chebychev' | 'cityBlock' | 'minkowski';
  minkowskiP: number;
  fields: { field: string; weight: number; compare: 'absDiff' | 'gaussSim' | 'delta' | 'equal'; similarityScale?: number }[];
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

export type PmmlModelElement =
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
  model: PmmlModelElement;
}
