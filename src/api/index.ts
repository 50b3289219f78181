/**
 * The resource kinds of kserve-ts, as the API server and the reconciler use them: the registry
 * contract, every kind with its schema, hooks and printer columns, lookups, the schema tools,
 * KServe's defaulting and validation, runtime selection and the built-in ClusterServingRuntimes.
 */
import type { ResourceKind } from './registry.ts';
import { allKinds } from './kinds/all.ts';

export type { AdmissionContext, FieldError, JsonSchema, KindVersion, PrinterColumn, ResourceKind } from './registry.ts';
export { allKinds, kindByGroupPlural, kindByKind, kindByName, storageVersion } from './kinds/all.ts';
export { inferenceServiceKind } from './kinds/inference-service.ts';
export type { InferenceServiceKindOptions } from './kinds/inference-service.ts';
export { runtimeAdmissionErrors } from './isvc/runtime-check.ts';

export { defaultsFromSchema, dropNulls, findUnknownFields, nameErrors, pruneUnknownFields, validateAgainstSchema, validateObjectMeta } from './schema/index.ts';
export type { NameRule, ObjectMetaOptions } from './schema/index.ts';

export { DEFAULT_DEFAULTING_CONFIG, defaultInferenceService } from './isvc/defaults.ts';
export type { DefaultingConfig, ResourceDefaults } from './isvc/defaults.ts';
export { validateInferenceService } from './isvc/validate.ts';
export { convertLegacyPredictor } from './isvc/legacy.ts';
export { ANNOTATION, AUTOSCALER_CLASSES, DEPLOYMENT_MODES } from './isvc/annotations.ts';
export { LEGACY_PREDICTOR_KEYS, PROTOCOL_VERSIONS } from './schemas/predictor.ts';
export { storageUriProblem, STORAGE_URI_PREFIXES } from './storage-uri.ts';

export { BUILTIN_CLUSTER_SERVING_RUNTIMES, builtinClusterServingRuntimes, withBuiltinClusterRuntimes } from './runtime/builtin.ts';
export type { RuntimeObject } from './runtime/builtin.ts';
export { selectRuntime } from './runtime/select.ts';
export type { RuntimeSelection, SelectionFailureReason } from './runtime/select.ts';
export { validateServingRuntime } from './runtime/validate.ts';
export { validateInferenceGraph } from './graph/validate.ts';
export { validateTrainedModel } from './trained-model/validate.ts';

export { FAILURE_REASONS, ISVC_CONDITIONS, MODEL_STATES, TRANSITION_STATUSES } from './status.ts';
export type { ComponentStatus, Condition, FailureReason, InferenceServiceStatus, IsvcConditionType, ModelState, ModelStatus, TrafficTarget, TransitionStatus } from './status.ts';

/** Every kind served: InferenceService, ServingRuntime, ClusterServingRuntime, InferenceGraph, TrainedModel, Namespace, Event. */
export const ALL_KINDS: readonly ResourceKind[] = Object.freeze(allKinds());

/** How each kind's `metadata.name` is checked (validateObjectMeta's nameRule); others use DNS-1123 subdomain. */
export const NAME_RULES: Readonly<Record<string, 'dns1123Subdomain' | 'dns1123Label' | 'dns1035Label'>> = Object.freeze({
  InferenceService: 'dns1035Label',
  InferenceGraph: 'dns1035Label',
  Namespace: 'dns1123Label',
});
