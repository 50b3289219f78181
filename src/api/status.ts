/**
 * InferenceService status as KServe writes it (inference_service_status.go), as TypeScript types
 * and the closed sets of names, for the reconciler that fills it and the clients that read it.
 * The schema (schemas/inference-service.ts) carries the same fields for the API server.
 */

/** Condition types KServe sets on an InferenceService. `Ready` = PredictorReady ∧ IngressReady (∧ the other components' Ready). */
export const ISVC_CONDITIONS = [
  'Ready',
  'PredictorRouteReady',
  'TransformerRouteReady',
  'ExplainerRoutesReady',
  'PredictorConfigurationReady',
  'TransformerConfigurationReady',
  'ExplainerConfigurationReady',
  'PredictorReady',
  'TransformerReady',
  'ExplainerReady',
  'IngressReady',
  'RoutesReady',
  'LatestDeploymentReady',
  'CanaryPredictorReady',
  'Stopped',
] as const;
export type IsvcConditionType = (typeof ISVC_CONDITIONS)[number];

/** `modelStatus.transitionStatus`. */
export const TRANSITION_STATUSES = ['UpToDate', 'InProgress', 'BlockedByFailedLoad', 'InvalidSpec'] as const;
export type TransitionStatus = (typeof TRANSITION_STATUSES)[number];

/** `modelStatus.states.{activeModelState,targetModelState}`. */
export const MODEL_STATES = ['Pending', 'Standby', 'Loading', 'Loaded', 'FailedToLoad'] as const;
export type ModelState = (typeof MODEL_STATES)[number];

/**
 * `modelStatus.lastFailureInfo.reason`, as the CRD's enum. (KServe also has untyped constants
 * InvalidWorkerSpecNotSet and InvalidGPUAllocation, which it never writes there.)
 */
export const FAILURE_REASONS = ['ModelLoadFailed', 'RuntimeUnhealthy', 'RuntimeDisabled', 'NoSupportingRuntime', 'RuntimeNotRecognized', 'InvalidPredictorSpec'] as const;
export type FailureReason = (typeof FAILURE_REASONS)[number];

/** A Knative-style condition. */
export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  severity?: 'Error' | 'Warning' | 'Info' | '';
  /** RFC 3339. */
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

/** One entry of a component's traffic split. */
export interface TrafficTarget {
  tag?: string;
  revisionName?: string;
  configurationName?: string;
  latestRevision?: boolean;
  percent?: number;
  url?: string;
}

/** `status.components.<predictor|transformer|explainer>`. */
export interface ComponentStatus {
  latestReadyRevision?: string;
  latestCreatedRevision?: string;
  previousRolledoutRevision?: string;
  latestRolledoutRevision?: string;
  traffic?: TrafficTarget[];
  url?: string;
  restUrl?: string;
  grpcUrl?: string;
  address?: { url?: string };
}

/** `status.modelStatus`. */
export interface ModelStatus {
  transitionStatus: TransitionStatus;
  states?: { activeModelState: ModelState | ''; targetModelState?: ModelState | '' };
  lastFailureInfo?: { location?: string; reason?: FailureReason; message?: string; modelRevisionName?: string; time?: string; exitCode?: number };
  copies?: { failedCopies: number; totalCopies?: number };
}

/** `status` of an InferenceService. */
export interface InferenceServiceStatus {
  observedGeneration?: number;
  conditions?: Condition[];
  url?: string;
  address?: { url?: string };
  components?: Partial<Record<'predictor' | 'transformer' | 'explainer', ComponentStatus>>;
  modelStatus?: ModelStatus;
  canaryStatuses?: { name: string; ready: boolean; trafficPercent: number; modelStatus?: ModelStatus }[];
  deploymentMode?: string;
  servingRuntimeName?: string;
  clusterServingRuntimeName?: string;
}
