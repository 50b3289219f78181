/**
 * Checks keys and objects and stamps the metadata the store owns (uid, creationTimestamp,
 * resourceVersion). Shared by every Store implementation so that they agree to the byte.
 *
 * The result of a stamp is the JSON text that is stored: implementations keep text and parse a
 * fresh copy for every reader, so no caller can reach into the store's state by mutating an object.
 */
import { invalid } from './errors.ts';
import type { ObjectKey, ResourceType, StoredObject } from './store.ts';

/** Checks a resource type: `group` a string ('' for core), `resource` a non-empty string. */
export function checkType(type: ResourceType): void {
  if (typeof type?.group !== 'string') throw invalid('group', type?.group, 'expected a string (\'\' for the core group)');
  if (typeof type.resource !== 'string' || type.resource === '') {
    throw invalid('resource', type.resource, 'expected a non-empty plural resource name');
  }
}

/** Checks a key: a valid type, a non-empty name, and a namespace that is a non-empty string when given. */
export function checkKey(key: ObjectKey): void {
  checkType(key);
  if (typeof key.name !== 'string' || key.name === '') throw invalid('metadata.name', key.name, 'expected a non-empty name');
  if (key.namespace !== undefined && (typeof key.namespace !== 'string' || key.namespace === '')) {
    throw invalid('metadata.namespace', key.namespace, 'expected a non-empty namespace or none (cluster-scoped)');
  }
}

/** The namespace as stored: '' for cluster-scoped objects (a SQL key column cannot usefully be NULL). */
export function storedNamespace(key: { namespace?: string }): string {
  return key.namespace ?? '';
}

/** `YYYY-MM-DDTHH:MM:SSZ`: Kubernetes timestamps have whole seconds. */
export function kubeTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A shallow copy of `obj` with its own metadata object, after checking it matches `key`. */
function withOwnMetadata(key: ObjectKey, obj: StoredObject): StoredObject {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) throw invalid('object', obj, 'expected a JSON object');
  const meta: unknown = obj.metadata;
  if (meta === null || typeof meta !== 'object' || Array.isArray(meta)) {
    throw invalid('metadata', meta, 'expected an object with at least metadata.name');
  }
  const m = meta as StoredObject['metadata'];
  if (m.name !== key.name) throw invalid('metadata.name', m.name, `expected "${key.name}", the name in the request`);
  if (m.namespace !== undefined && m.namespace !== key.namespace) {
    throw invalid('metadata.namespace', m.namespace, `expected ${key.namespace === undefined ? 'none (cluster-scoped)' : `"${key.namespace}"`}, the namespace in the request`);
  }
  const metadata = { ...m };
  if (key.namespace !== undefined) metadata.namespace = key.namespace;
  return { ...obj, metadata };
}

function toJson(obj: StoredObject): string {
  try {
    return JSON.stringify(obj);
  } catch (err) {
    throw invalid('object', (err as Error).message, 'expected an object that serialises to JSON');
  }
}

/** The stored text of a new object: uid and creationTimestamp kept when given, set otherwise. */
export function stampCreate(key: ObjectKey, obj: StoredObject, rv: number, nowMs: number, newUid: () => string): string {
  const o = withOwnMetadata(key, obj);
  o.metadata.uid ??= newUid();
  o.metadata.creationTimestamp ??= kubeTimestamp(nowMs);
  o.metadata.resourceVersion = String(rv);
  return toJson(o);
}

/** The stored text of a replacement: uid and creationTimestamp come from the stored object. */
export function stampUpdate(key: ObjectKey, obj: StoredObject, prev: StoredObject, rv: number): string {
  const o = withOwnMetadata(key, obj);
  if (prev.metadata.uid !== undefined) o.metadata.uid = prev.metadata.uid;
  if (prev.metadata.creationTimestamp !== undefined) o.metadata.creationTimestamp = prev.metadata.creationTimestamp;
  o.metadata.resourceVersion = String(rv);
  return toJson(o);
}

/** The text of a deleted object as its DELETED event carries it: as stored, with the delete's version. */
export function stampDelete(prev: StoredObject, rv: number): string {
  return toJson({ ...prev, metadata: { ...prev.metadata, resourceVersion: String(rv) } });
}

/** Checks an `expectedVersion` option: a non-negative integer when given. */
export function checkExpectedVersion(v: number | undefined): void {
  if (v !== undefined && (!Number.isSafeInteger(v) || v < 0)) {
    throw invalid('metadata.resourceVersion', v, 'expected a non-negative integer');
  }
}

/** A fresh object from stored text (every reader gets its own copy); undefined for no row. */
export function parseStored(json: string | undefined): StoredObject | undefined {
  return json === undefined ? undefined : (JSON.parse(json) as StoredObject);
}
