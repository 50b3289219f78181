/**
 * PATCH: JSON merge patch and JSON patch are applied to the live object and the result goes
 * through the same admission and write as a PUT; server-side apply (application/apply-patch+yaml)
 * goes through the apply module and may create. Strategic merge patch is not defined for custom
 * resources, so it is answered 415 with the accepted types, exactly as kube-apiserver does; the
 * core kinds take it (./strategic-patch.ts).
 *
 * A patch that does not name a resourceVersion is unconditional: when another write lands between
 * our read and our write, the patch is re-applied to the newer object (up to 5 tries).
 */
import type { StoredObject } from '../store/store.ts';
import { checkTypeMeta, parseFieldValidation } from './admission.ts';
import { decodeBody, mediaType, readBody, type Decoded } from './body.ts';
import { asServed, isDryRun, qualified, sendJson, storeType, type Ctx } from './context.ts';
import { ApiError, applyConflicts, badRequest, fromStoreError, notFound, unsupportedMediaType } from './errors.ts';
import { createObject, kubeNow, updateObject } from './handlers-write.ts';
import { bodyVersion, isObject, metaOf, type Obj } from './meta.ts';
import { jsonPatch, mergePatch } from './patch.ts';
import { strategicMergePatch } from './strategic-patch.ts';

const JSON_PATCH = 'application/json-patch+json';
const MERGE_PATCH = 'application/merge-patch+json';
const APPLY_PATCH = 'application/apply-patch+yaml';
const STRATEGIC_PATCH = 'application/strategic-merge-patch+json';
/** The patch types served for custom resources, in kube-apiserver's order. */
export const PATCH_TYPES = [JSON_PATCH, MERGE_PATCH, APPLY_PATCH];
/** Built-in (core) kinds also take strategic merge patch. */
const CORE_PATCH_TYPES = [JSON_PATCH, MERGE_PATCH, STRATEGIC_PATCH, APPLY_PATCH];

/** Re-applications of an unconditional patch that keeps losing races (kube-apiserver retries until its request timeout). */
const MAX_TRIES = 16;

function isConflict(err: unknown): boolean {
  return err instanceof ApiError && err.reason === 'Conflict' && err.code === 409 && !err.details?.causes;
}

/** The live object, or undefined when absent (apply creates). */
async function live(ctx: Ctx): Promise<StoredObject | undefined> {
  try {
    const obj = await ctx.deps.store.get({ ...storeType(ctx), namespace: ctx.route.namespace, name: ctx.route.name! });
    return obj && asServed(obj, ctx.route.served);
  } catch (err) {
    throw fromStoreError(err, qualified(ctx));
  }
}

function checkPatched(ctx: Ctx, patched: unknown): asserts patched is Obj {
  if (!isObject(patched)) throw badRequest('the patch turned the object into something that is not a JSON object');
  checkTypeMeta(patched, ctx.route.served);
  const name = metaOf(patched).name;
  if (name !== ctx.route.name) throw badRequest(`the name of the object (${String(name)}) does not match the name on the URL (${ctx.route.name})`);
}

/** PATCH on an object or its status. */
export async function handlePatch(ctx: Ctx): Promise<void> {
  const type = mediaType(ctx.req.headers['content-type']);
  const accepted = ctx.route.served.kind.group === '' ? CORE_PATCH_TYPES : PATCH_TYPES;
  if (!accepted.includes(type)) throw unsupportedMediaType(accepted);
  const dryRun = isDryRun(ctx.url);
  const mode = parseFieldValidation(ctx.url.searchParams.get('fieldValidation'));
  const decoded = decodeBody(await readBody(ctx.req, ctx.deps.maxBodyBytes), type);
  if (type === APPLY_PATCH) return apply(ctx, decoded, dryRun, mode);
  if (type === MERGE_PATCH && !isObject(decoded.value)) throw badRequest('merge patch: the body must be a JSON object');
  const applyPatch = (old: StoredObject): unknown => {
    if (type === MERGE_PATCH) return mergePatch(old, decoded.value);
    if (type === STRATEGIC_PATCH) return strategicMergePatch(old, decoded.value);
    return jsonPatch(old, decoded.value);
  };
  const namesVersion = JSON.stringify(decoded.value).includes('"resourceVersion"');
  const { served } = ctx.route;
  for (let attempt = 1; ; attempt++) {
    const old = await live(ctx);
    if (!old) throw notFound(qualified(ctx));
    const patched = applyPatch(old);
    checkPatched(ctx, patched);
    const warnings = ctx.deps.admission.fieldValidation(patched, decoded.duplicates, mode, served);
    const expected = bodyVersion(patched) ?? Number(old.metadata.resourceVersion);
    try {
      const saved = await updateObject(ctx, patched, old, expected, dryRun);
      return sendJson(ctx.res, 200, saved, [...ctx.warnings, ...warnings]);
    } catch (err) {
      if (namesVersion || attempt >= MAX_TRIES || !isConflict(err)) throw err;
    }
  }
}

/** Server-side apply: merge with field ownership (./apply), then create or update. */
async function apply(ctx: Ctx, decoded: Decoded, dryRun: boolean, mode: ReturnType<typeof parseFieldValidation>): Promise<void> {
  const ssa = ctx.deps.serverSideApply;
  if (!ssa) throw unsupportedMediaType([JSON_PATCH, MERGE_PATCH]);
  const manager = ctx.url.searchParams.get('fieldManager');
  if (!manager) throw badRequest('fieldManager: Required value: is required for apply patch');
  const forceParam = ctx.url.searchParams.get('force');
  if (forceParam !== null && forceParam !== 'true' && forceParam !== 'false') throw badRequest(`force: Invalid value: ${JSON.stringify(forceParam)}: expected true or false`);
  const applied = decoded.value;
  checkPatched(ctx, applied);
  const warnings = ctx.deps.admission.fieldValidation(applied, decoded.duplicates, mode, ctx.route.served);
  // A resourceVersion in the configuration is a precondition (kubectl diff --server-side pins one).
  const pinned = bodyVersion(applied);
  for (let attempt = 1; ; attempt++) {
    const current = await live(ctx);
    if (pinned !== undefined && !current) throw notFound(qualified(ctx));
    const subresource = ctx.route.subresource === 'status' ? ('status' as const) : undefined;
    const result = ssa(current, structuredClone(applied), { manager, force: forceParam === 'true', now: kubeNow(ctx.deps.clock.nowMs()), subresource });
    if ('conflicts' in result) {
      const n = result.conflicts.length;
      const message = result.message ?? `Apply failed with ${n} conflict${n === 1 ? '' : 's'}: ${result.conflicts.map((c) => `${c.manager}: ${c.field}`).join(', ')}`;
      throw applyConflicts(message, result.conflicts, ctx.route.served.apiVersion);
    }
    ctx.applied = true;
    const obj = result.object as Obj;
    try {
      if (!current) return sendJson(ctx.res, 201, await createObject(ctx, obj, dryRun), [...ctx.warnings, ...warnings]);
      const saved = await updateObject(ctx, obj, current, pinned ?? Number(current.metadata.resourceVersion), dryRun);
      return sendJson(ctx.res, 200, saved, [...ctx.warnings, ...warnings]);
    } catch (err) {
      const raced = isConflict(err) || (err instanceof ApiError && err.reason === 'AlreadyExists');
      if (!raced || pinned !== undefined || attempt >= MAX_TRIES) throw err;
    }
  }
}
