/**
 * MiningModel segmentation. Segments whose predicate is true take part (unknown counts as
 * false). Worked example for majorityVote over three trees voting a, b, a: value a,
 * probabilities a = 2/3, b = 1/3. average/weightedAverage/median combine numbers for regression
 * and class probabilities for classification; max picks the segment whose best probability is
 * highest; modelChain feeds each segment's Output fields to the next and returns the last result.
 */
import type { MiningModel, PmmlModelElement, Value } from '../doc/types.ts';
import { evalPredicate } from './predicate.ts';
import { type ModelResult, NO_PREDICTION, argmax } from './result.ts';
import type { FieldScope } from './scope.ts';
import { toNumber } from './values.ts';

/** Runs one nested model and returns its result and its Output field values. */
export type RunModel = (model: PmmlModelElement, parent: FieldScope) => { result: ModelResult; outputs: Map<string, Value> };

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/**
 * The combined result, carrying each evaluated segment's own result by id for Output fields with
 * segmentId (PMML 4.4 Output: the feature is computed from that segment's result; a segment whose
 * predicate was not true, or one after selectFirst's pick, was not evaluated and gives missing).
 */
export function evalMining(model: MiningModel, scope: FieldScope, run: RunModel): ModelResult {
  const segments = new Map<string, ModelResult>();
  const res = combine(model, scope, run, segments);
  return segments.size > 0 ? { ...res, segments } : res;
}

function combine(model: MiningModel, scope: FieldScope, run: RunModel, segments: Map<string, ModelResult>): ModelResult {
  const taken: { result: ModelResult; weight: number }[] = [];
  for (const seg of model.segments) {
    if (evalPredicate(seg.predicate, scope) !== true) continue;
    const { result, outputs } = run(seg.model, scope);
    segments.set(seg.id, result);
    if (model.method === 'selectFirst') return result;
    if (model.method === 'modelChain') {
      // Later segments (and the parent's Output) read this segment's outputs by name.
      for (const [k, v] of outputs) scope.set(k, v);
    }
    taken.push({ result, weight: seg.weight });
  }
  if (taken.length === 0) return NO_PREDICTION;
  if (model.method === 'modelChain') return (taken[taken.length - 1] as (typeof taken)[number]).result;
  return model.functionName === 'regression' ? combineNumbers(model, taken) : combineClasses(model, taken);
}

function combineNumbers(model: MiningModel, taken: { result: ModelResult; weight: number }[]): ModelResult {
  const xs: number[] = [];
  const ws: number[] = [];
  for (const t of taken) {
    const x = toNumber(t.result.value);
    if (x === undefined) return NO_PREDICTION;
    xs.push(x);
    ws.push(t.weight);
  }
  const sum = xs.reduce((a, b) => a + b, 0);
  switch (model.method) {
    case 'sum':
      return { value: sum };
    case 'average':
      return { value: sum / xs.length };
    case 'weightedAverage': {
      const wsum = ws.reduce((a, b) => a + b, 0);
      return { value: xs.reduce((a, x, i) => a + x * (ws[i] as number), 0) / wsum };
    }
    case 'median':
      return { value: median(xs) };
    case 'max':
      return { value: Math.max(...xs) };
    default:
      return NO_PREDICTION;
  }
}

function combineClasses(model: MiningModel, taken: { result: ModelResult; weight: number }[]): ModelResult {
  const probs = new Map<string, number>();
  const m = model.method;
  if (m === 'majorityVote' || m === 'weightedMajorityVote') {
    let total = 0;
    for (const t of taken) {
      if (t.result.value === null) continue;
      const w = m === 'majorityVote' ? 1 : t.weight;
      const k = String(t.result.value);
      probs.set(k, (probs.get(k) ?? 0) + w);
      total += w;
    }
    for (const [k, v] of probs) probs.set(k, v / total);
    return { value: argmax(probs), probs };
  }
  if (m === 'max') {
    let best: ModelResult | undefined;
    let bestP = -Infinity;
    for (const t of taken) {
      const p = t.result.probs ? Math.max(...t.result.probs.values()) : -Infinity;
      if (p > bestP) {
        best = t.result;
        bestP = p;
      }
    }
    return best ?? NO_PREDICTION;
  }
  const keys = [...new Set(taken.flatMap((t) => [...(t.result.probs?.keys() ?? [])]))];
  const wsum = taken.reduce((a, t) => a + (m === 'weightedAverage' ? t.weight : 1), 0);
  for (const k of keys) {
    const ps = taken.map((t) => t.result.probs?.get(k) ?? 0);
    if (m === 'median') probs.set(k, median(ps));
    else if (m === 'average' || m === 'weightedAverage') {
      probs.set(k, taken.reduce((a, t, i) => a + (ps[i] as number) * (m === 'weightedAverage' ? t.weight : 1), 0) / wsum);
    } else return NO_PREDICTION; // sum is for regression only; the loader refuses it for classification
  }
  return { value: argmax(probs), probs };
}
