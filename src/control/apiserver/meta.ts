/**
 * The metadata rules kube-apiserver applies to every write, independent of the kind: which fields
 * the server owns (uid, creationTimestamp, resourceVersion, generation, deletionTimestamp), when
 * `generation` moves (+1 whenever anything outside metadata and, with a status subresource,
 * status changes), `generateName`, and what a status-subresource write may change.
 */
import type { StoredObject } from '../store/store.ts';
import { badRequest } from './errors.ts';

export type Obj = Record<string, unknown>;

export function isObject(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Structural equality of JSON values (key order ignored). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

/** The object's metadata, created empty when missing (the body was checked to be an object). */
export function metaOf(obj: Obj): Obj {
  if (!isObject(obj.metadata)) obj.metadata = {};
  return obj.metadata as Obj;
}

/** Whether anything that `generation` tracks differs: all but metadata (and status, when it is a subresource). */
export function specChanged(oldObj: Obj, newObj: Obj, statusSubresource: boolean): boolean {
  const strip = (o: Obj): Obj => {
    const { metadata: _m, status: _s, ...rest } = o;
    return statusSubresource ? rest : { ...rest, status: _s };
  };
  return !deepEqual(strip(oldObj), strip(newObj));
}

const GENERATE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** `generateName` + 5 characters from Kubernetes' alphabet (no vowels, no look-alikes). */
export function generatedName(prefix: string, rng: () => number): string {
  let s = '';
  for (let i = 0; i < 5; i++) s += GENERATE_ALPHABET[Math.floor(rng() * GENERATE_ALPHABET.length)];
  return `${prefix.slice(0, 58)}${s}`;
}

/**
 * Readies a new object for create: server-owned fields cleared, generation 1, status dropped when
 * it is a subresource (it is written through /status only). 400 when resourceVersion is set.
 */
export function prepareCreate(obj: Obj, statusSubresource: boolean): void {
  const meta = metaOf(obj);
  if (meta.resourceVersion !== undefined && meta.resourceVersion !== '') throw badRequest('resourceVersion should not be set on objects to be created');
  for (const k of ['uid', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'resourceVersion', 'selfLink']) delete meta[k];
  meta.generation = 1;
  if (statusSubresource) delete obj.status;
}

/**
 * Readies a replacement on the main resource: identity and deletion state kept from `old`,
 * status kept from `old` when it is a subresource, managedFields kept when the body has none.
 * Call `nextGeneration` once defaulting has run.
 */
export function prepareUpdate(obj: Obj, old: StoredObject, statusSubresource: boolean): void {
  const meta = metaOf(obj);
  const om = old.metadata;
  for (const k of ['uid', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds'] as const) {
    if (om[k] === undefined) delete meta[k];
    else meta[k] = om[k];
  }
  if (meta.managedFields === undefined && om.managedFields !== undefined) meta.managedFields = om.managedFields;
  if (statusSubresource) {
    if (old.status === undefined) delete obj.status;
    else obj.status = old.status;
  }
}

/** `generation` after an update: +1 when the spec (all but metadata, and status when a subresource) changed. */
export function nextGeneration(old: StoredObject, obj: Obj, statusSubresource: boolean): number {
  return (old.metadata.generation ?? 1) + (specChanged(old, obj, statusSubresource) ? 1 : 0);
}

/** A status write: everything from `old` except `status`, which comes from the body. */
export function statusUpdate(body: Obj, old: StoredObject): Obj {
  const out: Obj = { ...structuredClone(old) };
  if (body.status === undefined) delete out.status;
  else out.status = body.status;
  return out;
}

/** The `metadata.resourceVersion` of a body as a store version; 400 when it is not a number. */
export function bodyVersion(obj: Obj): number | undefined {
  const rv = metaOf(obj).resourceVersion;
  if (rv === undefined || rv === '') return undefined;
  const n = typeof rv === 'string' && /^\d+$/.test(rv) ? Number(rv) : NaN;
  if (!Number.isSafeInteger(n)) throw badRequest(`metadata.resourceVersion: Invalid value: ${JSON.stringify(rv)}: must be the decimal resourceVersion read from the server`);
  return n;
}
