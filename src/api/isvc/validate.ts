/**
 * KServe's validating webhook for InferenceService (inference_service_validation.go), returning
 * every problem as a FieldError (KServe stops at the first; the API server lists them all, which
 * is what `kubectl apply` prints). An unknown model format or a missing runtime is *not* an
 * admission error: as in KServe, the reconciler reports it in status (runtime/select.ts).
 */
import type { FieldError } from '../registry.ts';
import { nameErrors } from '../schema/object-meta.ts';
import { isObject, text } from '../schema/path.ts';
import { LEGACY_PREDICTOR_KEYS } from '../schemas/predictor.ts';
import { ANNOTATION, validateAnnotations } from './annotations.ts';
import { validateComponentAutoscaling } from './autoscaling.ts';
import { validateCanaries } from './canary.ts';
import { COMPONENTS, implementationChoices, implementationsOf, objAt, strAt, type ComponentName, type Obj } from './components.ts';
import { blockedEnvErrors, collocationErrors, multiNodeErrors } from './containers-checks.ts';
import { forbidden, invalid, required } from '../field-errors.ts';
import { validateExtension } from './extension.ts';
import { storageUriErrors, storageUrisErrors } from './storage-checks.ts';

function exactlyOne(name: ComponentName, component: Obj): FieldError[] {
  const impls = implementationsOf(name, component);
  if (impls.length === 1) return [];
  const path = `spec.${name}`;
  const choices = implementationChoices(name).join(', ');
  if (impls.length === 0) return [required(path, `exactly one of [${choices}] must be specified`)];
  return [invalid(path, impls, `exactly one of [${choices}] must be specified, found ${impls.length}: ${impls.join(' and ')}`)];
}

/** The storageUri of the component's implementation (model, framework key or art), and its path. */
function implStorageUri(name: ComponentName, component: Obj): [string, unknown] | undefined {
  for (const key of name === 'predictor' ? ['model', ...LEGACY_PREDICTOR_KEYS] : ['art']) {
    const impl = objAt(component, key);
    if (impl && impl.storageUri !== undefined) return [`spec.${name}.${key}.storageUri`, impl.storageUri];
  }
  return undefined;
}

function componentErrors(name: ComponentName, component: Obj, annotations: Obj): FieldError[] {
  const path = `spec.${name}`;
  const errors = [...exactlyOne(name, component), ...validateExtension(path, component), ...validateComponentAutoscaling(path, component, annotations)];
  const uri = implStorageUri(name, component);
  if (uri) errors.push(...storageUriErrors(uri[0], uri[1]));
  errors.push(...storageUrisErrors(path, component, typeof uri?.[1] === 'string' ? uri[1] : undefined));
  errors.push(...blockedEnvErrors(path, component));
  return errors;
}

/** validatePredictor: the inlined container of `model` or a framework key may not be named. */
function predictorNameErrors(predictor: Obj): FieldError[] {
  const errors: FieldError[] = [];
  for (const key of ['model', ...LEGACY_PREDICTOR_KEYS]) {
    const name = strAt(objAt(predictor, key), 'name');
    if (name) errors.push(forbidden(`spec.predictor.${key}.name`, "the 'name' field is not allowed in standard predictor (use spec.predictor.name for a variant)"));
  }
  return errors;
}

function updateErrors(isvc: Obj, old: Obj, annotations: Obj): FieldError[] {
  const errors: FieldError[] = [];
  const was = strAt(objAt(old, 'status'), 'deploymentMode');
  const now = strAt(annotations, ANNOTATION.deploymentMode);
  const normal = was === 'RawDeployment' ? 'Standard' : was === 'Serverless' ? 'Knative' : was;
  if (normal && now !== undefined && now !== normal) errors.push(forbidden(`metadata.annotations[${ANNOTATION.deploymentMode}]`, `deploymentMode cannot be changed from '${normal}' to '${now}'`));
  const p = objAt(objAt(isvc, 'spec'), 'predictor') ?? {};
  const q = objAt(objAt(old, 'spec'), 'predictor') ?? {};
  if (strAt(p, 'name') !== strAt(q, 'name')) {
    const uri = (x: Obj): string => text(implStorageUri('predictor', x)?.[1]);
    if (uri(p) === uri(q)) errors.push(invalid('spec.predictor.name', strAt(p, 'name') ?? '', 'a predictor.name change requires a model change (e.g. storageUri)'));
  }
  return errors;
}

/** KServe's InferenceService admission checks; `old` is the stored object on update. */
export function validateInferenceService(isvc: Obj, old?: Obj): FieldError[] {
  const metadata = objAt(isvc, 'metadata') ?? {};
  const annotations = objAt(metadata, 'annotations') ?? {};
  if (old && metadata.deletionTimestamp) return [];
  const errors: FieldError[] = [];
  const name = strAt(metadata, 'name');
  if (name) errors.push(...nameErrors('metadata.name', name, 'dns1035Label'));
  errors.push(...validateAnnotations(annotations));
  const spec = objAt(isvc, 'spec');
  const predictor = objAt(spec, 'predictor');
  if (!spec || !predictor) return [...errors, required(spec ? 'spec.predictor' : 'spec')];
  errors.push(...multiNodeErrors(predictor, annotations), ...collocationErrors(predictor), ...predictorNameErrors(predictor));
  for (const c of COMPONENTS) {
    const component = spec[c];
    if (isObject(component)) errors.push(...componentErrors(c, component, annotations));
  }
  errors.push(...validateCanaries(spec, annotations));
  if (old) errors.push(...updateErrors(isvc, old, annotations));
  return errors;
}

