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
import type { Driver, ReplicaSpec } from '../drivers/driver.ts';
import type { ObjectKey, Store, StoredObject } from '../store/store.ts';
import type { EventRecorder } from './events.ts';
import { buildContainerSpec, type ContainerBuildOptions } from './container-spec.ts';
import { COMPONENTS, FINALIZER, hashAnnotation, nextRevisionName, parseRevisionId, revisionAnnotation, revisionId, revisionState, type Component } from './observe.ts';
import { buildReplicaSpec, specHash, type SpecProblem } from './replica-spec.ts';
import { computeStatus, sameJson, type ComponentObservation, type IsvcObservation, type UrlOptions } from './status.ts';

export const ISVC = { group: 'serving.kserve.io', resource: 'inferenceservices' } as const;
export const SERVING_RUNTIMES = { group: 'serving.kserve.io', resource: 'servingruntimes' } as const;
export const CLUSTER_SERVING_RUNTIMES = { group: 'serving.kserve.io', resource: 'clusterservingruntimes' } as const;

/** Endpoints of one Ready replica: `http://127.0.0.1:PORT` and, when it serves gRPC, `127.0.0.1:PORT`. */
export interface Endpoint {
  http: string;
  grpc?: string;
}

/**
 * One gateway route: the InferenceService itself (`name` = the isvc, entering through the
 * transformer when there is one, `:explain` to the explainer) or one of its components
 * (`name` = `{isvc}-predictor`, ... — what a transformer calls, and each component's URL).
 */
export interface Route {
  namespace: string;
  /** The route's name: the InferenceService's, or `{isvc}-{component}`. */
  name: string;
  /** The host KServe would give it: `{name}.{namespace}.{domain}`. */
  host: string;
  revision: string;
  /** The serving revision's Ready replicas. */
  endpoints: Endpoint[];
  /** Where `:explain` goes (the explainer's serving revision). */
  explain?: { revision: string; endpoints: Endpoint[] };
}

/** The storage initializer as the reconciler sees it (control/model-fetcher.ts). */
export interface ModelFetch {
  ensure(req: { owner: string; uri: string; env: Readonly<Record<string, string | undefined>>; annotations?: Readonly<Record<string, string>>; sha256?: string }): { phase: 'Ready'; path: string } | { phase: 'Downloading'; message: string } | { phase: 'Failed'; reason: string; message: string };
  releaseOwner(owner: string): void;
}

/** A component that cannot start yet because its model is still downloading, or whose download failed. */
type Waiting = { downloading: string } | { storageFailed: string };

/** The annotation that pins a model's content: `sha256:<hex>` (or bare hex) of the single model file. */
export const SHA256_ANNOTATION = 'serving.kserve-ts.io/sha256';

/** What a pass needs; the reconciler owns it. */
export interface PassContext {
  store: Store;
  driver: Driver;
  clock: Clock;
  events: EventRecorder;
  build: ContainerBuildOptions;
  urls: UrlOptions;
  /** Replaces the routes of the InferenceService `namespace/name` (empty: removes them). */
  setRoutes(key: string, routes: Route[]): void;
  /** Fetches remote storageUris into the model cache; absent: only local paths are served. */
  fetcher?: ModelFetch;
  /** The environment storage credentials come from (KServe's names), merged under the model's env. */
  storageEnv?: Readonly<Record<string, string | undefined>>;
}

const rv = (o: StoredObject): number => Number(o.metadata.resourceVersion);

/** Reconciles `namespace/name` once. */
export async function reconcileOnce(ctx: PassContext, namespace: string, name: string): Promise<void> {
  const key: ObjectKey = { ...ISVC, namespace, name };
  const qkey = `${namespace}/${name}`;
  let obj = await ctx.store.get(key);
  if (!obj) {
    await deleteRevisions(ctx.driver, namespace, name, new Set());
    ctx.setRoutes(qkey, []);
    ctx.fetcher?.releaseOwner(qkey);
    return;
  }
  const finalizers = obj.metadata.finalizers ?? [];
  if (obj.metadata.deletionTimestamp !== undefined) {
    if (!finalizers.includes(FINALIZER)) return;
    ctx.setRoutes(qkey, []);
    await deleteRevisions(ctx.driver, namespace, name, new Set());
    ctx.fetcher?.releaseOwner(qkey);
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
  const obs: IsvcObservation = { name, namespace, generation: obj.metadata.generation, predictor: { latest: 'Pending' } };
  const keep = new Set<string>();
  const serving: Partial<Record<Component, { revision: string; endpoints: Endpoint[] }>> = {};
  const spec = isObj(obj.spec) ? obj.spec : {};
  for (const component of COMPONENTS) {
    if (component !== 'predictor' && !isObj(spec[component])) continue;
    const built = await buildComponent(ctx, obj, component, obs);
    const step = await runComponent(ctx, obj, component, built, prev);
    obj = step.obj;
    obs[component] = step.obs;
    for (const r of [step.obs.latestCreatedRevision, step.obs.latestRolledoutRevision]) if (r) keep.add(revisionId(namespace, name, r, component));
    if (step.serving) serving[component] = step.serving;
  }

  // Route before deleting old revisions: no gap in traffic.
  ctx.setRoutes(qkey, routesOf(namespace, name, ctx.urls.domain, serving, obs.transformer !== undefined));
  await deleteRevisions(ctx.driver, namespace, name, keep);

  const now = new Date(ctx.clock.nowMs()).toISOString();
  const status = computeStatus(obs, prev, ctx.urls, now);
  if (!sameJson(prev, status)) {
    await ctx.store.update(key, { ...obj, status }, { expectedVersion: rv(obj) });
    await recordTransitions(ctx.events, obj, prev, status);
  }
}

/** The component's ReplicaSpec, or why it cannot run. The predictor's runtime is noted in `obs`. */
async function buildComponent(ctx: PassContext, obj: StoredObject, component: Component, obs: IsvcObservation): Promise<ReplicaSpec | SpecProblem | Waiting> {
  const spec = isObj(obj.spec) ? obj.spec : {};
  const predictor = isObj(spec.predictor) ? spec.predictor : {};
  if (component !== 'predictor' || (predictor.model === undefined && Array.isArray(predictor.containers) && predictor.containers.length > 0)) {
    return buildContainerSpec(obj, component, ctx.build);
  }
  const namespace = obj.metadata.namespace ?? 'default';
  const [nsRuntimes, clusterRuntimes] = await Promise.all([ctx.store.list(SERVING_RUNTIMES, { namespace }), ctx.store.list(CLUSTER_SERVING_RUNTIMES)]);
  const selection = selectRuntime(obj, nsRuntimes.items, withBuiltinClusterRuntimes(clusterRuntimes.items));
  if ('error' in selection) return selection.error;
  obs.runtime = { name: selection.name, kind: selection.kind };
  const fetched = await fetchModel(ctx, obj, predictor);
  if (fetched !== undefined && typeof fetched !== 'string') return fetched;
  return buildReplicaSpec(obj, selection.runtime, fetched === undefined ? ctx.build : { ...ctx.build, modelDir: fetched });
}

/**
 * A remote storageUri through the storage initializer: the local directory once it is in the
 * cache, or why the replicas cannot start yet. Undefined for local paths (served in place) and
 * when no fetcher is configured (then the spec reports StorageUriNotSupported).
 */
async function fetchModel(ctx: PassContext, obj: StoredObject, predictor: Record<string, unknown>): Promise<string | Waiting | SpecProblem | undefined> {
  const model = isObj(predictor.model) ? predictor.model : {};
  const uri = typeof model.storageUri === 'string' ? model.storageUri : undefined;
  if (!ctx.fetcher || uri === undefined || !/^[a-z][a-z0-9+.-]*:\/\//i.test(uri) || /^file:\/\//i.test(uri)) return undefined;
  // Credentials as KServe's storage initializer gets them: up's env, then the predictor's
  // ServiceAccount's Secrets (data keys as env names, their serving.kserve.io/* annotations),
  // then the model container's own env.
  const env: Record<string, string | undefined> = { ...ctx.storageEnv };
  const annotations: Record<string, string> = {};
  const sa = typeof predictor.serviceAccountName === 'string' ? predictor.serviceAccountName : undefined;
  if (sa !== undefined) {
    const creds = await serviceAccountCredentials(ctx.store, obj.metadata.namespace ?? 'default', sa);
    if ('problem' in creds) return { reason: 'InvalidPredictorSpec', message: creds.problem };
    Object.assign(env, creds.env);
    Object.assign(annotations, creds.annotations);
  }
  for (const e of Array.isArray(model.env) ? model.env : []) {
    if (isObj(e) && typeof e.name === 'string' && typeof e.value === 'string') env[e.name] = e.value;
  }
  Object.assign(annotations, obj.metadata.annotations ?? {});
  const sha256 = annotations[SHA256_ANNOTATION];
  const st = ctx.fetcher.ensure({ owner: `${obj.metadata.namespace ?? 'default'}/${obj.metadata.name}`, uri, env, annotations, ...(sha256 ? { sha256 } : {}) });
  if (st.phase === 'Ready') return st.path;
  if (st.phase === 'Downloading') return { downloading: st.message };
  if (st.reason === 'InvalidUri') return { reason: 'InvalidPredictorSpec', message: st.message };
  return { storageFailed: st.message };
}

/**
 * One component's rollout step: a new revision when the spec's hash changed (annotation first, so
 * a crash cannot lose it), applied to the driver; the latest becomes the rolled-out revision once
 * all its replicas are Ready. Returns the (maybe updated) object, the observation, and the
 * serving revision's Ready endpoints.
 */
async function runComponent(
  ctx: PassContext,
  obj: StoredObject,
  component: Component,
  built: ReplicaSpec | SpecProblem | Waiting,
  prev: InferenceServiceStatus | undefined,
): Promise<{ obj: StoredObject; obs: ComponentObservation; serving?: { revision: string; endpoints: Endpoint[] } }> {
  const { name } = obj.metadata;
  const namespace = obj.metadata.namespace ?? 'default';
  const annotations = obj.metadata.annotations ?? {};
  const prevComponent = prev?.components?.[component];
  let latestCreated = annotations[revisionAnnotation(component)];
  let rolledOut = prevComponent?.latestRolledoutRevision;
  let previous = prevComponent?.previousRolledoutRevision;
  const obs: ComponentObservation = { latest: 'Pending' };
  if ('downloading' in built) {
    obs.latest = 'Loading';
    obs.downloading = built.downloading;
  } else if ('storageFailed' in built) {
    obs.latest = 'FailedToLoad';
    obs.failure = { message: built.storageFailed };
  } else if ('reason' in built) {
    obs.problem = built;
  } else {
    const hash = specHash(built);
    if (annotations[hashAnnotation(component)] !== hash || latestCreated === undefined) {
      latestCreated = nextRevisionName(name, latestCreated, component);
      const meta = { ...obj.metadata, annotations: { ...annotations, [revisionAnnotation(component)]: latestCreated, [hashAnnotation(component)]: hash } };
      obj = await ctx.store.update({ ...ISVC, namespace, name }, { ...obj, metadata: meta }, { expectedVersion: rv(obj) });
      await ctx.events.record(obj, 'Normal', 'RevisionCreated', `Created ${component} revision "${latestCreated}"`);
    }
    const id = revisionId(namespace, name, latestCreated, component);
    const spec = isObj(obj.spec) ? obj.spec : {};
    const minReplicas = isObj(spec[component]) ? (spec[component] as { minReplicas?: unknown }).minReplicas : undefined;
    await ctx.driver.apply({ ...built, revision: id }, typeof minReplicas === 'number' && minReplicas > 0 ? minReplicas : 1);
    const seen = revisionState(ctx.driver.replicas(id));
    obs.latest = seen.state;
    obs.copies = seen.copies;
    if (seen.failure) obs.failure = seen.failure;
    if (seen.state === 'Loaded' && rolledOut !== latestCreated) {
      previous = rolledOut;
      rolledOut = latestCreated;
    }
  }
  obs.latestCreatedRevision = latestCreated;
  obs.latestRolledoutRevision = rolledOut;
  obs.previousRolledoutRevision = previous;
  if (!rolledOut) return { obj, obs };
  const replicas = ctx.driver.replicas(revisionId(namespace, name, rolledOut, component));
  const endpoints = replicas.flatMap((r) => (r.phase === 'Ready' && r.endpoint ? [{ ...r.endpoint }] : []));
  obs.servingReplicas = endpoints.length;
  return { obj, obs, serving: { revision: rolledOut, endpoints } };
}

const SERVICE_ACCOUNTS = { group: '', resource: 'serviceaccounts' } as const;
const SECRETS = { group: '', resource: 'secrets' } as const;

/**
 * The env and annotations a ServiceAccount's Secrets give the storage initializer (KServe's
 * credential builder): each Secret's data keys (base64-decoded) as env names, and its
 * `serving.kserve.io/*` annotations (s3-endpoint, s3-usehttps, ...). A missing ServiceAccount or
 * Secret is a problem naming it; values never leave this function except as env.
 */
async function serviceAccountCredentials(store: Store, namespace: string, name: string): Promise<{ env: Record<string, string>; annotations: Record<string, string> } | { problem: string }> {
  const sa = await store.get({ ...SERVICE_ACCOUNTS, namespace, name });
  if (!sa) return { problem: `spec.predictor.serviceAccountName: ServiceAccount "${name}" not found in namespace "${namespace}"` };
  const env: Record<string, string> = {};
  const annotations: Record<string, string> = {};
  const saSecrets = (sa as unknown as { secrets?: unknown }).secrets;
  const refs = Array.isArray(saSecrets) ? saSecrets : [];
  for (const ref of refs) {
    const secretName = isObj(ref) && typeof ref.name === 'string' ? ref.name : undefined;
    if (secretName === undefined) continue;
    const secret = await store.get({ ...SECRETS, namespace, name: secretName });
    if (!secret) return { problem: `ServiceAccount "${name}": Secret "${secretName}" not found in namespace "${namespace}"` };
    const raw = (secret as unknown as { data?: unknown }).data;
    const data = isObj(raw) ? raw : {};
    for (const [k, v] of Object.entries(data)) if (typeof v === 'string') env[k] = Buffer.from(v, 'base64').toString('utf8');
    for (const [k, v] of Object.entries(secret.metadata.annotations ?? {})) if (k.startsWith('serving.kserve.io/')) annotations[k] = v;
  }
  return { env, annotations };
}

/** The gateway routes of one InferenceService: itself (entry: transformer, else predictor; `:explain` → explainer) and each component. */
function routesOf(namespace: string, name: string, domain: string, serving: Partial<Record<Component, { revision: string; endpoints: Endpoint[] }>>, hasTransformer: boolean): Route[] {
  const routes: Route[] = [];
  // With a transformer, requests must not bypass it while it starts: no isvc route until it serves.
  const entry = hasTransformer ? serving.transformer : serving.predictor;
  if (entry && serving.predictor) {
    routes.push({ namespace, name, host: `${name}.${namespace}.${domain}`, revision: entry.revision, endpoints: entry.endpoints, ...(serving.explainer ? { explain: serving.explainer } : {}) });
  }
  for (const c of COMPONENTS) {
    const s = serving[c];
    if (s) routes.push({ namespace, name: `${name}-${c}`, host: `${name}-${c}.${namespace}.${domain}`, revision: s.revision, endpoints: s.endpoints });
  }
  return routes;
}

/** Deletes the driver's revisions of one InferenceService except those kept (ids). */
async function deleteRevisions(driver: Driver, namespace: string, name: string, keep: ReadonlySet<string>): Promise<void> {
  for (const id of driver.revisions()) {
    const p = parseRevisionId(id);
    if (p && p.namespace === namespace && p.name === name && !keep.has(id)) await driver.delete(id);
  }
}

/** One event per transition (not per pass): Ready, a new failure, a runtime problem. */
async function recordTransitions(events: EventRecorder, obj: StoredObject, prev: InferenceServiceStatus | undefined, next: InferenceServiceStatus): Promise<void> {
  const cond = (s: InferenceServiceStatus | undefined, t: string): string | undefined => s?.conditions?.find((c) => c.type === t)?.status;
  const fail = next.modelStatus?.lastFailureInfo;
  const prevFail = prev?.modelStatus?.lastFailureInfo;
  // The same failure going from a first crash to CrashLoopBackOff is not a new one: one Event.
  const core = (m: string | undefined): string | undefined => m?.replace(/^CrashLoopBackOff: back-off restarting failed replica [^:]*: /, '');
  const newFailure = fail !== undefined && (prevFail?.reason !== fail.reason || core(prevFail?.message) !== core(fail.message) || prevFail?.modelRevisionName !== fail.modelRevisionName);
  if (newFailure && fail.reason === 'ModelLoadFailed') {
    await events.record(obj, 'Warning', 'ModelLoadFailed', `Revision "${fail.modelRevisionName ?? ''}" failed to load the model: ${core(fail.message) ?? ''}`);
  } else if (newFailure && fail.reason !== undefined) {
    await events.record(obj, 'Warning', fail.reason === 'RuntimeDisabled' || fail.reason === 'NoSupportingRuntime' || fail.reason === 'RuntimeNotRecognized' ? 'RuntimeNotFound' : 'InvalidSpec', fail.message ?? '');
  }
  // The transformer and explainer have no modelStatus: their condition turning False (or failing anew) is the event.
  for (const type of ['TransformerReady', 'ExplainerReady']) {
    const now = next.conditions?.find((c) => c.type === type);
    const before = prev?.conditions?.find((c) => c.type === type);
    if (now?.status === 'False' && (before?.status !== 'False' || before.message !== now.message)) {
      await events.record(obj, 'Warning', now.reason === 'RevisionFailed' ? 'RevisionFailed' : 'InvalidSpec', `${type.replace('Ready', '')}: ${now.message ?? ''}`);
    }
  }
  if (cond(next, 'Ready') === 'True' && cond(prev, 'Ready') !== 'True') {
    await events.record(obj, 'Normal', 'InferenceServiceReady', `InferenceService [${obj.metadata.name}] is Ready`);
  }
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
