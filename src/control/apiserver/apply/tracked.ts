/**
 * The part of an object that field management tracks, as Kubernetes strips it before computing
 * field sets: not `apiVersion` and `kind`, not the server-owned metadata (name, namespace, uid,
 * resourceVersion, generation, timestamps, managedFields), and, where the kind has a status
 * subresource, only `status` on the status subresource and everything but `status` on the main
 * resource (the "reset fields" of a CRD with a status subresource).
 */
import type { JsonSchema } from '../../../api/registry.ts';
import { isObject } from './shape.ts';

/** Where a write goes, and whether the kind splits status off. */
export interface Scope {
  /** `'status'` for writes through the status subresource. */
  subresource?: 'status';
  /** Whether the kind has a status subresource (KServe's kinds do). */
  statusSubresource?: boolean;
}

/** Metadata the server owns: never tracked, never taken from an applied configuration. */
export const SERVER_META = ['name', 'namespace', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'managedFields', 'selfLink'] as const;

/** ObjectMeta as structured-merge-diff sees it: labels/annotations granular, finalizers a set, ownerReferences keyed by uid. */
const METADATA_SCHEMA: JsonSchema = {
  type: 'object',
  properties: {
    labels: { type: 'object', additionalProperties: { type: 'string' } },
    annotations: { type: 'object', additionalProperties: { type: 'string' } },
    finalizers: { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'set' },
    ownerReferences: {
      type: 'array',
      items: { type: 'object', 'x-kubernetes-map-type': 'atomic' },
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['uid'],
    },
    generateName: { type: 'string' },
  },
};

/** The kind's schema with `metadata` as structured-merge-diff types ObjectMeta. */
export function trackingSchema(schema: JsonSchema): JsonSchema {
  return { ...schema, type: 'object', properties: { ...(schema.properties ?? {}), metadata: METADATA_SCHEMA } };
}

/** The tracked part of `obj` (a deep copy). */
export function tracked(obj: Record<string, unknown>, scope: Scope): Record<string, unknown> {
  if (scope.subresource === 'status') return obj.status === undefined ? {} : { status: structuredClone(obj.status) };
  const out = structuredClone(obj);
  delete out.apiVersion;
  delete out.kind;
  if (scope.statusSubresource === true) delete out.status;
  if (isObject(out.metadata)) {
    for (const key of SERVER_META) delete out.metadata[key];
    if (Object.keys(out.metadata).length === 0) delete out.metadata;
  }
  return out;
}

/**
 * Puts a tracked result back together with the untracked parts: the server-owned metadata of the
 * live object (or, on create, name and namespace of the new one), and on the main resource of a
 * kind with a status subresource, the live status.
 */
export function reassemble(
  result: Record<string, unknown>,
  live: Record<string, unknown> | undefined,
  incoming: Record<string, unknown>,
  scope: Scope,
  managedFields: unknown[],
): Record<string, unknown> {
  if (scope.subresource === 'status') {
    const out = structuredClone(live ?? incoming);
    if (result.status === undefined) delete out.status;
    else out.status = result.status;
    setManagedFields(out, managedFields);
    return out;
  }
  const source = live ?? incoming;
  const sourceMeta = isObject(source.metadata) ? source.metadata : {};
  const identity: Record<string, unknown> = {};
  for (const key of SERVER_META) {
    if (key === 'managedFields') continue;
    if (live === undefined && key !== 'name' && key !== 'namespace') continue;
    if (sourceMeta[key] !== undefined) identity[key] = structuredClone(sourceMeta[key]);
  }
  const { metadata, status: _ignored, ...rest } = result;
  const out: Record<string, unknown> = {
    apiVersion: incoming.apiVersion ?? live?.apiVersion,
    kind: incoming.kind ?? live?.kind,
    metadata: { ...identity, ...(isObject(metadata) ? metadata : {}) },
    ...rest,
  };
  if (scope.statusSubresource === true) {
    if (live?.status !== undefined) out.status = structuredClone(live.status);
  } else if (result.status !== undefined) {
    out.status = result.status;
  }
  setManagedFields(out, managedFields);
  return out;
}

function setManagedFields(obj: Record<string, unknown>, managedFields: unknown[]): void {
  const meta = (isObject(obj.metadata) ? obj.metadata : (obj.metadata = {}));
  if (managedFields.length > 0) meta.managedFields = managedFields;
  else delete meta.managedFields;
}
