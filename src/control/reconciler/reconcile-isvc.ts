/**
 * One pass of the InferenceService reconciler over one object, level-based: it reads the object
 * and the driver, moves them one step toward the spec, writes status only when it changed, and
 * returns. Any error (a write conflict, a driver failure) is thrown for the queue to retry with
 * backoff. The order of a rollout: create revision N+1 (annotation first, so a crash cannot lose
 * it) → apply it → when all its replicas are Ready, route to it → delete revision N. A failing
 * revision N+1 never takes traffic; N keeps serving.
 */
import { selectRuntime, withBuiltinClusterRuntimes, type InferenceServiceStatus } from '../../api/index.ts';
import type { Clock } from '../../core/clock.ts';
import type { Driver } from '../drivers/driver.ts';
import type { ObjectKey, Store, StoredObject } from '../store/store.ts';
import type { EventRecorder } from './events.ts';
import { FINALIZER, HASH_ANNOTATION, REVISION_ANNOTATION, nextRevisionName, parseRevisionId, revisionId, revisionState } from './observe.ts';
import { buildReplicaSpec, specHash, type BuildOptions } from './replica-spec.ts';
import { computeStatus, sameJson, type PredictorObservation, type UrlOptions } from './status.ts';

export const ISVC = { group: 'serving.kserve.io', resource: 'inferenceservices' } as const;
export const SERVING_RUNTIMES = { group: 'serving.kserve.io', resource: 'servingruntimes' } as const;
export const CLUSTER_SERVING_RUNTIMES = { group: 'serving.kserve.io', resource: 'clusterservingruntimes' } as const;

/** Where one InferenceService's traffic goes: the gateway's routing table entry. */
export interface Route {
  namespace: string;
  name: string;
  /** The host KServe would give it: `{name}.{namespace}.{domain}`. */
  host: string;
  revision: string;
  /** Endpoints of the serving revision's Ready replicas: `http://127.0.0.1:PORT` and gRPC `127.0.0.1:PORT`. */
  endpoints: { http: string; grpc?: string }[];
}

/** What a pass needs; the reconciler owns it. */
export interface PassContext {
  store: Store;
  driver: Driver;
  clock: Clock;
  events: EventRecorder;
  build: BuildOptions;
  urls: UrlOptions;
  /** Sets (or, with undefined, removes) the route of `namespace/name`. */
  setRoute(key: string, route: Route | undefined): void;
}

const rv = (o: StoredObject): number => Number(o.metadata.resourceVersion);

/** Reconciles `namespace/name` once. */
export async function reconcileOnce(ctx: PassContext, namespace: string, name: string): Promise<void> {
  const key: ObjectKey = { ...ISVC, namespace, name };
  const qkey = `${namespace}/${name}`;
  let obj = await ctx.store.get(key);
  if (!obj) {
    await deleteRevisions(ctx.driver, namespace, name, new Set());
    ctx.setRoute(qkey, undefined);
    return;
  }
  const finalizers = obj.metadata.finalizers ?? [];
  if (obj.metadata.deletionTimestamp !== undefined) {
    if (!finalizers.includes(FINALIZER)) return;
    ctx.setRoute(qkey, undefined);
    await deleteRevisions(ctx.driver, namespace, name, new Set());
    const rest = finalizers.filter((f) => f !== FINALIZER);
    const updated = await ctx.store.update(key, { ...obj, metadata: { ...obj.metadata, finalizers: rest } }, { expectedVersion: rv(obj) });
    // Writing to the store directly, the reconciler does what the API server does on such an update.
    if (rest.length === 0) await ctx.store.delete(key, { expectedVersion: rv(updated) });
    return;
  }
  if (!finalizers.includes(FINALIZER)) {
    obj = await ctx.store.update(key, { ...obj, metadata: { ...obj.metadata, finalizers: [...finalizers, FINALIZER] } }, { expectedVersion: rv(obj) });
  }

  const prev = isObj(obj.status) ? (obj.status as InferenceServiceStatus) : undefined;
  const annotations = obj.metadata.annotations ?? {};
  let latestCreated = annotations[REVISION_ANNOTATION];
  let rolledOut = prev?.components?.predictor?.latestRolledoutRevision;
  let previous = prev?.components?.predictor?.previousRolledoutRevision;
  const obs: PredictorObservation = { name, namespace, generation: obj.metadata.generation, latest: 'Pending' };

  const [nsRuntimes, clusterRuntimes] = await Promise.all([ctx.store.list(SERVING_RUNTIMES, { namespace }), ctx.store.list(CLUSTER_SERVING_RUNTIMES)]);
  const selection = selectRuntime(obj, nsRuntimes.items, withBuiltinClusterRuntimes(clusterRuntimes.items));
  if ('error' in selection) {
    obs.problem = selection.error;
  } else {
    obs.runtime = { name: selection.name, kind: selection.kind };
    const spec = buildReplicaSpec(obj, selection.runtime, ctx.build);
    if ('reason' in spec) {
      obs.problem = spec;
    } else {
      const hash = specHash(spec);
      if (annotations[HASH_ANNOTATION] !== hash || latestCreated === undefined) {
        latestCreated = nextRevisionName(name, latestCreated);
        const meta = { ...obj.metadata, annotations: { ...annotations, [REVISION_ANNOTATION]: latestCreated, [HASH_ANNOTATION]: hash } };
        obj = await ctx.store.update(key, { ...obj, metadata: meta }, { expectedVersion: rv(obj) });
        await ctx.events.record(obj, 'Normal', 'RevisionCreated', `Created predictor revision "${latestCreated}"`);
      }
      const id = revisionId(namespace, name, latestCreated);
      const minReplicas = (obj.spec as { predictor?: { minReplicas?: unknown } } | undefined)?.predictor?.minReplicas;
      await ctx.driver.apply({ ...spec, revision: id }, typeof minReplicas === 'number' && minReplicas > 0 ? minReplicas : 1);
      const seen = revisionState(ctx.driver.replicas(id));
      obs.latest = seen.state;
      obs.copies = seen.copies;
      if (seen.failure) obs.failure = seen.failure;
      if (seen.state === 'Loaded' && rolledOut !== latestCreated) {
        previous = rolledOut;
        rolledOut = latestCreated;
      }
    }
  }
  obs.latestCreatedRevision = latestCreated;
  obs.latestRolledoutRevision = rolledOut;
  obs.previousRolledoutRevision = previous;

  // Route before deleting the old revision: no gap in traffic.
  const serving = rolledOut ? ctx.driver.replicas(revisionId(namespace, name, rolledOut)) : [];
  const endpoints = serving.flatMap((r) => (r.phase === 'Ready' && r.endpoint ? [{ ...r.endpoint }] : []));
  ctx.setRoute(qkey, rolledOut ? { namespace, name, host: `${name}.${namespace}.${ctx.urls.domain}`, revision: rolledOut, endpoints } : undefined);
  await deleteRevisions(ctx.driver, namespace, name, new Set([latestCreated, rolledOut].filter((r): r is string => r !== undefined)));

  const now = new Date(ctx.clock.nowMs()).toISOString();
  const status = computeStatus(obs, prev, ctx.urls, now);
  if (!sameJson(prev, status)) {
    await ctx.store.update(key, { ...obj, status }, { expectedVersion: rv(obj) });
    await recordTransitions(ctx.events, obj, prev, status);
  }
}

/** Deletes the driver's revisions of one InferenceService except those kept. */
async function deleteRevisions(driver: Driver, namespace: string, name: string, keep: ReadonlySet<string>): Promise<void> {
  for (const id of driver.revisions()) {
    const p = parseRevisionId(id);
    if (p && p.namespace === namespace && p.name === name && !keep.has(p.revision)) await driver.delete(id);
  }
}

/** One event per transition (not per pass): Ready, a new failure, a runtime problem. */
async function recordTransitions(events: EventRecorder, obj: StoredObject, prev: InferenceServiceStatus | undefined, next: InferenceServiceStatus): Promise<void> {
  const cond = (s: InferenceServiceStatus | undefined, t: string): string | undefined => s?.conditions?.find((c) => c.type === t)?.status;
  const fail = next.modelStatus?.lastFailureInfo;
  const prevFail = prev?.modelStatus?.lastFailureInfo;
  const newFailure = fail !== undefined && (prevFail?.reason !== fail.reason || prevFail?.message !== fail.message || prevFail?.modelRevisionName !== fail.modelRevisionName);
  if (newFailure && fail.reason === 'ModelLoadFailed') {
    await events.record(obj, 'Warning', 'ModelLoadFailed', `Revision "${fail.modelRevisionName ?? ''}" failed to load the model: ${fail.message}`);
  } else if (newFailure && fail.reason !== undefined) {
    await events.record(obj, 'Warning', fail.reason === 'RuntimeDisabled' || fail.reason === 'NoSupportingRuntime' || fail.reason === 'RuntimeNotRecognized' ? 'RuntimeNotFound' : 'InvalidSpec', fail.message ?? '');
  }
  if (cond(next, 'Ready') === 'True' && cond(prev, 'Ready') !== 'True') {
    await events.record(obj, 'Normal', 'InferenceServiceReady', `InferenceService [${obj.metadata.name}] is Ready`);
  }
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
