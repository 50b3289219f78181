/**
 * NearestNeighborModel: the k training instances nearest to the input (ties: table order).
 * Regression: average, median or weightedAverage of their targets, weights 1 / (d + threshold).
 * Classification: majority vote, or weighted by 1 / (d + threshold); shares are probabilities.
 * Example (k = 2, average): neighbours with targets 3 and 5 → 4. entityId is the nearest
 * instance's id (instanceIdVariable).
 */
import type { NearestNeighborModel } from '../doc/types.ts';
import { distance } from './clustering.ts';
import { type ModelResult, NO_PREDICTION, argmax } from './result.ts';
import type { FieldScope } from './scope.ts';
import { toNumber } from './values.ts';

export function evalKnn(model: NearestNeighborModel, scope: FieldScope): ModelResult {
  const xs = model.fields.map((f) => toNumber(scope.get(f.field)));
  if (xs.every((x) => x === undefined)) return NO_PREDICTION;
  const near = model.instances
    .map((inst, i) => ({ inst, i, d: distance(model, xs, inst.x.map((v) => v ?? NaN)) }))
    .sort((a, b) => a.d - b.d || a.i - b.i)
    .slice(0, model.k);
  const first = near[0];
  if (!first) return NO_PREDICTION;
  const res: ModelResult = { value: null };
  if (first.inst.id !== undefined) res.entityId = first.inst.id;
  const weight = (d: number): number => 1 / (d + model.threshold);
  if (model.functionName === 'regression') {
    const ys = near.map((n) => Number(n.inst.target));
    if (model.continuousMethod === 'median') {
      const s = [...ys].sort((a, b) => a - b);
      const m = s.length >> 1;
      res.value = s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
    } else if (model.continuousMethod === 'weightedAverage') {
      const ws = near.map((n) => weight(n.d));
      res.value = ys.reduce((a, y, i) => a + y * (ws[i] as number), 0) / ws.reduce((a, b) => a + b, 0);
    } else {
      res.value = ys.reduce((a, b) => a + b, 0) / ys.length;
    }
    return res;
  }
  const votes = new Map<string, number>();
  for (const n of near) votes.set(n.inst.target, (votes.get(n.inst.target) ?? 0) + (model.categoricalMethod === 'weightedMajorityVote' ? weight(n.d) : 1));
  const total = [...votes.values()].reduce((a, b) => a + b, 0);
  res.probs = new Map([...votes].map(([k, v]) => [k, v / total]));
  res.value = argmax(res.probs);
  return res;
}
