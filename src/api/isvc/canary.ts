/**
 * KServe's `spec.canary[]` checks (validateCanarySpecs): Standard mode only; a stable predictor
 * with a model; each canary named, unique, different from the stable name, one implementation, no
 * autoscaling fields (canaries have fixed replicas), minReplicas not above the stable's; traffic
 * percents summing to at most 100.
 */
import type { FieldError } from '../registry.ts';
import { child, index } from '../schema/path.ts';
import { ANNOTATION } from './annotations.ts';
import { listAt, numAt, objAt, predictorImplementations, strAt, type Obj } from './components.ts';
import { duplicate, forbidden, invalid, required } from '../field-errors.ts';

/** The errors of `spec.canary` (empty when absent or valid). */
export function validateCanaries(spec: Obj, annotations: Obj): FieldError[] {
  const canaries = listAt(spec, 'canary');
  if (!canaries || canaries.length === 0) return [];
  const mode = strAt(annotations, ANNOTATION.deploymentMode);
  if (mode !== 'Standard') return [forbidden('spec.canary', `canary is only supported in Standard deployment mode (annotation ${ANNOTATION.deploymentMode}: Standard); use canaryTrafficPercent in Knative mode`)];
  const stable = objAt(spec, 'predictor') ?? {};
  const errors: FieldError[] = [];
  if (!objAt(stable, 'model')) errors.push(required('spec.predictor.model', 'canary requires a stable predictor with a model'));
  const names = new Set<string>();
  let total = 0;
  const stableMin = numAt(stable, 'minReplicas') ?? 1;
  canaries.forEach((c, i) => {
    const at = index('spec.canary', i);
    const p = objAt(c, 'predictor') ?? {};
    const pAt = child(at, 'predictor');
    const name = strAt(p, 'name');
    if (!name) errors.push(required(child(pAt, 'name'), 'each canary predictor needs a name'));
    else if (names.has(name)) errors.push(duplicate(child(pAt, 'name'), name));
    else if (name === strAt(stable, 'name')) errors.push(invalid(child(pAt, 'name'), name, 'conflicts with the stable predictor name'));
    if (name) names.add(name);
    total += numAt(c, 'trafficPercent') ?? 0;
    const impls = predictorImplementations(p);
    if (impls.length !== 1) errors.push(invalid(pAt, impls, 'exactly one of model, a framework key or containers must be specified'));
    for (const key of ['workerSpec', 'maxReplicas', 'scaleTarget', 'scaleMetric', 'autoScaling']) {
      if (p[key] !== undefined && !(key === 'maxReplicas' && p[key] === 0)) errors.push(forbidden(child(pAt, key), 'a canary uses fixed replicas (no autoscaling, no multi-node)'));
    }
    const min = numAt(p, 'minReplicas');
    if (min !== undefined && min > stableMin) errors.push(invalid(child(pAt, 'minReplicas'), min, `must not exceed the stable predictor minReplicas (${stableMin})`));
  });
  if (total > 100) errors.push(invalid('spec.canary', total, 'the sum of canary trafficPercent values must be <= 100'));
  return errors;
}
