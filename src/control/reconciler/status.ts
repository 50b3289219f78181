/**
 * The InferenceService status the reconciler writes, shaped as KServe's (inference_service_status.go
 * over a Knative Service): URLs, each component's revisions and traffic, the conditions
 * PredictorReady (TransformerReady, ExplainerReady), IngressReady, LatestDeploymentReady and
 * Ready, and the predictor's modelStatus. Pure: the
 * reconciler observes, this computes, and the writer compares (no write when nothing changed).
 *
 * Conditions follow Knative's Service: PredictorReady tracks the *latest created* revision (Unknown
 * while it loads, False when it fails) even while an older revision keeps serving; IngressReady is
 * True once some revision takes traffic; Ready is their conjunction.
 */
import { FAILURE_REASONS, type ComponentStatus, type Condition, type InferenceServiceStatus, type ModelState, type ModelStatus, type TransitionStatus } from '../../api/index.ts';

/** The components of an InferenceService, in KServe's order. */
export type Component = 'predictor' | 'transformer' | 'explainer';

/** What the reconciler saw for one component. */
export interface ComponentObservation {
  /** The spec cannot run (no runtime, unsupported storage, no command): reason and message for status. */
  problem?: { reason: string; message: string };
  latestCreatedRevision?: string;
  latestRolledoutRevision?: string;
  previousRolledoutRevision?: string;
  /** The latest created revision's state. */
  latest: 'Pending' | 'Loading' | 'Loaded' | 'FailedToLoad';
  /** Why the latest failed (replica exit, or the storage initializer). */
  failure?: { message: string; exitCode?: number };
  /** The storage initializer's progress while the model downloads (replicas not started yet). */
  downloading?: string;
  copies?: { failedCopies: number; totalCopies: number };
  /**
   * Ready replicas of the rolled-out revision (undefined: not observed, taken as serving). Zero
   * while it restarts a crashed replica, or after `up` restarted and before the replicas are
   * back: the ingress is then not ready, so a stored Ready=True is not believed.
   */
  servingReplicas?: number;
}

/** What the reconciler saw for one InferenceService: the predictor, and the transformer and explainer when the spec has them. */
export interface IsvcObservation {
  name: string;
  namespace: string;
  generation?: number;
  runtime?: { name: string; kind: 'ServingRuntime' | 'ClusterServingRuntime' };
  predictor: ComponentObservation;
  transformer?: ComponentObservation;
  explainer?: ComponentObservation;
}

/** Ingress domain settings (KServe's `ingress` config: domain and the cluster-local suffix). */
export interface UrlOptions {
  /** External domain (KServe / Knative default `example.com`). */
  domain: string;
  /** Cluster-local domain for `address.url` (default `svc.cluster.local`). */
  localDomain?: string;
}

const CONDITION: Record<Component, string> = { predictor: 'PredictorReady', transformer: 'TransformerReady', explainer: 'ExplainerReady' };

/**
 * Builds the new status from the observation; conditions keep their lastTransitionTime unless
 * their status changed. Requests enter through the transformer when there is one, so the ingress
 * is ready once the entry component and the predictor both serve.
 */
export function computeStatus(obs: IsvcObservation, prev: InferenceServiceStatus | undefined, urls: UrlOptions, nowIso: string): InferenceServiceStatus {
  const local = urls.localDomain ?? 'svc.cluster.local';
  const present = (['predictor', 'transformer', 'explainer'] as const).filter((c) => obs[c] !== undefined);
  const entry = obs.transformer ?? obs.predictor;
  const serving = entry.latestRolledoutRevision !== undefined && obs.predictor.latestRolledoutRevision !== undefined;
  const blocked = present.some((c) => obs[c]!.problem !== undefined || (obs[c]!.latest === 'FailedToLoad' && obs[c]!.latestRolledoutRevision === undefined));
  const down = serving ? present.find((c) => obs[c]!.latestRolledoutRevision !== undefined && obs[c]!.servingReplicas === 0) : undefined;
  const ingress: Condition = !serving
    ? {
        type: 'IngressReady',
        status: blocked ? 'False' : 'Unknown',
        reason: 'PredictorIngressNotReady',
        message: `Ingress for "${obs.name}" waits for a ready ${obs.transformer && !obs.transformer.latestRolledoutRevision ? 'transformer' : 'predictor'} revision`,
      }
    : down
      ? { type: 'IngressReady', status: 'Unknown', reason: 'NoReadyReplicas', message: `Revision "${obs[down]!.latestRolledoutRevision ?? ''}" of "${obs.name}-${down}" has no ready replica (starting or restarting)` }
      : { type: 'IngressReady', status: 'True' };
  const componentConditions = present.map((c) => ({ ...deploymentCondition(obs[c]!, `${obs.name}-${c}`), type: CONDITION[c] }));
  const latestDeployment: Condition = { ...componentConditions[0]!, type: 'LatestDeploymentReady' };
  const ready = conjunction('Ready', [...componentConditions, ingress]);
  const conditions = [ingress, latestDeployment, ...componentConditions, ready].sort((a, b) => (a.type < b.type ? -1 : 1)).map((c) => keepTransitionTime(c, prev?.conditions, nowIso));

  const status: InferenceServiceStatus = { observedGeneration: obs.generation, conditions, modelStatus: modelStatus(obs.predictor, obs.predictor.latestRolledoutRevision !== undefined) };
  if (serving) {
    status.url = `http://${obs.name}.${obs.namespace}.${urls.domain}`;
    status.address = { url: `http://${obs.name}.${obs.namespace}.${local}` };
  }
  status.components = Object.fromEntries(present.map((c) => [c, componentStatus(obs[c]!, `${obs.name}-${c}`, obs.namespace, urls.domain, local)]));
  if (obs.runtime?.kind === 'ServingRuntime') status.servingRuntimeName = obs.runtime.name;
  if (obs.runtime?.kind === 'ClusterServingRuntime') status.clusterServingRuntimeName = obs.runtime.name;
  status.deploymentMode = 'Serverless';
  if (status.observedGeneration === undefined) delete status.observedGeneration;
  return status;
}

function componentStatus(obs: ComponentObservation, serviceName: string, namespace: string, domain: string, local: string): ComponentStatus {
  const out: ComponentStatus = {};
  const serving = obs.latestRolledoutRevision;
  if (obs.latestCreatedRevision) out.latestCreatedRevision = obs.latestCreatedRevision;
  if (serving) {
    out.latestReadyRevision = serving;
    out.latestRolledoutRevision = serving;
    if (obs.previousRolledoutRevision) out.previousRolledoutRevision = obs.previousRolledoutRevision;
    out.url = `http://${serviceName}.${namespace}.${domain}`;
    out.address = { url: `http://${serviceName}.${namespace}.${local}` };
    out.traffic = [{ revisionName: serving, percent: 100, latestRevision: true }];
  }
  return out;
}

function deploymentCondition(obs: ComponentObservation, serviceName: string): Condition {
  if (obs.problem) return { type: 'LatestDeploymentReady', status: 'False', reason: obs.problem.reason, message: obs.problem.message };
  switch (obs.latest) {
    case 'Loaded':
      return { type: 'LatestDeploymentReady', status: 'True' };
    case 'FailedToLoad':
      // No revision yet: the storage initializer failed before any replica could start.
      if (obs.latestCreatedRevision === undefined) return { type: 'LatestDeploymentReady', status: 'False', reason: 'StorageInitializerFailed', message: obs.failure?.message ?? 'the model could not be fetched' };
      return { type: 'LatestDeploymentReady', status: 'False', reason: 'RevisionFailed', message: `Revision "${obs.latestCreatedRevision}" failed with message: ${obs.failure?.message ?? 'replica failed'}.` };
    default:
      if (obs.downloading !== undefined) return { type: 'LatestDeploymentReady', status: 'Unknown', reason: 'Downloading', message: obs.downloading };
      return { type: 'LatestDeploymentReady', status: 'Unknown', reason: 'RevisionMissing', message: `Configuration "${serviceName}" is waiting for a Revision to become ready.` };
  }
}

/** Knative's rule: True when all are True, False when any is False, else Unknown (first non-True's reason). */
function conjunction(type: string, parts: Condition[]): Condition {
  const bad = parts.find((c) => c.status === 'False') ?? parts.find((c) => c.status !== 'True');
  if (!bad) return { type, status: 'True' };
  return { type, status: bad.status, reason: bad.reason, message: bad.message };
}

function keepTransitionTime(c: Condition, prev: Condition[] | undefined, nowIso: string): Condition {
  const old = prev?.find((p) => p.type === c.type);
  // Knative's SetCondition: the time moves only when the condition itself (status, reason, message) changes.
  const same = old !== undefined && old.status === c.status && (old.reason ?? '') === (c.reason ?? '') && (old.message ?? '') === (c.message ?? '');
  const at = same && old.lastTransitionTime ? old.lastTransitionTime : nowIso;
  const out: Condition = { type: c.type, status: c.status, lastTransitionTime: at };
  if (c.reason) out.reason = c.reason;
  if (c.message) out.message = c.message;
  return out;
}

function modelStatus(obs: ComponentObservation, serving: boolean): ModelStatus {
  const active: ModelState | '' = serving ? 'Loaded' : '';
  if (obs.problem) {
    return withFailure({ transitionStatus: 'InvalidSpec', states: { activeModelState: active, targetModelState: 'FailedToLoad' } }, { reason: (FAILURE_REASONS as readonly string[]).includes(obs.problem.reason) ? obs.problem.reason : 'InvalidPredictorSpec', message: obs.problem.message });
  }
  const transition: TransitionStatus = obs.latest === 'Loaded' ? 'UpToDate' : obs.latest === 'FailedToLoad' ? 'BlockedByFailedLoad' : 'InProgress';
  const ms: ModelStatus = { transitionStatus: transition, states: { activeModelState: active, targetModelState: obs.latest } };
  if (obs.copies) ms.copies = { ...obs.copies };
  if (obs.latest !== 'FailedToLoad') return ms;
  const info = { reason: 'ModelLoadFailed', message: obs.failure?.message ?? 'replica failed', modelRevisionName: obs.latestCreatedRevision, exitCode: obs.failure?.exitCode };
  return withFailure(ms, info);
}

/** Adds lastFailureInfo (reason, message, exitCode as KServe; plus the failing revision's name). */
function withFailure(ms: ModelStatus, info: { reason: string; message: string; modelRevisionName?: string; exitCode?: number }): ModelStatus {
  const last: NonNullable<ModelStatus['lastFailureInfo']> = { reason: info.reason as NonNullable<ModelStatus['lastFailureInfo']>['reason'], message: info.message };
  if (info.modelRevisionName) last.modelRevisionName = info.modelRevisionName;
  if (info.exitCode !== undefined) last.exitCode = info.exitCode;
  return { ...ms, lastFailureInfo: last };
}

/** Deep equality of JSON values regardless of key order: decides whether status needs a write. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
