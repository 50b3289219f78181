/**
 * KServe's mutating webhook for InferenceService (inference_service_defaults.go), in place:
 *
 * 1. `serving.kserve.io/deploymentMode`: legacy `RawDeployment` → `Standard`, `Serverless` →
 *    `Knative`; without the annotation, a configured default of Standard or ModelMesh is written.
 * 2. Outside ModelMesh, a legacy framework key becomes `predictor.model` (legacy.ts: on update
 *    it replaces an existing `model`, as KServe; on create that pair is left to validation); `model`
 *    formats triton and vLLM default to protocol v2; the `modelFormat` annotation records the format.
 * 3. Each component with exactly one implementation gets its implementation defaults: custom
 *    containers are named `kserve-container` and get the configured default resources; the ART
 *    explainer gets its name, image version and resources.
 *
 * Defaulting is idempotent: a second run changes nothing.
 */
import { isObject } from '../schema/path.ts';
import { COMPONENTS, implementationsOf, listAt, objAt, SERVING_CONTAINER, strAt, type ComponentName, type Obj } from './components.ts';
import { convertLegacyPredictor, MODEL_V2_DEFAULT } from './legacy.ts';
import { ANNOTATION } from './annotations.ts';

/** Resource defaults for custom containers (the `inferenceService.resource` config of KServe). */
export interface ResourceDefaults {
  cpuRequest?: string;
  memoryRequest?: string;
  cpuLimit?: string;
  memoryLimit?: string;
}

/** The configuration the defaulter reads (KServe's `inferenceservice-config` ConfigMap). */
export interface DefaultingConfig {
  /** Written as the deploymentMode annotation when absent, if Standard or ModelMesh (as KServe). */
  defaultDeploymentMode?: string;
  resource: ResourceDefaults;
  /** `explainers.art.defaultImageVersion`. */
  artDefaultImageVersion: string;
}

/** KServe's shipped configuration: 1 CPU and 2Gi requests and limits; ART image `latest`; no default mode. */
export const DEFAULT_DEFAULTING_CONFIG: Readonly<DefaultingConfig> = Object.freeze({
  resource: Object.freeze({ cpuRequest: '1', memoryRequest: '2Gi', cpuLimit: '1', memoryLimit: '2Gi' }),
  artDefaultImageVersion: 'latest',
});

function ensureMap(holder: Obj, key: string): Obj {
  const v = holder[key];
  if (isObject(v)) return v;
  const fresh: Obj = {};
  holder[key] = fresh;
  return fresh;
}

/** setResourceRequirementDefaults: fills cpu/memory requests and limits that are not set. */
function setResourceDefaults(container: Obj, cfg: ResourceDefaults): void {
  const resources = ensureMap(container, 'resources');
  const fill = (kind: 'requests' | 'limits', cpu: string | undefined, memory: string | undefined): void => {
    if (cpu === undefined && memory === undefined) return;
    const list = ensureMap(resources, kind);
    if (cpu !== undefined && list.cpu === undefined) list.cpu = cpu;
    if (memory !== undefined && list.memory === undefined) list.memory = memory;
  };
  fill('requests', cfg.cpuRequest, cfg.memoryRequest);
  fill('limits', cfg.cpuLimit, cfg.memoryLimit);
  if (Object.keys(resources).length === 0) delete container.resources;
}

function defaultCustomContainers(name: ComponentName, component: Obj, cfg: DefaultingConfig): void {
  const containers = listAt(component, 'containers');
  const first = containers?.[0];
  if (!containers || !isObject(first)) return;
  // The predictor names its first container only when it is alone or unnamed (a sidecar keeps its
  // name); transformer and explainer always name their first container.
  if (name !== 'predictor' || containers.length === 1 || !strAt(first, 'name')) first.name = SERVING_CONTAINER;
  setResourceDefaults(first, cfg.resource);
}

function defaultComponent(name: ComponentName, component: Obj, cfg: DefaultingConfig): void {
  const impls = implementationsOf(name, component);
  if (impls.length !== 1) return; // validation reports it
  if (impls[0] === 'containers') defaultCustomContainers(name, component, cfg);
  const art = objAt(component, 'art');
  if (impls[0] === 'art' && art) {
    art.name = SERVING_CONTAINER;
    if (art.runtimeVersion === undefined) art.runtimeVersion = cfg.artDefaultImageVersion;
    setResourceDefaults(art, cfg.resource);
  }
}

function normaliseDeploymentMode(metadata: Obj, cfg: DefaultingConfig): string | undefined {
  const annotations = objAt(metadata, 'annotations');
  const mode = strAt(annotations, ANNOTATION.deploymentMode);
  if (annotations && mode !== undefined) {
    const normal = mode === 'RawDeployment' ? 'Standard' : mode === 'Serverless' ? 'Knative' : mode;
    annotations[ANNOTATION.deploymentMode] = normal;
    return normal;
  }
  const fallback = cfg.defaultDeploymentMode;
  if (fallback === 'Standard' || fallback === 'ModelMesh') {
    ensureMap(metadata, 'annotations')[ANNOTATION.deploymentMode] = fallback;
    return fallback;
  }
  return undefined;
}

function defaultPredictorModel(metadata: Obj, predictor: Obj): void {
  // A stored object (an update) has a uid; a legacy key next to its model is an edited legacy manifest.
  convertLegacyPredictor(predictor, { replaceModel: typeof metadata.uid === 'string' && metadata.uid !== '' });
  const model = objAt(predictor, 'model');
  if (!model) return;
  const format = strAt(objAt(model, 'modelFormat'), 'name');
  if (model.protocolVersion === undefined && format !== undefined && MODEL_V2_DEFAULT.has(format)) model.protocolVersion = 'v2';
  if (format) {
    const annotations = ensureMap(metadata, 'annotations');
    if (annotations[ANNOTATION.modelFormat] === undefined) annotations[ANNOTATION.modelFormat] = format;
  }
}

/** Applies KServe's InferenceService defaults to `isvc` in place. */
export function defaultInferenceService(isvc: Obj, cfg: DefaultingConfig = DEFAULT_DEFAULTING_CONFIG): void {
  const metadata = isObject(isvc.metadata) ? isvc.metadata : (isvc.metadata = {});
  const spec = objAt(isvc, 'spec');
  const mode = normaliseDeploymentMode(metadata, cfg);
  if (!spec) return;
  const predictor = objAt(spec, 'predictor');
  if (predictor && mode !== 'ModelMesh') defaultPredictorModel(metadata, predictor);
  for (const name of COMPONENTS) {
    const component = objAt(spec, name);
    if (component && (name !== 'predictor' || mode !== 'ModelMesh')) defaultComponent(name, component, cfg);
  }
}
