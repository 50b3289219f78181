/**
 * POST (create) and PUT (replace), and the two write paths every mutating verb ends in:
 * `createObject` and `updateObject` (also used by PATCH, server-side apply and DELETE with
 * finalizers). They apply the metadata rules (./meta.ts), run admission, then write with
 * optimistic concurrency; `dryRun=All` runs everything but the write.
 */
import { randomUUID } from 'node:crypto';
import type { StoredObject } from '../store/store.ts';
import { checkTypeMeta, parseFieldValidation } from './admission.ts';
import { decodeBody, readBody } from './body.ts';
import { asServed, fieldManager, isDryRun, qualified, sendJson, storeType, type Ctx } from './context.ts';
import { alreadyExists, badRequest, conflict, fromStoreError, invalid, notFound } from './errors.ts';
import { getObject } from './handlers-read.ts';
import { bodyVersion, deepEqual, generatedName, metaOf, nextGeneration, prepareCreate, prepareUpdate, statusUpdate, type Obj } from './meta.ts';

/** Kubernetes timestamps have whole seconds. */
export function kubeNow(nowMs: number): string {
  return new Date(nowMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Reads, decodes and field-validates a full-object body (POST, PUT). */
async function readObject(ctx: Ctx): Promise<Obj> {
  const mode = parseFieldValidation(ctx.url.searchParams.get('fieldValidation'));
  const decoded = decodeBody(await readBody(ctx.req, ctx.deps.maxBodyBytes), ctx.req.headers['content-type']);
  const obj = decoded.value;
  checkTypeMeta(obj, ctx.route.served);
  ctx.warnings.push(...ctx.deps.admission.fieldValidation(obj, decoded.duplicates, mode, ctx.route.served));
  return obj;
}

/** Sets the namespace of a body from the URL; 400 when the body names another. */
export function placeInNamespace(ctx: Ctx, obj: Obj): void {
  const meta = metaOf(obj);
  if (!ctx.route.served.kind.namespaced) {
    delete meta.namespace;
    return;
  }
  if (meta.namespace !== undefined && meta.namespace !== '' && meta.namespace !== ctx.route.namespace) {
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  meta.namespace = ctx.route.namespace;
}

/** 404 `namespaces "x" not found` unless the namespace exists (kube's NamespaceLifecycle admission). */
async function ensureNamespace(ctx: Ctx): Promise<void> {
  const ns = ctx.route.namespace;
  if (ns === undefined) return;
  if (!(await ctx.deps.store.get({ group: '', resource: 'namespaces', name: ns }))) throw notFound({ group: '', resource: 'namespaces', name: ns });
}

/** Records the write in managedFields (apply results carry theirs already). */
function track(ctx: Ctx, old: StoredObject | undefined, obj: Obj): void {
  const tracker = ctx.deps.trackUpdate;
  if (!tracker || ctx.applied) return;
  const subresource = ctx.route.subresource === 'status' ? ('status' as const) : undefined;
  const tracked = tracker(old, obj, { manager: fieldManager(ctx), now: kubeNow(ctx.deps.clock.nowMs()), subresource }) as Obj;
  metaOf(obj).managedFields = metaOf(tracked).managedFields;
  if (metaOf(obj).managedFields === undefined) delete metaOf(obj).managedFields;
}

/** Create: names, metadata rules, namespace check, admission, store. */
export async function createObject(ctx: Ctx, obj: Obj, dryRun: boolean): Promise<StoredObject> {
  const { served } = ctx.route;
  const { deps } = ctx;
  placeInNamespace(ctx, obj);
  const meta = metaOf(obj);
  const generate = (meta.name === undefined || meta.name === '') && typeof meta.generateName === 'string' && meta.generateName !== '';
  if (generate) meta.name = generatedName(meta.generateName as string, deps.rng);
  if (typeof meta.name !== 'string' || meta.name === '') {
    throw invalid(qualified(ctx, ''), [{ type: 'FieldValueRequired', field: 'metadata.name', message: 'Required value: name or generateName is required' }]);
  }
  prepareCreate(obj, served.version.statusSubresource);
  await ensureNamespace(ctx);
  await deps.admission.admit(obj, undefined, served);
  track(ctx, undefined, obj);
  if (dryRun) {
    Object.assign(meta, { uid: randomUUID(), creationTimestamp: kubeNow(deps.clock.nowMs()) });
    return obj as StoredObject;
  }
  for (let attempt = 0; ; attempt++) {
    try {
      return asServed(await deps.store.create({ ...storeType(ctx), namespace: ctx.route.namespace, name: String(meta.name) }, obj as StoredObject), served);
    } catch (err) {
      const e = fromStoreError(err, qualified(ctx, String(meta.name)));
      if (!(generate && e.reason === 'AlreadyExists')) throw e;
      if (attempt >= 4) throw alreadyExists(qualified(ctx, String(meta.name)));
      meta.name = generatedName(meta.generateName as string, deps.rng);
    }
  }
}

/**
 * What an update may not do, as kube-apiserver: send another object's uid (409), or add a
 * finalizer to an object that is being deleted (422).
 */
function checkIdentity(ctx: Ctx, obj: Obj, old: StoredObject): void {
  const meta = metaOf(obj);
  if (meta.uid !== undefined && meta.uid !== '' && meta.uid !== old.metadata.uid) {
    throw conflict(qualified(ctx), `Precondition failed: UID in precondition: ${typeof meta.uid === 'string' ? meta.uid : JSON.stringify(meta.uid)}, UID in object meta: ${old.metadata.uid ?? ''}`);
  }
  if (old.metadata.deletionTimestamp === undefined || !Array.isArray(meta.finalizers)) return;
  const before = new Set(old.metadata.finalizers ?? []);
  if ((meta.finalizers as unknown[]).some((f) => !before.has(f as string))) {
    throw invalid(qualified(ctx), [{ type: 'FieldValueForbidden', field: 'metadata.finalizers', message: 'Forbidden: no new finalizers can be added if the object is being deleted' }]);
  }
}

/**
 * Update of the main resource or of `/status`, with `expectedVersion` as precondition. An update
 * that changes nothing is not written (no new resourceVersion, no watch event), as Kubernetes.
 * An object being deleted whose last finalizer goes is removed.
 */
export async function updateObject(ctx: Ctx, body: Obj, old: StoredObject, expectedVersion: number, dryRun: boolean): Promise<StoredObject> {
  const { served } = ctx.route;
  const { deps } = ctx;
  const statusSub = served.version.statusSubresource;
  let obj: Obj;
  if (ctx.route.subresource === 'status') {
    obj = statusUpdate(body, old);
    deps.admission.admitStatus(obj, served);
  } else {
    obj = body;
    placeInNamespace(ctx, obj);
    checkIdentity(ctx, obj, old);
    prepareUpdate(obj, old, statusSub);
    await deps.admission.admit(obj, old, served);
    metaOf(obj).generation = nextGeneration(old, obj, statusSub);
  }
  track(ctx, old, obj);
  const meta = metaOf(obj);
  meta.resourceVersion = old.metadata.resourceVersion;
  if (expectedVersion === Number(old.metadata.resourceVersion) && deepEqual(obj, old)) return old;
  const key = { ...storeType(ctx), namespace: ctx.route.namespace, name: old.metadata.name };
  const finalizers = Array.isArray(meta.finalizers) ? meta.finalizers : [];
  const finishDelete = meta.deletionTimestamp !== undefined && finalizers.length === 0;
  if (dryRun) return obj as StoredObject;
  try {
    if (finishDelete) return asServed(await deps.store.delete(key, { expectedVersion }), served);
    return asServed(await deps.store.update(key, obj as StoredObject, { expectedVersion }), served);
  } catch (err) {
    throw fromStoreError(err, qualified(ctx));
  }
}

/** POST on a collection. */
export async function handleCreate(ctx: Ctx): Promise<void> {
  const dryRun = isDryRun(ctx.url);
  const obj = await readObject(ctx);
  const created = await createObject(ctx, obj, dryRun);
  sendJson(ctx.res, 201, created, ctx.warnings);
}

/** PUT on an object or its status. */
export async function handleUpdate(ctx: Ctx): Promise<void> {
  const dryRun = isDryRun(ctx.url);
  const obj = await readObject(ctx);
  const meta = metaOf(obj);
  if (meta.name !== ctx.route.name) throw badRequest(`the name of the object (${String(meta.name)}) does not match the name on the URL (${ctx.route.name})`);
  if (ctx.route.served.kind.namespaced && meta.namespace !== undefined && meta.namespace !== ctx.route.namespace) {
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  const expected = bodyVersion(obj);
  const old = await getObject(ctx);
  if (expected === undefined) {
    throw invalid(qualified(ctx), [{ type: 'FieldValueInvalid', field: 'metadata.resourceVersion', message: 'Invalid value: 0x0: must be specified for an update' }]);
  }
  sendJson(ctx.res, 200, await updateObject(ctx, obj, old, expected, dryRun), ctx.warnings);
}
