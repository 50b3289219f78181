/**
 * KServe's ServingRuntime / ClusterServingRuntime admission checks (webhook/admission/
 * servingruntime): containers present; one priority per auto-selected format within a runtime; no
 * other enabled runtime of the same scope, multi-model mode and a shared protocol gives the same
 * format and version the same priority (auto-selection would be a tie); multi-node rules; no
 * PYTHONPATH. A disabled runtime is accepted as it is.
 */
import type { FieldError } from '../registry.ts';
import { child, index, isObject, text } from '../schema/path.ts';
import { forbidden, invalid, required } from '../field-errors.ts';

type Obj = Record<string, unknown>;
const o = (v: unknown): Obj => (isObject(v) ? v : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

function envErrors(path: string, containers: unknown[], names: readonly string[], why: string): FieldError[] {
  const errors: FieldError[] = [];
  containers.forEach((c, i) => list(o(c).env).forEach((e, j) => {
    const name = o(e).name;
    if (typeof name === 'string' && names.includes(name)) errors.push(forbidden(child(index(child(index(path, i), 'env'), j), 'name'), `environment variable ${name} ${why}`));
  }));
  return errors;
}

function samePriorityWithin(spec: Obj): FieldError[] {
  const seen = new Map<string, number>();
  const errors: FieldError[] = [];
  list(spec.supportedModelFormats).forEach((f, i) => {
    const { name, priority, autoSelect } = o(f);
    if (autoSelect !== true || typeof name !== 'string' || typeof priority !== 'number') return;
    const before = seen.get(name);
    if (before !== undefined && before !== priority) errors.push(invalid(child(index('spec.supportedModelFormats', i), 'priority'), priority, `different priorities assigned for the model format ${name} (${before} and ${priority})`));
    if (before === undefined) seen.set(name, priority);
  });
  return errors;
}

function sameFormat(a: Obj, b: Obj): boolean {
  return text(a.name).toLowerCase() === text(b.name).toLowerCase() && a.version === b.version;
}

function clashes(name: string, spec: Obj, others: Obj[]): FieldError[] {
  const errors: FieldError[] = [];
  const protocols = list(spec.protocolVersions);
  for (const other of others) {
    const otherName = text(o(other.metadata).name);
    const os = o(other.spec);
    if (otherName === name || os.disabled === true || (os.multiModel === true) !== (spec.multiModel === true)) continue;
    if (!list(os.protocolVersions).some((p) => protocols.includes(p))) continue;
    list(spec.supportedModelFormats).forEach((f, i) => {
      const mine = o(f);
      if (mine.autoSelect !== true || typeof mine.priority !== 'number') return;
      const tie = list(os.supportedModelFormats).map(o).find((x) => x.autoSelect === true && sameFormat(x, mine) && x.priority === mine.priority);
      if (tie) errors.push(invalid(child(index('spec.supportedModelFormats', i), 'priority'), mine.priority, `same priority assigned for the model format ${text(mine.name)} in the runtimes ${otherName} and ${name}`));
    });
  }
  return errors;
}

function multiNode(spec: Obj, old: Obj | undefined): FieldError[] {
  const worker = spec.workerSpec;
  const errors: FieldError[] = [];
  if (worker === undefined) {
    if (old && o(old.spec).workerSpec !== undefined) errors.push(forbidden('spec.workerSpec', 'removing workerSpec where it already exists is not allowed'));
    return errors;
  }
  const w = o(worker);
  if (list(w.containers).length > 1) errors.push(forbidden('spec.workerSpec.containers', 'setting multiple containers in workerSpec is not allowed'));
  for (const key of ['pipelineParallelSize', 'tensorParallelSize']) {
    const v = w[key];
    if (typeof v === 'number' && v < 1) errors.push(invalid(`spec.workerSpec.${key}`, v, 'cannot be less than 1'));
  }
  errors.push(...envErrors('spec.containers', list(spec.containers), ['PIPELINE_PARALLEL_SIZE', 'TENSOR_PARALLEL_SIZE'], 'is not allowed with workerSpec'));
  return errors;
}

/**
 * The admission errors of a ServingRuntime or ClusterServingRuntime. `others` are the existing
 * runtimes of the same kind (and namespace); `old` is the stored object on update.
 */
export function validateServingRuntime(rt: Obj, others: Obj[], old?: Obj): FieldError[] {
  const spec = o(rt.spec);
  if (!isObject(rt.spec)) return [required('spec')];
  // An absent list is the schema's error (required); an empty one is this webhook's.
  if (Array.isArray(spec.containers) && spec.containers.length === 0) return [required('spec.containers', 'a runtime needs at least one container')];
  if (spec.disabled === true) return [];
  const name = text(o(rt.metadata).name);
  const errors = [...samePriorityWithin(spec), ...clashes(name, spec, others), ...multiNode(spec, old)];
  list(spec.supportedModelFormats).forEach((f, i) => {
    if (!o(f).name) errors.push(required(child(index('spec.supportedModelFormats', i), 'name')));
  });
  errors.push(...envErrors('spec.containers', list(spec.containers), ['PYTHONPATH'], 'is not allowed'));
  errors.push(...envErrors('spec.workerSpec.containers', list(o(spec.workerSpec).containers), ['PYTHONPATH'], 'is not allowed'));
  return errors;
}
