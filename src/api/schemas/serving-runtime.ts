/**
 * The ServingRuntime / ClusterServingRuntime v1alpha1 schema (servingruntime_types.go); both kinds
 * share the spec. Runtime containers are open objects: their args are Go templates over the
 * InferenceService metadata (`{{.Name}}`), kept exactly.
 */
import type { JsonSchema } from '../registry.ts';
import { bool, int32, obj, objList, open, openList, str, strMap } from './fields.ts';
import { topLevel } from './meta.ts';
import { containerList } from './pod.ts';
import { PROTOCOL_VERSIONS } from './predictor.ts';

function runtimePodSpecFields(): Record<string, JsonSchema> {
  return {
    containers: containerList('Containers of the runtime; the one named kserve-container serves the model.'),
    volumes: openList('Volumes the runtime containers can mount.'),
    nodeSelector: strMap('Labels a node must have to run the runtime.'),
    affinity: open('Scheduling constraints.'),
    tolerations: openList('Tolerations of node taints.'),
    labels: strMap('Labels added to the runtime pods.'),
    annotations: strMap('Annotations added to the runtime pods.'),
    imagePullSecrets: openList('Secrets for pulling images.'),
    hostIPC: bool("Use the host's ipc namespace."),
    schedulerName: str('Scheduler that schedules the pods.'),
    resourceClaims: openList('Resource claims (DRA) of the pods.'),
  };
}

/** The spec shared by ServingRuntime and ClusterServingRuntime. */
export function servingRuntimeSpecSchema(): JsonSchema {
  return obj('Desired state of the runtime.', {
    supportedModelFormats: objList('Model formats the runtime serves.', {
      name: str('Name of the model format.'),
      version: str('Version of the format: major[.minor[.patch]].'),
      autoSelect: bool('Whether the runtime may be selected automatically for this format.'),
      priority: int32('Priority among runtimes that support the format; higher wins.', { minimum: 1 }),
    }, ['name']),
    multiModel: bool('Whether the runtime serves many models (ModelMesh).'),
    disabled: bool('Whether the runtime is disabled.'),
    protocolVersions: { type: 'array', description: 'Inference protocols the runtime speaks.', items: { type: 'string', enum: [...PROTOCOL_VERSIONS] } },
    workerSpec: obj('Worker pods for multi-node serving.', {
      ...runtimePodSpecFields(),
      pipelineParallelSize: { type: 'integer', description: 'Number of nodes the model is split across.' },
      tensorParallelSize: { type: 'integer', description: 'GPUs per node the model is split across.' },
    }, ['containers']),
    ...runtimePodSpecFields(),
    grpcEndpoint: str('gRPC model management endpoint (ModelMesh).'),
    grpcDataEndpoint: str('gRPC inference endpoint (ModelMesh).'),
    httpDataEndpoint: str('HTTP inference endpoint (ModelMesh).'),
    replicas: { type: 'integer', description: 'Replicas of the runtime (ModelMesh).', minimum: 0, maximum: 65535 },
    storageHelper: obj('Storage helper of the runtime (ModelMesh).', { disabled: bool('Disable the storage helper.') }),
    builtInAdapter: obj('Built-in adapter (ModelMesh).', {
      serverType: str('Server type: triton, mlserver, ovms, torchserve.'),
      runtimeManagementPort: { type: 'integer', description: 'Port of the runtime management API.' },
      memBufferBytes: { type: 'integer', description: 'Memory kept free, bytes.' },
      modelLoadingTimeoutMillis: { type: 'integer', description: 'Model load timeout, ms.' },
      env: openList('Environment of the adapter.'),
    }),
  }, ['containers']);
}

/** The ServingRuntime schema (ClusterServingRuntime has the same shape). */
export function servingRuntimeSchema(kind: 'ServingRuntime' | 'ClusterServingRuntime'): JsonSchema {
  const scope = kind === 'ServingRuntime' ? 'in one namespace' : 'cluster-wide';
  return topLevel(`${kind} is a model server template available ${scope}.`, servingRuntimeSpecSchema(), { type: 'object', description: 'Observed state (unused).', 'x-kubernetes-preserve-unknown-fields': true });
}
