/**
 * Reads model elements. Each reader lists the children it understands; anything else (other than
 * Extension and documentation elements) is refused with its name and line, so a model is either
 * evaluated completely or not loaded.
 */
import { only, enumAttr, kid, kids, numAttr, optAttr, reqAttr, reqKid, parseDistribution, presentAttrs, presentNumAttrs } from './access.ts';
import { invalid, unsupported } from './errors.ts';
import { findPredicate, parsePredicate } from './parse-expression.ts';
import { ASSOCIATION_CHILDREN, parseAssociation } from './parse-association.ts';
import { BAYES_CHILDREN, parseBayes } from './parse-bayes.ts';
import { CLUSTERING_CHILDREN, parseClustering } from './parse-clustering.ts';
import { GENERAL_CHILDREN, parseGeneral } from './parse-general.ts';
import { KNN_CHILDREN, parseKnn } from './parse-knn.ts';
import { parseRuleSet } from './parse-ruleset.ts';
import { parseScorecard } from './parse-scorecard.ts';
import { SVM_CHILDREN, parseSvm } from './parse-svm.ts';
import { NEURAL_CHILDREN, parseNeural } from './parse-neural.ts';
import { parseMiningSchema, parseOutput, parseTargets, parseTransformations } from './parse-fields.ts';
import type { MiningFunction, ModelBase, MultipleModelMethod, PmmlModelElement, RegressionModel, RegressionTable, TreeModel, TreeNode } from './types.ts';
import type { XmlElement } from './xml.ts';

const COMMON = ['MiningSchema', 'Output', 'Targets', 'LocalTransformations', 'ModelStats', 'ModelExplanation', 'ModelVerification'];
export const MODEL_ELEMENTS = new Set([
  'TreeModel', 'RegressionModel', 'MiningModel', 'GeneralRegressionModel', 'NaiveBayesModel', 'NeuralNetwork', 'ClusteringModel',
  'SupportVectorMachineModel', 'RuleSetModel', 'Scorecard', 'NearestNeighborModel', 'AssociationModel', 'SequenceModel',
  'TextModel', 'TimeSeriesModel', 'BaselineModel', 'BayesianNetworkModel', 'GaussianProcessModel', 'AnomalyDetectionModel',
]);

function base(el: XmlElement, allowed: readonly string[]): ModelBase {
  only(el, [...COMMON, ...allowed]);
  const fn = reqAttr(el, 'functionName');
  const fns = el.name === 'AssociationModel' ? ['associationRules'] : ['classification', 'regression', 'clustering'];
  if (!fns.includes(fn)) throw unsupported(el, `functionName="${fn}"`);
  if (optAttr(el, 'isScorable') === 'false') throw invalid(el, 'the model is marked isScorable="false"');
  if (el.name !== 'MiningModel') {
    const o = outputFields(el).find((f) => optAttr(f, 'segmentId') !== undefined);
    if (o) throw invalid(o, 'segmentId is for the Output of a MiningModel');
  }
  const out: ModelBase = {
    functionName: fn as MiningFunction,
    miningFields: parseMiningSchema(reqKid(el, 'MiningSchema')),
    localDerived: kids(el, 'LocalTransformations').flatMap(parseTransformations),
    targets: kids(el, 'Targets').flatMap(parseTargets),
    output: kids(el, 'Output').flatMap(parseOutput),
    line: el.line,
  };
  const name = optAttr(el, 'modelName');
  if (name !== undefined) out.modelName = name;
  return out;
}

/** Reads any model element; the ones not yet evaluated are refused by name and line. */
export function parseModel(el: XmlElement): PmmlModelElement {
  switch (el.name) {
    case 'TreeModel':
      return parseTree(el);
    case 'RegressionModel':
      return parseRegression(el);
    case 'MiningModel':
      return parseMining(el);
    case 'NaiveBayesModel':
      return parseBayes(el, base(el, BAYES_CHILDREN));
    case 'NeuralNetwork':
      return parseNeural(el, base(el, NEURAL_CHILDREN));
    case 'ClusteringModel':
      return parseClustering(el, base(el, CLUSTERING_CHILDREN));
    case 'SupportVectorMachineModel':
      return parseSvm(el, base(el, SVM_CHILDREN));
    case 'Scorecard':
      return parseScorecard(el, base(el, ['Characteristics']));
    case 'RuleSetModel':
      return parseRuleSet(el, base(el, ['RuleSet']));
    case 'NearestNeighborModel':
      return parseKnn(el, base(el, KNN_CHILDREN));
    case 'AssociationModel':
      return parseAssociation(el, base(el, ASSOCIATION_CHILDREN));
    case 'GeneralRegressionModel':
      return parseGeneral(el, base(el, GENERAL_CHILDREN));
    default:
      throw unsupported(el, MODEL_ELEMENTS.has(el.name) ? 'model type not yet supported' : 'not a model element');
  }
}

function parseNode(el: XmlElement): TreeNode {
  only(el, ['True', 'False', 'SimplePredicate', 'SimpleSetPredicate', 'CompoundPredicate', 'ScoreDistribution', 'Node']);
  const node: TreeNode = {
    predicate: parsePredicate(findPredicate(el)),
    children: kids(el, 'Node').map(parseNode),
    distribution: parseDistribution(el),
  };
  Object.assign(node, presentAttrs(el, ['id', 'score', 'defaultChild']), presentNumAttrs(el, ['recordCount']));
  return node;
}

function parseTree(el: XmlElement): TreeModel {
  const b = base(el, ['Node']);
  if (b.functionName === 'clustering') throw unsupported(el, 'functionName="clustering" for a TreeModel');
  const mvs = enumAttr(el, 'missingValueStrategy', ['none', 'lastPrediction', 'nullPrediction', 'defaultChild', 'weightedConfidence', 'aggregateNodes'] as const, 'none');
  // Both spread a record over several leaves and combine class confidences or counts; PMML 4.4
  // defines neither for regression (eval/tree-spread.ts).
  if ((mvs === 'weightedConfidence' || mvs === 'aggregateNodes') && b.functionName !== 'classification') {
    throw unsupported(el, `missingValueStrategy="${mvs}" with functionName="${b.functionName}" (defined for classification only)`);
  }
  const missingValuePenalty = numAttr(el, 'missingValuePenalty', 1);
  if (!(missingValuePenalty >= 0 && missingValuePenalty <= 1)) throw unsupported(el, `missingValuePenalty="${missingValuePenalty}" (a probability from 0 to 1)`);
  return {
    ...b, kind: 'tree', missingValueStrategy: mvs, missingValuePenalty,
    noTrueChildStrategy: enumAttr(el, 'noTrueChildStrategy', ['returnNullPrediction', 'returnLastPrediction'] as const, 'returnNullPrediction'),
    root: parseNode(reqKid(el, 'Node')),
  };
}

function parseRegression(el: XmlElement): RegressionModel {
  const b = base(el, ['RegressionTable']);
  const tables = kids(el, 'RegressionTable').map((t): RegressionTable => {
    only(t, ['NumericPredictor', 'CategoricalPredictor', 'PredictorTerm']);
    const table: RegressionTable = {
      intercept: numAttr(t, 'intercept'),
      numeric: kids(t, 'NumericPredictor').map((p) => ({ field: reqAttr(p, 'name'), exponent: numAttr(p, 'exponent', 1), coefficient: numAttr(p, 'coefficient') })),
      categorical: kids(t, 'CategoricalPredictor').map((p) => ({ field: reqAttr(p, 'name'), value: reqAttr(p, 'value'), coefficient: numAttr(p, 'coefficient') })),
      terms: kids(t, 'PredictorTerm').map((p) => {
        only(p, ['FieldRef']);
        const fields = kids(p, 'FieldRef').map((f) => reqAttr(f, 'field'));
        if (fields.length === 0) throw invalid(p, 'at least one FieldRef is required');
        return { fields, coefficient: numAttr(p, 'coefficient') };
      }),
    };
    const tc = optAttr(t, 'targetCategory');
    if (tc !== undefined) table.targetCategory = tc;
    return table;
  });
  if (tables.length === 0) throw invalid(el, 'at least one RegressionTable is required');
  const methods = ['none', 'simplemax', 'softmax', 'logit', 'probit', 'cloglog', 'exp', 'loglog', 'cauchit'] as const;
  return { ...b, kind: 'regression', normalizationMethod: enumAttr(el, 'normalizationMethod', methods, 'none'), tables };
}

const METHODS: readonly MultipleModelMethod[] = [
  'majorityVote', 'weightedMajorityVote', 'average', 'weightedAverage', 'median', 'max', 'sum', 'selectFirst', 'modelChain',
];

function parseMining(el: XmlElement): PmmlModelElement {
  const b = base(el, ['Segmentation']);
  const seg = reqKid(el, 'Segmentation');
  only(seg, ['Segment']);
  const m = optAttr(seg, 'multipleModelMethod');
  if (m === undefined || !(METHODS as readonly string[]).includes(m)) throw unsupported(seg, `multipleModelMethod="${m ?? ''}"`);
  const segments = kids(seg, 'Segment').map((s, i) => {
    const modelEl = s.children.find((c) => MODEL_ELEMENTS.has(c.name));
    if (!modelEl) throw invalid(s, 'a model element is required');
    only(s, ['True', 'False', 'SimplePredicate', 'SimpleSetPredicate', 'CompoundPredicate', modelEl.name]);
    if (kid(s, 'VariableWeight')) throw unsupported(kid(s, 'VariableWeight') as XmlElement);
    return { id: optAttr(s, 'id') ?? String(i + 1), weight: numAttr(s, 'weight', 1), predicate: parsePredicate(findPredicate(s)), model: parseModel(modelEl) };
  });
  const ids = new Set(segments.map((s) => s.id));
  for (const o of outputFields(el)) {
    const id = optAttr(o, 'segmentId');
    if (id !== undefined && !ids.has(id)) throw invalid(o, `segmentId="${id}" names no Segment of this MiningModel`);
  }
  return { ...b, kind: 'mining', method: m as MultipleModelMethod, segments };
}

function outputFields(el: XmlElement): XmlElement[] {
  return kids(el, 'Output').flatMap((o) => kids(o, 'OutputField'));
}
