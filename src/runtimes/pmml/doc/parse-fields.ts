/** Reads the field-level parts of a document: DataDictionary, MiningSchema, transformations, Targets, Output. */
import { IGNORABLE, only, boolAttr, enumAttr, kids, numAttr, optAttr, optNumAttr, reqAttr, presentAttrs, presentNumAttrs } from './access.ts';
import { invalid, unsupported } from './errors.ts';
import { dataTypeAttr, findExpression, parseExpression, parseInterval } from './parse-expression.ts';
import type { DataField, DerivedField, MiningField, OpType, OutputField, ResultFeature, Target, UsageType } from './types.ts';
import type { XmlElement } from './xml.ts';

const OPTYPES: readonly OpType[] = ['categorical', 'ordinal', 'continuous'];

function optype(el: XmlElement): OpType | undefined {
  const v = optAttr(el, 'optype');
  return v === undefined ? undefined : enumAttr(el, 'optype', OPTYPES, 'continuous');
}

export function parseDataDictionary(el: XmlElement): DataField[] {
  only(el, ['DataField', 'Taxonomy']);
  if (kids(el, 'Taxonomy').length > 0) throw unsupported(kids(el, 'Taxonomy')[0] as XmlElement);
  return kids(el, 'DataField').map((f) => {
    only(f, ['Value', 'Interval']);
    const dataType = dataTypeAttr(f);
    if (!dataType) throw invalid(f, 'attribute dataType is required');
    const field: DataField = {
      name: reqAttr(f, 'name'), optype: optype(f) ?? 'continuous', dataType,
      validValues: [], invalidValues: [], missingValues: [], intervals: kids(f, 'Interval').map(parseInterval),
    };
    if (optAttr(f, 'optype') === undefined) throw invalid(f, 'attribute optype is required');
    for (const v of kids(f, 'Value')) {
      const prop = enumAttr(v, 'property', ['valid', 'invalid', 'missing'] as const, 'valid');
      const list = prop === 'valid' ? field.validValues : prop === 'invalid' ? field.invalidValues : field.missingValues;
      list.push(reqAttr(v, 'value'));
    }
    return field;
  });
}

const USAGE: readonly UsageType[] = ['active', 'predicted', 'target', 'supplementary', 'group', 'order', 'frequencyWeight', 'analysisWeight'];

export function parseMiningSchema(el: XmlElement): MiningField[] {
  only(el, ['MiningField']);
  return kids(el, 'MiningField').map((f) => {
    const usageType = enumAttr(f, 'usageType', USAGE, 'active');
    const ivt = enumAttr(f, 'invalidValueTreatment', ['returnInvalid', 'asIs', 'asMissing', 'asValue'] as const, 'returnInvalid');
    if (optAttr(f, 'missingValueTreatment') !== undefined && optAttr(f, 'missingValueReplacement') === undefined) {
      // asMean/asMode/... without a replacement only describe training; nothing to do.
    }
    const mf: MiningField = {
      name: reqAttr(f, 'name'), usageType, invalidValueTreatment: ivt,
      outliers: enumAttr(f, 'outliers', ['asIs', 'asMissingValues', 'asExtremeValues'] as const, 'asIs'),
    };
    const ot = optype(f);
    if (ot) mf.optype = ot;
    const ivr = optAttr(f, 'invalidValueReplacement');
    if (ivr !== undefined) mf.invalidValueReplacement = ivr;
    if (ivt === 'asValue' && ivr === undefined) throw invalid(f, 'invalidValueTreatment="asValue" needs invalidValueReplacement');
    const mvr = optAttr(f, 'missingValueReplacement');
    if (mvr !== undefined) mf.missingValueReplacement = mvr;
    const low = optNumAttr(f, 'lowValue');
    const high = optNumAttr(f, 'highValue');
    if (low !== undefined) mf.lowValue = low;
    if (high !== undefined) mf.highValue = high;
    return mf;
  });
}

export function parseDerivedField(f: XmlElement): DerivedField {
  const dataType = dataTypeAttr(f);
  if (!dataType) throw invalid(f, 'attribute dataType is required');
  const exprEl = findExpression(f);
  if (!exprEl) {
    const other = f.children.find((c) => !IGNORABLE.has(c.name) && c.name !== 'Value');
    throw other ? unsupported(other, 'expression') : invalid(f, 'an expression is required');
  }
  return { name: reqAttr(f, 'name'), optype: optype(f) ?? 'continuous', dataType, expr: parseExpression(exprEl) };
}

/** The DerivedFields of a TransformationDictionary (DefineFunctions are read by parse-document.ts) or LocalTransformations. */
export function parseTransformations(el: XmlElement): DerivedField[] {
  only(el, el.name === 'TransformationDictionary' ? ['DerivedField', 'DefineFunction'] : ['DerivedField']);
  return kids(el, 'DerivedField').map(parseDerivedField);
}

export function parseTargets(el: XmlElement): Target[] {
  only(el, ['Target']);
  return kids(el, 'Target').map((t) => {
    only(t, ['TargetValue']);
    const target: Target = { rescaleConstant: numAttr(t, 'rescaleConstant', 0), rescaleFactor: numAttr(t, 'rescaleFactor', 1), values: [] };
    const field = optAttr(t, 'field');
    if (field !== undefined) target.field = field;
    const cast = optAttr(t, 'castInteger');
    if (cast !== undefined) target.castInteger = enumAttr(t, 'castInteger', ['round', 'ceiling', 'floor'] as const, 'round');
    const min = optNumAttr(t, 'min');
    const max = optNumAttr(t, 'max');
    if (min !== undefined) target.min = min;
    if (max !== undefined) target.max = max;
    for (const v of kids(t, 'TargetValue')) {
      if (kids(v, 'Partition').length > 0) throw unsupported(kids(v, 'Partition')[0] as XmlElement);
      target.values.push({ ...presentAttrs(v, ['value', 'displayValue']), ...presentNumAttrs(v, ['priorProbability', 'defaultValue']) });
    }
    return target;
  });
}

const FEATURES: readonly ResultFeature[] = ['predictedValue', 'predictedDisplayValue', 'probability', 'affinity', 'entityId', 'transformedValue', 'decision', 'reasonCode', 'confidence', 'ruleValue'];

export function parseOutput(el: XmlElement): OutputField[] {
  only(el, ['OutputField']);
  return kids(el, 'OutputField').map((o) => {
    let feature = optAttr(o, 'feature') ?? 'predictedValue';
    if (feature === 'clusterAffinity') feature = 'affinity';
    if (!(FEATURES as readonly string[]).includes(feature)) throw unsupported(o, `feature="${feature}"`);
    const rank = numAttr(o, 'rank', 1);
    if (rank !== 1 && feature !== 'reasonCode' && feature !== 'ruleValue') throw unsupported(o, 'rank other than 1');
    const field: OutputField = { name: reqAttr(o, 'name'), feature: feature as ResultFeature, rank, final: boolAttr(o, 'isFinalResult', true), line: o.line };
    const dt = dataTypeAttr(o);
    if (dt) field.dataType = dt;
    const segmentId = optAttr(o, 'segmentId');
    if (segmentId !== undefined) field.segmentId = segmentId;
    const ot = optype(o);
    if (ot) field.optype = ot;
    const tf = optAttr(o, 'targetField');
    if (tf !== undefined) field.targetField = tf;
    const value = optAttr(o, 'value');
    if (value !== undefined) field.value = value;
    if (feature === 'ruleValue') {
      field.rule = {
        feature: enumAttr(o, 'ruleFeature', ['ruleId', 'support', 'confidence', 'lift', 'leverage', 'affinity', 'antecedent', 'consequent', 'rule'] as const, 'consequent'),
        algorithm: enumAttr(o, 'algorithm', ['recommendation', 'exclusiveRecommendation', 'ruleAssociation'] as const, 'exclusiveRecommendation'),
        rankBasis: enumAttr(o, 'rankBasis', ['confidence', 'support', 'lift', 'leverage', 'affinity'] as const, 'confidence'),
        ascending: enumAttr(o, 'rankOrder', ['descending', 'ascending'] as const, 'descending') === 'ascending',
      };
    }
    if (feature === 'transformedValue' || feature === 'decision') {
      const e = findExpression(o);
      if (!e) throw invalid(o, `feature="${feature}" needs an expression`);
      field.expr = parseExpression(e);
    }
    return field;
  });
}
