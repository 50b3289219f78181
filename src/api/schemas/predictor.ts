/**
 * The InferenceService predictor (predictor.go, predictor_model.go): a pod spec, the component
 * extension fields, and exactly one implementation: `model:`, a legacy framework key, or custom
 * `containers:`.
 */
import type { JsonSchema } from '../registry.ts';
import { componentExtensionFields, modelStorageSchema, storageUrisSchema } from './component.ts';
import { bool, int32, obj, oneOf, str } from './fields.ts';
import { containerFields, podSpecFields } from './pod.ts';

/** `protocolVersion` values (constants.InferenceServiceProtocol). */
export const PROTOCOL_VERSIONS = ['v1', 'v2', 'grpc-v1', 'grpc-v2'] as const;

/** The legacy framework keys of PredictorSpec, each rewritten to `model.modelFormat.name` by the defaulter. */
export const LEGACY_PREDICTOR_KEYS = ['sklearn', 'xgboost', 'tensorflow', 'pytorch', 'triton', 'onnx', 'huggingface', 'pmml', 'lightgbm', 'paddle'] as const;
export type LegacyPredictorKey = (typeof LEGACY_PREDICTOR_KEYS)[number];

/** The fields of PredictorExtensionSpec: storage and protocol, plus the inlined container. */
export function predictorExtensionFields(): Record<string, JsonSchema> {
  return {
    storageUri: str('URI of the model (gs://, s3://, pvc://, https://, hf://, oci:// ...).'),
    runtimeVersion: str('Runtime image tag.'),
    protocolVersion: oneOf('Inference protocol: v1, v2, grpc-v1 or grpc-v2.', PROTOCOL_VERSIONS),
    ...containerFields(),
    storage: modelStorageSchema(),
    confidential: obj('Confidential model decryption.', { enabled: bool('Decrypt the model at load.'), resourceId: str('Key broker resource id.') }, ['enabled']),
  };
}

/** `model:` (ModelSpec). */
export function modelSpecSchema(): JsonSchema {
  return obj(
    'Model format, runtime and storage; the runtime is selected from the ServingRuntimes that support the format.',
    {
      modelFormat: obj('Format of the model.', { name: str('Name of the format (sklearn, onnx, xgboost ...).'), version: str('Version of the format: major[.minor[.patch]].') }, ['name']),
      runtime: str('ServingRuntime or ClusterServingRuntime to use; selected automatically when empty.'),
      ...predictorExtensionFields(),
    },
    ['modelFormat'],
  );
}

function legacyFrameworkSchema(key: LegacyPredictorKey): JsonSchema {
  return obj(`Deprecated: use model with modelFormat.name ${key}.`, predictorExtensionFields());
}

/** `workerSpec:` for multi-node serving. */
function workerSpecSchema(): JsonSchema {
  return obj('Worker pods of a multi-node predictor.', {
    ...podSpecFields(),
    pipelineParallelSize: { type: 'integer', description: 'Number of nodes the model is split across.' },
    tensorParallelSize: { type: 'integer', description: 'GPUs per node the model is split across.' },
  });
}

/** The predictor (PredictorSpec). */
export function predictorSchema(): JsonSchema {
  const legacy: Record<string, JsonSchema> = {};
  for (const key of LEGACY_PREDICTOR_KEYS) legacy[key] = legacyFrameworkSchema(key);
  return obj('The model serving component.', {
    name: str('Variant name; the Deployment is named {isvc}-{name}-predictor.'),
    ...legacy,
    model: modelSpecSchema(),
    storageUris: storageUrisSchema(),
    storageContainerName: str('ClusterStorageContainer to download the model with.'),
    workerSpec: workerSpecSchema(),
    ...podSpecFields(),
    ...componentExtensionFields(),
  });
}

/** `canary[]` (Standard mode): a predictor variant and its traffic share. */
export function canarySchema(): JsonSchema {
  return {
    type: 'array',
    description: 'Canary predictors for progressive rollout (Standard mode).',
    'x-kubernetes-list-type': 'atomic',
    items: obj('A canary predictor.', { predictor: predictorSchema(), trafficPercent: int32('Percent of traffic for this canary.', { minimum: 0, maximum: 100 }) }, ['predictor', 'trafficPercent']),
  };
}
