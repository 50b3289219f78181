/**
 * ClusteringModel (center-based, distance): the winning cluster is the nearest center; affinity
 * is the distance itself (KMeansIris: squaredEuclidean to cluster 3 is 0.01998 for the first
 * iris row). Missing fields are left out and the sum is scaled up by Σ all weights / Σ weights
 * of the fields present (PMML's adjustment for missing values).
 */
import type { ClusteringModel, DistanceMeasure } from '../doc/types.ts';
import { type ModelResult, NO_PREDICTION } from './result.ts';
import type { FieldScope } from './scope.ts';
import { toNumber } from './values.ts';

function compare(f: DistanceMeasure['fields'][number], x: number, y: number): number {
  switch (f.compare) {
    case 'absDiff': return Math.abs(x - y);
    case 'gaussSim': return Math.exp((-Math.LN2 * (x - y) ** 2) / (f.similarityScale ?? 1) ** 2);
    case 'delta': return x === y ? 0 : 1;
    case 'equal': return x === y ? 1 : 0;
  }
}

/** The distance of `xs` (undefined = missing) to `center` under a measure. */
export function distance(model: DistanceMeasure, xs: (number | undefined)[], center: readonly number[]): number {
  let sum = 0;
  let max = 0;
  let wAll = 0;
  let wPresent = 0;
  model.fields.forEach((f, i) => {
    wAll += f.weight;
    const x = xs[i];
    if (x === undefined) return;
    wPresent += f.weight;
    const c = compare(f, x, center[i] as number);
    switch (model.measure) {
      case 'euclidean':
      case 'squaredEuclidean': sum += f.weight * c * c; break;
      case 'cityBlock': sum += f.weight * c; break;
      case 'chebychev': max = Math.max(max, f.weight * c); break;
      case 'minkowski': sum += f.weight * Math.pow(c, model.minkowskiP); break;
    }
  });
  const adjusted = sum * (wAll / wPresent);
  switch (model.measure) {
    case 'euclidean': return Math.sqrt(adjusted);
    case 'minkowski': return Math.pow(adjusted, 1 / model.minkowskiP);
    case 'chebychev': return max;
    default: return adjusted;
  }
}

export function evalClustering(model: ClusteringModel, scope: FieldScope): ModelResult {
  const xs = model.fields.map((f) => toNumber(scope.get(f.field)));
  if (xs.every((x) => x === undefined)) return NO_PREDICTION;
  const affinities = new Map<string, number>();
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of model.clusters) {
    const d = distance(model, xs, c.center);
    affinities.set(c.id, d);
    if (d < bestD) {
      best = c.id;
      bestD = d;
    }
  }
  if (best === undefined) return NO_PREDICTION;
  return { value: best, entityId: best, affinities };
}
