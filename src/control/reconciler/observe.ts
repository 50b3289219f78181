/**
 * Small pure helpers of the reconciler: revision names and ids, reading a revision's replicas into
 * a model state, and the annotations that persist the revision across restarts.
 */
import type { ReplicaStatus } from '../drivers/driver.ts';

/** KServe's finalizer on InferenceServices (controller.go `finalizerName`). */
export const FINALIZER = 'inferenceservice.finalizers';
/** The latest created predictor revision's name (survives restarts; status may be rewritten by clients). */
export const REVISION_ANNOTATION = 'serving.kserve-ts.io/predictor-revision';
/** The hash of the spec that revision runs: a different hash is a new revision. */
export const HASH_ANNOTATION = 'serving.kserve-ts.io/predictor-spec-hash';

/**
 * The revision after `latest`, as Knative names them: `{isvc}-predictor-00001`, `-00002`, ...
 * (`iris` with no revision yet → `iris-predictor-00001`; after `iris-predictor-00009` → `-00010`).
 */
export function nextRevisionName(isvc: string, latest: string | undefined): string {
  const prefix = `${isvc}-predictor-`;
  const n = latest?.startsWith(prefix) ? Number.parseInt(latest.slice(prefix.length), 10) : 0;
  return `${prefix}${String((Number.isFinite(n) ? n : 0) + 1).padStart(5, '0')}`;
}

/** The driver's id of a predictor revision: `namespace/isvc/predictor/revision`. */
export function revisionId(namespace: string, isvc: string, revision: string): string {
  return `${namespace}/${isvc}/predictor/${revision}`;
}

/** Parses a driver revision id; undefined when it is not one of ours. */
export function parseRevisionId(id: string): { namespace: string; name: string; revision: string } | undefined {
  const parts = id.split('/');
  if (parts.length !== 4 || parts[2] !== 'predictor') return undefined;
  return { namespace: parts[0] as string, name: parts[1] as string, revision: parts[3] as string };
}

/** A revision's model state from its replicas: Loaded when all are Ready, FailedToLoad when one failed. */
export function revisionState(replicas: readonly ReplicaStatus[]): {
  state: 'Loading' | 'Loaded' | 'FailedToLoad';
  failure?: { message: string; exitCode?: number };
  copies: { failedCopies: number; totalCopies: number };
} {
  const failed = replicas.filter((r) => r.phase === 'Failed' || r.phase === 'CrashLoopBackOff');
  const copies = { failedCopies: failed.length, totalCopies: replicas.length };
  const first = failed[0];
  if (first) {
    const exit = first.lastExit;
    const tail = exit?.logTail.trim() ?? '';
    const message = tail !== '' ? tail : `replica ${first.name} is ${first.phase}${exit ? ` (${exit.reason})` : ''}`;
    return { state: 'FailedToLoad', failure: { message, exitCode: exit?.code ?? undefined }, copies };
  }
  if (replicas.length > 0 && replicas.every((r) => r.phase === 'Ready')) return { state: 'Loaded', copies };
  return { state: 'Loading', copies };
}
