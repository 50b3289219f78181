/**
 * Container-level checks of an InferenceService: KServe's blocked environment variables
 * (validateBlockedEnvVars: PYTHONPATH), the STORAGE_URI transformer collocation rule, and the
 * multi-node (`workerSpec`) rules (validateMultiNodeVariables).
 */
import type { FieldError } from '../registry.ts';
import { child, index } from '../schema/path.ts';
import { ANNOTATION } from './annotations.ts';
import { listAt, numAt, objAt, strAt, type Obj } from './components.ts';
import { forbidden, invalid, required } from '../field-errors.ts';

/** Environment variables KServe refuses in any container (validation.DefaultBlockedEnvVars). */
export const BLOCKED_ENV = ['PYTHONPATH'] as const;

function envErrors(containerPath: string, container: unknown, names: readonly string[], why: string): FieldError[] {
  const errors: FieldError[] = [];
  (listAt(container, 'env') ?? []).forEach((e, i) => {
    const name = strAt(e, 'name');
    if (name !== undefined && names.includes(name)) errors.push(forbidden(child(index(child(containerPath, 'env'), i), 'name'), `environment variable ${name} ${why}`));
  });
  return errors;
}

/** Every container of the component at `path`: containers, initContainers, and the inlined model/framework/art container. */
function containersOf(path: string, component: Obj): [string, unknown][] {
  const out: [string, unknown][] = [];
  for (const list of ['containers', 'initContainers']) (listAt(component, list) ?? []).forEach((c, i) => out.push([index(child(path, list), i), c]));
  for (const key of ['model', 'art', 'sklearn', 'xgboost', 'tensorflow', 'pytorch', 'triton', 'onnx', 'huggingface', 'pmml', 'lightgbm', 'paddle']) {
    const inlined = objAt(component, key);
    if (inlined) out.push([child(path, key), inlined]);
  }
  const worker = objAt(component, 'workerSpec');
  if (worker) out.push(...containersOf(child(path, 'workerSpec'), worker));
  return out;
}

/** PYTHONPATH anywhere in the component at `path`. */
export function blockedEnvErrors(path: string, component: Obj): FieldError[] {
  return containersOf(path, component).flatMap(([p, c]) => envErrors(p, c, BLOCKED_ENV, 'is not allowed'));
}

/** A predictor container named transformer-container must not carry STORAGE_URI. */
export function collocationErrors(predictor: Obj): FieldError[] {
  const list = listAt(predictor, 'containers') ?? [];
  const i = list.findIndex((c) => strAt(c, 'name') === 'transformer-container');
  if (i < 0) return [];
  return envErrors(index('spec.predictor.containers', i), list[i], ['STORAGE_URI'], 'should not be specified in the transformer container');
}

/** The workerSpec rules of a predictor. */
export function multiNodeErrors(predictor: Obj, annotations: Obj): FieldError[] {
  const worker = objAt(predictor, 'workerSpec');
  if (!worker) return [];
  const errors: FieldError[] = [];
  const at = 'spec.predictor.workerSpec';
  if ((listAt(worker, 'containers') ?? []).length > 1) errors.push(forbidden(child(at, 'containers'), 'setting multiple containers in workerSpec is not allowed'));
  const model = objAt(predictor, 'model');
  if (model) {
    errors.push(...envErrors('spec.predictor.model', model, ['PIPELINE_PARALLEL_SIZE', 'TENSOR_PARALLEL_SIZE'], 'is not allowed with workerSpec (use pipelineParallelSize / tensorParallelSize)'));
    const uri = strAt(model, 'storageUri');
    if (uri === undefined) errors.push(required('spec.predictor.model.storageUri', 'storageUri must be set for multi-node serving'));
    else if (!uri.startsWith('pvc://') && !uri.startsWith('oci://')) errors.push(invalid('spec.predictor.model.storageUri', uri, 'multi-node serving supports only pvc:// and oci:// storage'));
    const cls = strAt(annotations, ANNOTATION.autoscalerClass);
    if (cls !== 'none') errors.push(invalid(`metadata.annotations[${ANNOTATION.autoscalerClass}]`, cls ?? '', "multi-node serving supports only the 'none' autoscaler class"));
  }
  for (const key of ['pipelineParallelSize', 'tensorParallelSize']) {
    const v = numAt(worker, key);
    if (v !== undefined && v < 1) errors.push(invalid(child(at, key), v, 'cannot be less than 1'));
  }
  return errors;
}
