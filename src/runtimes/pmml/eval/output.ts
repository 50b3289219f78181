/** Targets post-processing and Output fields of one model element. */
import type { ModelBase, OutputField, Target, Value } from '../doc/types.ts';
import { ruleValue } from './association.ts';
import { evalExpression } from './expression.ts';
import { type ModelResult, argmax } from './result.ts';
import type { FieldScope } from './scope.ts';
import { type FieldReader, convert, toNumber } from './values.ts';

function targetOf(model: ModelBase): Target | undefined {
  return model.targets[0];
}

/**
 * Targets, in the order PMML 4.4 and JPMML apply them: for regression, clamp to [min, max], then
 * × rescaleFactor + rescaleConstant, then castInteger (e.g. min 0, max 5: 7.3 → 5 → 5 × 10 + 1
 * = 51; 2.34 → 2.34 × 10 + 1 = 24.4, castInteger round → 24). Without a prediction, the
 * TargetValue defaultValue (regression, returned as written) or priorProbability
 * (classification) answers.
 */
export function applyTargets(model: ModelBase, res: ModelResult): ModelResult {
  const t = targetOf(model);
  if (!t) return res;
  if (model.functionName === 'regression') {
    let x = toNumber(res.value);
    if (x === undefined) {
      const d = t.values.find((v) => v.defaultValue !== undefined)?.defaultValue;
      return d === undefined ? res : { ...res, value: d };
    }
    if (t.min !== undefined) x = Math.max(x, t.min);
    if (t.max !== undefined) x = Math.min(x, t.max);
    x = x * t.rescaleFactor + t.rescaleConstant;
    if (t.castInteger === 'round') x = Math.sign(x) * Math.round(Math.abs(x));
    else if (t.castInteger === 'floor') x = Math.floor(x);
    else if (t.castInteger === 'ceiling') x = Math.ceil(x);
    return { ...res, value: x };
  }
  if (res.value === null && t.values.some((v) => v.priorProbability !== undefined)) {
    const probs = new Map(t.values.filter((v) => v.value !== undefined).map((v) => [v.value as string, v.priorProbability ?? 0]));
    return { value: argmax(probs), probs };
  }
  return res;
}

/** Output fields in document order; later fields may read earlier ones (transformedValue). */
export function computeOutputs(model: ModelBase, res: ModelResult, scope: FieldScope): Map<string, Value> {
  const out = new Map<string, Value>();
  const view = {
    get: (name: string): Value => (out.has(name) ? (out.get(name) as Value) : scope.get(name)),
    functionNamed: (name: string) => scope.functionNamed(name),
  };
  const target = targetOf(model);
  for (const f of model.output) {
    // segmentId (MiningModel): the feature of that segment's result; missing when it was not evaluated.
    const r = f.segmentId === undefined ? res : res.segments?.get(f.segmentId);
    const v = r ? featureValue(f, r, target, view) : null;
    out.set(f.name, f.dataType ? (convert(v, f.dataType) ?? null) : v);
  }
  return out;
}

function featureValue(f: OutputField, res: ModelResult, target: Target | undefined, view: FieldReader): Value {
  switch (f.feature) {
    case 'predictedValue':
      return res.value;
    case 'predictedDisplayValue': {
      const tv = target?.values.find((x) => x.value !== undefined && x.value === String(res.value));
      return res.value === null ? null : (tv?.displayValue ?? String(res.value));
    }
    case 'probability': {
      const key = f.value ?? (res.value === null ? undefined : String(res.value));
      return res.probs && key !== undefined && res.value !== null ? (res.probs.get(key) ?? 0) : null;
    }
    case 'affinity': {
      const key = f.value ?? res.entityId;
      return key === undefined ? null : (res.affinities?.get(key) ?? null);
    }
    case 'ruleValue':
      return ruleValue(res, f);
    case 'confidence':
      return res.confidence ?? null;
    case 'reasonCode':
      return res.reasonCodes?.[f.rank - 1] ?? null;
    case 'entityId':
      return res.entityId ?? null;
    case 'transformedValue':
    case 'decision':
      return f.expr ? evalExpression(f.expr, view) : null;
  }
}
