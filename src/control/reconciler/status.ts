/**
 * The InferenceService status the reconciler writes, shaped as KServe's (inference_service_status.go
 * over a Knative Service): URLs, the predictor's revisions and traffic, the conditions
 * PredictorReady, IngressReady, LatestDeploymentReady and Ready, and modelStatus. Pure: the
 * reconciler observes, this computes, and the writer compares (no write when nothing changed).
 *
 * Conditions follow Knative's Service: PredictorReady tracks the *latest created* revision (Unknown
 * while it loads, False when it fails) even while an older revision keeps serving; IngressReady is
 * True once some revision takes traffic; Ready is their conjunction.
 */
import { FAILURE_REASONS, type ComponentStatus, type Condition, type InferenceServiceStatus, type ModelState, type ModelStatus, type TransitionStatus } from '../../api/index.ts';

/** What the reconciler saw for the predictor. */
export interface PredictorObservation {
  name: string;
  namespace: string;
  generation?: number;
  /** The spec cannot run (no runtime, unsupported storage): reason and message for status. */
  problem?: { reason: string; message: string };
  latestCreatedRevision?: string;
  latestRolledoutRevision?: string;
  previousRolledoutRevision?: string;
  /** The latest created revision's state. */
  latest: 'Pending' | 'Loading' | 'Loaded' | 'FailedToLoad';
  /** Why the latest failed (replica exit). */
  failure?: { message: string; exitCode?: number };
  copies?: { failedCopies: number; totalCopies: number };
  runtime?: { name: string; kind: 'ServingRuntime' | 'ClusterServingRuntime' };
}

/** Ingress domain settings (KServe's `ingress` config: domain and the cluster-local suffix). */
export interface UrlOptions {
  /** External domain (KServe / Knative default `example.com`). */
  domain: string;
  /** Cluster-local domain for `address.url` (default `svc.cluster.local`). */
  localDomain?: string;
}

/** Builds the new status from the observation; conditions keep their lastTransitionTime unless their status changed. */
export function computeStatus(obs: PredictorObservation, prev: InferenceServiceStatus | undefined, urls: UrlOptions, nowIso: string): InferenceServiceStatus {
  const serving = obs.latestRolledoutRevision;
  const predictorName = `${obs.name}-predictor`;
  const local = urls.localDomain ?? 'svc.cluster.local';

  const latestDeployment = deploymentCondition(obs, predictorName);
  const ingress: Condition = serving
    ? { type: 'IngressReady', status: 'True' }
    : { type: 'IngressReady', status: obs.problem || obs.latest === 'FailedToLoad' ? 'False' : 'Unknown', reason: 'PredictorIngressNotReady', message: `Ingress for "${obs.name}" waits for a ready predictor revision` };
  const predictor: Condition = { ...latestDeployment, type: 'PredictorReady' };
  const ready = conjunction('Ready', [predictor, ingress]);
  const conditions = [ingress, latestDeployment, predictor, ready].sort((a, b) => (a.type < b.type ? -1 : 1)).map((c) => keepTransitionTime(c, prev?.conditions, nowIso));

  const component: ComponentStatus = {};
  if (obs.latestCreatedRevision) component.latestCreatedRevision = obs.latestCreatedRevision;
  if (serving) {
    component.latestReadyRevision = serving;
    component.latestRolledoutRevision = serving;
    if (obs.previousRolledoutRevision) component.previousRolledoutRevision = obs.previousRolledoutRevision;
    component.url = `http://${predictorName}.${obs.namespace}.${urls.domain}`;
    component.address = { url: `http://${predictorName}.${obs.namespace}.${local}` };
    component.traffic = [{ revisionName: serving, percent: 100, latestRevision: true }];
  }

  const status: InferenceServiceStatus = { observedGeneration: obs.generation, conditions, modelStatus: modelStatus(obs, serving !== undefined) };
  if (serving) {
    status.url = `http://${obs.name}.${obs.namespace}.${urls.domain}`;
    status.address = { url: `http://${obs.name}.${obs.namespace}.${local}` };
  }
  status.components = { predictor: component };
  if (obs.runtime?.kind === 'ServingRuntime') status.servingRuntimeName = obs.runtime.name;
  if (obs.runtime?.kind === 'ClusterServingRuntime') status.clusterServingRuntimeName = obs.runtime.name;
  status.deploymentMode = 'Serverless';
  if (status.observedGeneration === undefined) delete status.observedGeneration;
  return status;
}

function deploymentCondition(obs: PredictorObservation, predictorName: string): Condition {
  if (obs.problem) return { type: 'LatestDeploymentReady', status: 'False', reason: obs.problem.reason, message: obs.problem.message };
  switch (obs.latest) {
    case 'Loaded':
      return { type: 'LatestDeploymentReady', status: 'True' };
    case 'FailedToLoad':
      return { type: 'LatestDeploymentReady', status: 'False', reason: 'RevisionFailed', message: `Revision "${obs.latestCreatedRevision ?? ''}" failed with message: ${obs.failure?.message ?? 'replica failed'}.` };
    default:
      return { type: 'LatestDeploymentReady', status: 'Unknown', reason: 'RevisionMissing', message: `Configuration "${predictorName}" is waiting for a Revision to become ready.` };
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

function modelStatus(obs: PredictorObservation, serving: boolean): ModelStatus {
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
