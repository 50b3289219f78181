/**
 * The InferenceService v1beta1 schema (inference_service.go, transformer.go, explainer.go,
 * inference_service_status.go). Status is open (KServe marks it PreserveUnknownFields) but its
 * known fields are typed, so `kubectl explain inferenceservice.status` shows them.
 */
import type { JsonSchema } from '../registry.ts';
import { componentExtensionFields, modelStorageSchema, storageUrisSchema } from './component.ts';
import { bool, int32, obj, objList, oneOf, str, strMap } from './fields.ts';
import { addressableSchema, conditionsSchema, topLevel } from './meta.ts';
import { containerFields, podSpecFields } from './pod.ts';
import { canarySchema, predictorSchema } from './predictor.ts';
import { FAILURE_REASONS, MODEL_STATES, TRANSITION_STATUSES } from '../status.ts';

/** The ART explainer types (ARTExplainerType). */
export const ART_EXPLAINER_TYPES = ['SquareAttack'] as const;

function transformerSchema(): JsonSchema {
  return obj('Pre/post processing before and after the predictor call (custom containers).', {
    ...podSpecFields(),
    ...componentExtensionFields(),
    storageUris: storageUrisSchema(),
  });
}

function explainerSchema(): JsonSchema {
  return obj('Model explanation service.', {
    art: obj('Adversarial Robustness Toolbox explainer.', {
      type: oneOf('Type of ART explainer.', ART_EXPLAINER_TYPES),
      storageUri: str('URI of the explainer model.'),
      runtimeVersion: str('Explainer image tag.'),
      config: strMap('Explainer parameters.'),
      ...containerFields(),
      storage: modelStorageSchema(),
    }, ['type']),
    ...podSpecFields(),
    ...componentExtensionFields(),
    storageUris: storageUrisSchema(),
  });
}

function modelStatusSchema(): JsonSchema {
  // As KServe's CRD: the empty string is allowed (Go writes it for unset states), with defaults.
  const state = (description: string, dflt: string): JsonSchema => ({ type: 'string', description, enum: ['', ...MODEL_STATES], default: dflt });
  return obj('State of the model served by the predictor.', {
    transitionStatus: { type: 'string', description: 'UpToDate, InProgress, BlockedByFailedLoad or InvalidSpec.', enum: ['', ...TRANSITION_STATUSES], default: 'UpToDate' },
    states: obj('Model states of the active and target revisions.', { activeModelState: state('State of the serving revision.', 'Pending'), targetModelState: state('State of the revision being rolled out.', '') }, ['activeModelState']),
    lastFailureInfo: obj('Details of the last failure.', {
      location: str('Where the failure occurred.'),
      reason: oneOf('Why the model failed.', FAILURE_REASONS),
      message: str('Details of the failure.'),
      modelRevisionName: str('Revision that failed.'),
      time: str('When the failure occurred.', { format: 'date-time' }),
      exitCode: int32('Exit code of the failed container.'),
    }),
    copies: obj('Counts of model copies.', { failedCopies: { type: 'integer', description: 'Copies that failed to load.' }, totalCopies: { type: 'integer', description: 'Copies in the cluster.' } }, ['failedCopies']),
  }, ['transitionStatus']);
}

function componentStatusSchema(): JsonSchema {
  return obj('Status of one component.', {
    latestReadyRevision: str('Latest revision that is ready.'),
    latestCreatedRevision: str('Latest revision created.'),
    previousRolledoutRevision: str('Revision rolled out before the latest.'),
    latestRolledoutRevision: str('Latest revision that took 100% of traffic.'),
    traffic: objList('Traffic split across revisions.', {
      tag: str('Tag of the revision (prev, latest).'),
      revisionName: str('Revision the traffic goes to.'),
      configurationName: str('Configuration whose latest revision gets the traffic.'),
      latestRevision: bool('Whether this is the latest ready revision.'),
      percent: { type: 'integer', format: 'int64', description: 'Percent of traffic.' },
      url: str('URL of this tagged revision.'),
    }),
    url: str('URL of the component.'),
    restUrl: str('REST URL of the component.'),
    grpcUrl: str('gRPC URL of the component.'),
    address: addressableSchema(),
  });
}

function statusSchema(): JsonSchema {
  return {
    type: 'object',
    description: 'Observed state of the InferenceService.',
    'x-kubernetes-preserve-unknown-fields': true,
    properties: {
      observedGeneration: { type: 'integer', format: 'int64', description: 'Generation last processed by the controller.' },
      conditions: conditionsSchema(),
      annotations: strMap('Status annotations.'),
      url: str('URL of the InferenceService.'),
      address: addressableSchema(),
      components: { type: 'object', description: 'Status per component (predictor, transformer, explainer).', additionalProperties: componentStatusSchema() },
      modelStatus: modelStatusSchema(),
      canaryStatuses: objList('Status of each canary.', { name: str('Canary name.'), ready: bool('Whether the canary is ready.'), trafficPercent: int32('Traffic routed to it.'), modelStatus: modelStatusSchema() }),
      deploymentMode: str('Deployment mode the InferenceService runs in.'),
      servingRuntimeName: str('ServingRuntime the predictor runs on.'),
      clusterServingRuntimeName: str('ClusterServingRuntime the predictor runs on.'),
    },
  };
}

/** The InferenceService v1beta1 schema. */
export function inferenceServiceSchema(): JsonSchema {
  const spec = obj('Desired state of the InferenceService.', {
    predictor: predictorSchema(),
    explainer: explainerSchema(),
    transformer: transformerSchema(),
    canary: canarySchema(),
  }, ['predictor']);
  return topLevel('InferenceService is the Schema for the InferenceServices API.', spec, statusSchema());
}

