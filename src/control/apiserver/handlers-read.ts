/**
 * GET of one object and of collections (list), as JSON or as a Table for `kubectl get`.
 * Lists honour labelSelector, fieldSelector, limit and continue; the continue token carries the
 * last key returned, so a paged list never repeats or skips an object that existed throughout.
 */
import type { StoredObject } from '../store/store.ts';
import { asServed, qualified, sendJson, storeType, type Ctx } from './context.ts';
import { badRequest, fromStoreError, notFound } from './errors.ts';
import { objectMatches, parseFieldSelector, parseLabelSelector } from './selectors.ts';
import { wantsTable, type IncludeObject } from './table.ts';

/** `includeObject` for Table rows (default Metadata, as kube-apiserver). */
export function includeObject(url: URL): IncludeObject {
  const v = url.searchParams.get('includeObject');
  if (v === null || v === '') return 'Metadata';
  if (v === 'None' || v === 'Metadata' || v === 'Object') return v;
  throw badRequest(`includeObject: Unsupported value: ${JSON.stringify(v)}: supported values: "None", "Metadata", "Object"`);
}

/** Reads the request's object; 404 when absent. */
export async function getObject(ctx: Ctx): Promise<StoredObject> {
  const { route, deps } = ctx;
  let obj: StoredObject | undefined;
  try {
    obj = await deps.store.get({ ...storeType(ctx), namespace: route.namespace, name: route.name! });
  } catch (err) {
    throw fromStoreError(err, qualified(ctx));
  }
  if (!obj) throw notFound(qualified(ctx));
  return asServed(obj, route.served);
}

/** GET /.../{name} and GET /.../{name}/status. */
export async function handleGet(ctx: Ctx): Promise<void> {
  const obj = await getObject(ctx);
  if (wantsTable(ctx.req.headers.accept)) {
    const t = ctx.deps.tableFor(ctx.route.served).table([obj], { resourceVersion: obj.metadata.resourceVersion }, includeObject(ctx.url), ctx.deps.clock.nowMs());
    return sendJson(ctx.res, 200, t);
  }
  sendJson(ctx.res, 200, obj);
}

interface ContinueToken {
  rv: number;
  /** `namespace/name` of the last object returned. */
  after: string;
}

function encodeContinue(t: ContinueToken): string {
  return Buffer.from(JSON.stringify(t)).toString('base64url');
}

function decodeContinue(s: string): ContinueToken {
  try {
    const t = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as ContinueToken;
    if (typeof t.after === 'string' && Number.isSafeInteger(t.rv)) return t;
  } catch {
    // answered below
  }
  throw badRequest(`continue key is not valid: ${JSON.stringify(s)}: expected the metadata.continue value of a previous list`);
}

const keyOf = (o: StoredObject): string => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;

/** The list as the request asks for it: filtered, paged, with list metadata. */
export async function listObjects(ctx: Ctx): Promise<{ items: StoredObject[]; meta: Record<string, unknown> }> {
  const { url, route, deps } = ctx;
  const labels = parseLabelSelector(url.searchParams.get('labelSelector'));
  const fields = parseFieldSelector(url.searchParams.get('fieldSelector'), route.served.kind.group, route.served.kind.plural);
  const limitParam = url.searchParams.get('limit');
  const limit = limitParam === null || limitParam === '' ? 0 : Number(limitParam);
  if (!Number.isSafeInteger(limit) || limit < 0) throw badRequest(`limit: Invalid value: ${JSON.stringify(limitParam)}: must be a non-negative integer`);
  const cont = url.searchParams.get('continue');
  const token = cont ? decodeContinue(cont) : undefined;

  let result;
  try {
    result = await deps.store.list(storeType(ctx), route.namespace === undefined ? {} : { namespace: route.namespace });
  } catch (err) {
    throw fromStoreError(err, qualified(ctx, ''));
  }
  let items = result.items.filter((o) => objectMatches(o, labels, fields));
  if (token) items = items.filter((o) => keyOf(o) > token.after);
  const meta: Record<string, unknown> = { resourceVersion: String(token?.rv ?? result.resourceVersion) };
  if (limit > 0 && items.length > limit) {
    const remaining = items.length - limit;
    items = items.slice(0, limit);
    meta.continue = encodeContinue({ rv: token?.rv ?? result.resourceVersion, after: keyOf(items[items.length - 1]!) });
    meta.remainingItemCount = remaining;
  }
  for (const o of items) asServed(o, route.served);
  return { items, meta };
}

/** GET on a collection (without watch). */
export async function handleList(ctx: Ctx): Promise<void> {
  const { items, meta } = await listObjects(ctx);
  const { served } = ctx.route;
  if (wantsTable(ctx.req.headers.accept)) {
    return sendJson(ctx.res, 200, ctx.deps.tableFor(served).table(items, meta, includeObject(ctx.url), ctx.deps.clock.nowMs()));
  }
  sendJson(ctx.res, 200, { kind: served.kind.listKind, apiVersion: served.apiVersion, metadata: meta, items });
}
