/**
 * Small pure helpers of the reconciler: revision names and ids, reading a revision's replicas into
 * a model state, and the annotations that persist the revision across restarts.
 */
import { constants } from 'node:os';
import type { ReplicaExit, ReplicaStatus } from '../drivers/driver.ts';

/** KServe's finalizer on InferenceServices (controller.go `finalizerName`). */
export const FINALIZER = 'inferenceservice.finalizers';
/** The components of an InferenceService, each with its own revisions. */
export const COMPONENTS = ['predictor', 'transformer', 'explainer'] as const;
export type Component = (typeof COMPONENTS)[number];

/** The latest created revision's name of a component (survives restarts; status may be rewritten by clients). */
export const revisionAnnotation = (c: Component): string => `serving.kserve-ts.io/${c}-revision`;
/** The hash of the spec that revision runs: a different hash is a new revision. */
export const hashAnnotation = (c: Component): string => `serving.kserve-ts.io/${c}-spec-hash`;
export const REVISION_ANNOTATION = revisionAnnotation('predictor');
export const HASH_ANNOTATION = hashAnnotation('predictor');

/**
 * The revision after `latest`, as Knative names them: `{isvc}-{component}-00001`, `-00002`, ...
 * (`iris` with no revision yet → `iris-predictor-00001`; after `iris-predictor-00009` → `-00010`).
 */
export function nextRevisionName(isvc: string, latest: string | undefined, component: Component = 'predictor'): string {
  const prefix = `${isvc}-${component}-`;
  const n = latest?.startsWith(prefix) ? Number.parseInt(latest.slice(prefix.length), 10) : 0;
  return `${prefix}${String((Number.isFinite(n) ? n : 0) + 1).padStart(5, '0')}`;
}

/** The driver's id of a component revision: `namespace/isvc/component/revision`. */
export function revisionId(namespace: string, isvc: string, revision: string, component: Component = 'predictor'): string {
  return `${namespace}/${isvc}/${component}/${revision}`;
}

/** Parses a driver revision id; undefined when it is not one of ours. */
export function parseRevisionId(id: string): { namespace: string; name: string; component: Component; revision: string } | undefined {
  const parts = id.split('/');
  if (parts.length !== 4 || !(COMPONENTS as readonly string[]).includes(parts[2]!)) return undefined;
  return { namespace: parts[0]!, name: parts[1]!, component: parts[2] as Component, revision: parts[3]! };
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
    const tail = failureMessage(exit?.logTail ?? '');
    // Killed by a signal (kill -9, the memory guard): say so; the log tail is then whatever it last printed.
    const why = exit?.signal ? `replica ${first.name} was killed by signal ${exit.signal} (${exit.reason})` : tail !== '' ? tail : `replica ${first.name} is ${first.phase}${exit ? ` (${exit.reason})` : ''}`;
    // After repeated crashes, say so as kubelet does (the restart count is left out: it would change the message on every crash).
    const code = exitCodeOf(exit);
    const message = first.phase === 'CrashLoopBackOff' ? `CrashLoopBackOff: back-off restarting failed replica ${first.name}${code === undefined ? '' : ` (exit code ${code})`}: ${why}` : why;
    return { state: 'FailedToLoad', failure: { message, exitCode: code }, copies };
  }
  if (replicas.length > 0 && replicas.every((r) => r.phase === 'Ready')) return { state: 'Loaded', copies };
  return { state: 'Loading', copies };
}

/**
 * The failure message from a replica's log tail. A kserve-ts process that exits on purpose writes
 * its reason as one line starting `kserve-ts ` (`kserve-ts model-server: no model could be loaded,
 * exiting: model iris: ...`): that line alone, so the message stays the same across restarts (one
 * aggregated Event, no status rewrite per crash) and carries no log timestamps. Any other tail
 * (a stack trace, a custom container's output) is kept whole, trimmed.
 */
export function failureMessage(logTail: string): string {
  const own = logTail.split('\n').filter((l) => l.startsWith('kserve-ts ')).at(-1);
  return (own ?? logTail).trim();
}

/** The exit code as Kubernetes reports it: the process's code, or 128 + the signal number (SIGKILL → 137). */
export function exitCodeOf(exit: ReplicaExit | undefined): number | undefined {
  if (exit?.code !== null && exit?.code !== undefined) return exit.code;
  const n = exit?.signal ? (constants.signals as Record<string, number | undefined>)[exit.signal] : undefined;
  return n === undefined ? undefined : 128 + n;
}
