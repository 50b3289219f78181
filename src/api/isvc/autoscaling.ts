/**
 * KServe's autoscaling checks per component (`validateAutoScalingCompExtension` and the HPA, KEDA
 * and Knative variants in inference_service_validation.go). Which rules apply depends on the
 * annotations: Standard mode with autoscalerClass hpa or keda; otherwise Knative's KPA, unless
 * `autoscaling.knative.dev/class` selects HPA.
 */
import type { FieldError } from '../registry.ts';
import { child, index } from '../schema/path.ts';
import { ANNOTATION, HPA_METRICS, KNATIVE_HPA_CLASS, KPA_METRICS } from './annotations.ts';
import { listAt, numAt, objAt, strAt, type Obj } from './components.ts';
import { forbidden, invalid, notSupported, required } from '../field-errors.ts';

function checkMetric(path: string, ext: Obj, supported: readonly string[], fallback: string): string | FieldError {
  const metric = strAt(ext, 'scaleMetric') ?? fallback;
  return supported.includes(metric) ? metric : notSupported(child(path, 'scaleMetric'), metric, supported);
}

function checkTarget(path: string, target: Obj | undefined): FieldError[] {
  if (!target) return [];
  const type = strAt(target, 'type');
  const needs = type === 'Utilization' ? 'averageUtilization' : type === 'AverageValue' ? 'averageValue' : type === 'Value' ? 'value' : undefined;
  if (needs && target[needs] === undefined) return [required(child(path, needs), `target type ${type} needs ${needs}`)];
  const util = numAt(target, 'averageUtilization');
  if (type === 'Utilization' && util !== undefined && (util < 1 || util > 100)) return [invalid(child(path, 'averageUtilization'), util, 'the target utilization percentage should be a [1-100] integer')];
  return [];
}

function hpa(path: string, ext: Obj): FieldError[] {
  const metric = checkMetric(path, ext, HPA_METRICS, 'cpu');
  if (typeof metric !== 'string') return [metric];
  const errors: FieldError[] = [];
  const target = numAt(ext, 'scaleTarget');
  // As KServe: cpu targets are utilization percentages; memory targets are MiB.
  if (target !== undefined && ((metric === 'cpu' && target < 1) || target > 100)) errors.push(invalid(child(path, 'scaleTarget'), target, 'the target utilization percentage should be a [1-100] integer'));
  if (target !== undefined && metric === 'memory' && target < 1) errors.push(invalid(child(path, 'scaleTarget'), target, 'the target memory should be greater than 1 MiB'));
  (listAt(objAt(ext, 'autoScaling'), 'metrics') ?? []).forEach((m, i) => {
    const at = index(child(path, 'autoScaling.metrics'), i);
    const type = strAt(m, 'type');
    if (type !== 'Resource') errors.push(notSupported(child(at, 'type'), type ?? '', ['Resource']));
    else if (!objAt(m, 'resource')) errors.push(required(child(at, 'resource'), 'a Resource metric needs resource'));
  });
  return errors;
}

function keda(path: string, ext: Obj): FieldError[] {
  const errors: FieldError[] = [];
  if (ext.scaleMetric !== undefined) errors.push(forbidden(child(path, 'scaleMetric'), 'ScaleMetric is not supported for KEDA; use autoScaling.metrics'));
  (listAt(objAt(ext, 'autoScaling'), 'metrics') ?? []).forEach((m, i) => {
    const at = index(child(path, 'autoScaling.metrics'), i);
    const type = strAt(m, 'type');
    const key = type === 'Resource' ? 'resource' : type === 'External' ? 'external' : type === 'PodMetric' ? 'podmetric' : undefined;
    if (!key) return errors.push(notSupported(child(at, 'type'), type ?? '', ['Resource', 'External', 'PodMetric']));
    const source = objAt(m, key);
    if (!source) return errors.push(required(child(at, key), `a ${type} metric needs ${key}`));
    const target = objAt(source, 'target');
    if (key === 'resource') {
      const name = strAt(source, 'name');
      const ttype = strAt(target, 'type');
      if (name === 'cpu' && ttype !== 'Utilization') errors.push(notSupported(child(at, 'resource.target.type'), ttype ?? '', ['Utilization']));
      if (name === 'memory' && ttype !== 'AverageValue' && ttype !== 'Utilization') errors.push(notSupported(child(at, 'resource.target.type'), ttype ?? '', ['AverageValue', 'Utilization']));
    } else {
      if (!strAt(objAt(source, 'metric'), 'query')) errors.push(required(child(at, `${key}.metric.query`), 'the query should not be empty'));
      if (target?.value === undefined) errors.push(required(child(at, `${key}.target.value`), 'the target threshold value should not be empty'));
    }
    return errors.push(...checkTarget(child(at, `${key}.target`), target));
  });
  return errors;
}

function kpa(path: string, ext: Obj): FieldError[] {
  const errors: FieldError[] = [];
  if (ext.deploymentStrategy !== undefined) errors.push(forbidden(child(path, 'deploymentStrategy'), 'customizing deploymentStrategy is only supported for Standard (raw deployment) mode'));
  const metric = checkMetric(path, ext, KPA_METRICS, 'concurrency');
  if (typeof metric !== 'string') return [...errors, metric];
  const target = numAt(ext, 'scaleTarget');
  if (metric === 'rps' && target !== undefined && target < 1) errors.push(invalid(child(path, 'scaleTarget'), target, 'the target for rps should be greater than 1'));
  return errors;
}

/** The autoscaling errors of one component (`path` is e.g. `spec.predictor`). */
export function validateComponentAutoscaling(path: string, ext: Obj, annotations: Obj): FieldError[] {
  const mode = strAt(annotations, ANNOTATION.deploymentMode);
  if (mode === 'Standard') {
    const cls = strAt(annotations, ANNOTATION.autoscalerClass);
    if (cls === 'hpa') return hpa(path, ext);
    if (cls === 'keda') return keda(path, ext);
    return [];
  }
  return strAt(annotations, ANNOTATION.knativeClass) === KNATIVE_HPA_CLASS ? hpa(path, ext) : kpa(path, ext);
}
