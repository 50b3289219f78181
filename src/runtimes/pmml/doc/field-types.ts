/**
 * The typed PMML document model, part 1: values, fields, expressions, predicates, targets,
 * outputs and what every model element shares. types.ts adds the model elements and
 * re-exports all of this, so readers import from types.ts only.
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
  | (ExprBase & {
      kind: 'apply';
      fn: string;
      args: Expression[];
      defaultValue?: string;
      invalidValueTreatment: 'returnInvalid' | 'asMissing';
      /** Where the Apply is, so an unknown function name can be reported after the whole document is read. */
      line: number;
    });

/** A DefineFunction: parameters bound by position, evaluated in a scope that holds only them. */
export interface DefinedFunction {
  name: string;
  params: { name: string; dataType?: DataType }[];
  dataType?: DataType;
  expr: Expression;
}

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
  | 'confidence'
  | 'ruleValue';
export interface OutputField {
  name: string;
  feature: ResultFeature;
  dataType?: DataType;
  optype?: OpType;
  targetField?: string;
  value?: string;
  /** For transformedValue / decision: the expression over fields and earlier outputs. */
  expr?: Expression;
  /** 1-based rank (reasonCode, ruleValue). */
  rank: number;
  /** MiningModel only: the feature is read from this Segment's result (missing when it was not evaluated). */
  segmentId?: string;
  /** ruleValue: which rule property, which rules qualify, and what ranks them. */
  rule?: {
    feature: 'ruleId' | 'support' | 'confidence' | 'lift' | 'leverage' | 'affinity' | 'antecedent' | 'consequent' | 'rule';
    algorithm: 'recommendation' | 'exclusiveRecommendation' | 'ruleAssociation';
    rankBasis: 'confidence' | 'support' | 'lift' | 'leverage' | 'affinity';
    ascending: boolean;
  };
  /** False for helper fields (isFinalResult="false"): computed for later fields, not returned. */
  final: boolean;
  /** Where the element sits, for messages. */
  line: number;
}

export type MiningFunction = 'classification' | 'regression' | 'clustering' | 'associationRules';

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
