/**
 * DELETE of one object and of a collection, with Kubernetes' finalizer protocol: an object with
 * finalizers gets `deletionTimestamp` (and `deletionGracePeriodSeconds: 0`, generation + 1) and
 * stays, answered 202 with the object, until an update removes its last finalizer; an object
 * without finalizers goes at once, answered 200 with a Success Status naming it.
 *
 * DeleteOptions come from the body or the query: `preconditions` (uid, resourceVersion) are
 * checked; `propagationPolicy` is validated and accepted (there is no garbage collector here, so
 * dependents are the reconciler's business); `dryRun=All` writes nothing.
 */
import type { StoredObject } from '../store/store.ts';
import { readBody } from './body.ts';
import { asServed, isDryRun, qualified, sendJson, storeType, type Ctx } from './context.ts';
import { badRequest, conflict, forbidden, fromStoreError, methodNotAllowed, unprocessable } from './errors.ts';
import { getObject, listObjects } from './handlers-read.ts';
import { kubeNow } from './handlers-write.ts';
import { isObject, type Obj } from './meta.ts';

interface DeleteOptions {
  uid?: string;
  resourceVersion?: string;
}

const POLICIES = ['Orphan', 'Background', 'Foreground'];

async function readOptions(ctx: Ctx): Promise<DeleteOptions> {
  const buf = await readBody(ctx.req, ctx.deps.maxBodyBytes);
  let body: Obj = {};
  if (buf.length > 0 && buf.toString('utf8').trim() !== '') {
    try {
      const parsed: unknown = JSON.parse(buf.toString('utf8'));
      if (!isObject(parsed)) throw new Error('expected a DeleteOptions object');
      body = parsed;
    } catch (err) {
      throw badRequest(`DeleteOptions: couldn't decode the body: ${(err as Error).message}`);
    }
  }
  const policy = body.propagationPolicy ?? ctx.url.searchParams.get('propagationPolicy') ?? undefined;
  if (policy !== undefined && !POLICIES.includes(policy as string)) {
    throw unprocessable(`propagationPolicy: Unsupported value: ${JSON.stringify(policy)}: supported values: "Orphan", "Background", "Foreground"`);
  }
  const grace = body.gracePeriodSeconds ?? ctx.url.searchParams.get('gracePeriodSeconds') ?? undefined;
  if (grace !== undefined && !Number.isSafeInteger(Number(grace))) throw badRequest(`gracePeriodSeconds: Invalid value: ${JSON.stringify(grace)}: expected an integer`);
  if (Array.isArray(body.dryRun) && body.dryRun.some((v) => v !== 'All')) throw badRequest(`dryRun: Unsupported value: ${JSON.stringify(body.dryRun)}: supported values: "All"`);
  const pre = isObject(body.preconditions) ? body.preconditions : {};
  return { uid: pre.uid as string | undefined, resourceVersion: pre.resourceVersion as string | undefined };
}

/** Deletes one object (or marks it); returns the HTTP code and body to answer. */
async function deleteOne(ctx: Ctx, old: StoredObject, opts: DeleteOptions, dryRun: boolean): Promise<{ code: number; body: unknown }> {
  const { deps, route } = ctx;
  const q = qualified(ctx, old.metadata.name);
  if (opts.uid !== undefined && opts.uid !== old.metadata.uid) throw conflict(q, `Precondition failed: UID in precondition: ${opts.uid}, UID in object meta: ${old.metadata.uid ?? ''}`);
  if (opts.resourceVersion !== undefined && opts.resourceVersion !== old.metadata.resourceVersion) {
    throw conflict(q, `the ResourceVersion in the precondition (${opts.resourceVersion}) does not match the ResourceVersion in record (${old.metadata.resourceVersion ?? ''}). The object might have been modified`);
  }
  const key = { ...storeType(ctx), namespace: old.metadata.namespace, name: old.metadata.name };
  const expectedVersion = Number(old.metadata.resourceVersion);
  try {
    if ((old.metadata.finalizers ?? []).length > 0) {
      if (old.metadata.deletionTimestamp !== undefined) return { code: 202, body: old };
      const marked = structuredClone(old);
      marked.metadata.deletionTimestamp = kubeNow(deps.clock.nowMs());
      marked.metadata.deletionGracePeriodSeconds = 0;
      marked.metadata.generation = (old.metadata.generation ?? 1) + 1;
      if (dryRun) return { code: 202, body: marked };
      return { code: 202, body: asServed(await deps.store.update(key, marked, { expectedVersion }), route.served) };
    }
    if (!dryRun) await deps.store.delete(key, { expectedVersion });
  } catch (err) {
    throw fromStoreError(err, q);
  }
  const details = { name: old.metadata.name, group: route.served.kind.group, kind: route.served.kind.plural, uid: old.metadata.uid };
  return { code: 200, body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details } };
}

/**
 * Deleting a Namespace deletes what is in it, as Kubernetes' namespace controller does (there it
 * happens asynchronously while the namespace is Terminating): objects without finalizers go,
 * objects with finalizers are marked for deletion and go when their finalizers are removed.
 */
async function deleteNamespaceContents(ctx: Ctx, namespace: string): Promise<void> {
  const { deps } = ctx;
  const now = kubeNow(deps.clock.nowMs());
  for (const kind of deps.index.kinds) {
    if (!kind.namespaced) continue;
    const type = { group: kind.group, resource: kind.plural };
    for (const obj of (await deps.store.list(type, { namespace })).items) {
      const key = { ...type, namespace, name: obj.metadata.name };
      const expectedVersion = Number(obj.metadata.resourceVersion);
      try {
        if ((obj.metadata.finalizers ?? []).length === 0) await deps.store.delete(key, { expectedVersion });
        else if (obj.metadata.deletionTimestamp === undefined) {
          obj.metadata.deletionTimestamp = now;
          obj.metadata.deletionGracePeriodSeconds = 0;
          await deps.store.update(key, obj, { expectedVersion });
        }
      } catch (err) {
        // A concurrent write or delete of the same object: the writer decides its fate.
        if ((err as { reason?: string }).reason !== 'Conflict' && (err as { reason?: string }).reason !== 'NotFound') throw err;
      }
    }
  }
}

const isNamespaces = (ctx: Ctx): boolean => ctx.route.served.kind.group === '' && ctx.route.served.kind.plural === 'namespaces';

/** Namespaces Kubernetes' NamespaceLifecycle admission never lets go. */
const IMMORTAL_NAMESPACES = new Set(['default', 'kube-system', 'kube-public']);

/** DELETE on an object. A concurrent write between read and delete is retried unless preconditions were given. */
export async function handleDelete(ctx: Ctx): Promise<void> {
  const dryRun = isDryRun(ctx.url);
  const opts = await readOptions(ctx);
  if (isNamespaces(ctx) && IMMORTAL_NAMESPACES.has(ctx.route.name!)) throw forbidden(qualified(ctx), 'this namespace may not be deleted');
  for (let attempt = 1; ; attempt++) {
    const old = await getObject(ctx);
    try {
      if (isNamespaces(ctx) && !dryRun) await deleteNamespaceContents(ctx, old.metadata.name);
      const { code, body } = await deleteOne(ctx, old, opts, dryRun);
      return sendJson(ctx.res, code, body);
    } catch (err) {
      const preconditioned = opts.resourceVersion !== undefined || opts.uid !== undefined;
      const raced = (err as { reason?: string }).reason === 'Conflict';
      if (preconditioned || !raced || attempt >= 5) throw err;
    }
  }
}

/** DELETE on a collection (deletecollection): every object the selectors match; answers the list deleted. */
export async function handleDeleteCollection(ctx: Ctx): Promise<void> {
  if (isNamespaces(ctx)) throw methodNotAllowed(); // as Kubernetes: namespaces have no deletecollection
  const dryRun = isDryRun(ctx.url);
  const opts = await readOptions(ctx);
  const { items, meta } = await listObjects(ctx);
  const deleted: unknown[] = [];
  for (const old of items) {
    const { code, body } = await deleteOne(ctx, old, opts, dryRun);
    deleted.push(code === 202 ? body : old);
  }
  const { served } = ctx.route;
  sendJson(ctx.res, 200, { kind: served.kind.listKind, apiVersion: served.apiVersion, metadata: meta, items: deleted });
}
