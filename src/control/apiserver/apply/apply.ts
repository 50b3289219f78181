/**
 * Server-side apply and field ownership of plain writes, a faithful subset of Kubernetes'
 * managedfields over structured-merge-diff (see README.md beside this file for what is left out).
 *
 * Apply (`PATCH` with `application/apply-patch+yaml`): the applied configuration is merged into
 * the live object; the applier then owns exactly the fields of its configuration; fields it
 * owned before and no longer applies are removed unless another manager owns them; a field owned
 * by another manager that would change value is a conflict, unless `force`, which takes it over.
 *
 * Worked example. Live object created by `kubectl create` (manager `kubectl-create`, an Update
 * entry owning `.spec.predictor.model.storageUri = gs://a`). Applying `storageUri: gs://b` as
 * manager `ci` conflicts: `Apply failed with 1 conflict: conflict with "kubectl-create" using
 * serving.kserve.io/v1beta1: .spec.predictor.model.storageUri`. With `force`, `ci` owns it, and
 * `kubectl-create` no longer does. Applying `gs://a` (the same value) instead does not conflict:
 * both managers own the field.
 */
import type { JsonSchema } from '../../../api/registry.ts';
import { difference, emptySet, intersection, isEmpty, members, nodeAt, pathString, union, type FieldSet } from './fieldset.ts';
import { decodeManagedFields, describeManager, encodeManagedFields, identity, rfc3339, type Manager } from './managers.ts';
import { merge, removePath } from './merge.ts';
import { isObject, jsonEqual } from './shape.ts';
import { reassemble, tracked, trackingSchema, type Scope } from './tracked.ts';
import { compare, toFieldSet } from './walk.ts';

export interface ManagedWriteOptions extends Scope {
  /** The field manager (`fieldManager` query parameter; kubectl sends `kubectl`, `kubectl-edit` ...). */
  manager: string;
  now: Date;
  /** The apiVersion of the request (`serving.kserve.io/v1beta1`), recorded in the entry. */
  apiVersion: string;
  /** The schema of the kind's version (KindVersion.schema). */
  schema: JsonSchema;
}

export interface ApplyOptions extends ManagedWriteOptions {
  /** `force=true`: take conflicting fields from their managers instead of failing. */
  force: boolean;
}

/** A field another manager owns that the apply would change. */
export interface ApplyConflict {
  /** The path as Kubernetes prints it: `.spec.predictor.model.storageUri`. */
  field: string;
  /** The other manager's name. */
  manager: string;
  /** `conflict with "kubectl-create" using serving.kserve.io/v1beta1`: a Status cause message. */
  message: string;
}

export type ApplyResult =
  | { object: Record<string, unknown>; changed: boolean }
  | { conflicts: ApplyConflict[]; message: string };

/** The manager that owns every field of an object applied to for the first time without managedFields. */
const BEFORE_FIRST_APPLY = 'before-first-apply';

/**
 * Applies `applied` (as sent, with apiVersion, kind and metadata.name) over `live` (undefined
 * when the object does not exist yet). Returns the object to store, with `metadata.managedFields`
 * updated, or the conflicts (the API server answers 409 with `message` and one cause per
 * conflict). Throws an Error naming the field when live managedFields are malformed.
 */
export function serverSideApply(live: Record<string, unknown> | undefined, applied: Record<string, unknown>, opts: ApplyOptions): ApplyResult {
  const schema = trackingSchema(opts.schema);
  const scope: Scope = { subresource: opts.subresource, statusSubresource: opts.statusSubresource };
  const liveT = live === undefined ? {} : tracked(live, scope);
  const configT = tracked(applied, scope);
  const managers = decodeManagedFields(metaOf(live).managedFields);
  if (live !== undefined && managers.size === 0) {
    const owner: Manager = { manager: BEFORE_FIRST_APPLY, operation: 'Update', apiVersion: typeof live.apiVersion === 'string' ? live.apiVersion : opts.apiVersion, time: undefined, subresource: undefined, fields: withoutMetadataMember(toFieldSet(liveT, schema)) };
    managers.set(identity(owner), owner);
  }
  const id = identity({ manager: opts.manager, operation: 'Apply', apiVersion: opts.apiVersion, subresource: opts.subresource });
  const previous = managers.get(id);
  const lastSet = previous?.fields ?? emptySet();
  const applier: Manager = { manager: opts.manager, operation: 'Apply', apiVersion: opts.apiVersion, time: previous?.time, subresource: opts.subresource, fields: withoutMetadataMember(toFieldSet(configT, schema)) };
  managers.set(id, applier);

  // Fields this manager applied last time and nobody owns now are removed.
  const merged = merge(liveT, configT, schema) as Record<string, unknown>;
  const owned = [...managers.values()].reduce<FieldSet>((acc, m) => union(acc, m.fields), emptySet());
  for (const path of members(difference(lastSet, owned))) removePath(merged, path, schema, (p) => nodeAt(owned, p) !== undefined);

  const diff = compare(liveT, merged, schema);
  const changedFields = withoutMetadataMember(union(diff.modified, diff.added));
  const conflicts: ApplyConflict[] = [];
  const taken = new Map<string, FieldSet>();
  for (const [key, m] of managers) {
    if (key === id) continue;
    const clash = intersection(m.fields, changedFields);
    if (isEmpty(clash)) continue;
    taken.set(key, clash);
    for (const path of members(clash)) conflicts.push({ field: pathString(path), manager: m.manager, message: `conflict with ${describeManager(m)}` });
  }
  if (conflicts.length > 0 && !opts.force) return { conflicts, message: conflictMessage(conflicts) };
  for (const [key, m] of managers) {
    if (key === id) continue;
    m.fields = difference(difference(m.fields, taken.get(key) ?? emptySet()), withoutMetadataMember(diff.removed));
  }
  const changed = !isEmpty(diff.added) || !isEmpty(diff.removed) || !isEmpty(diff.modified);
  if (changed || previous === undefined || !jsonEqual(members(previous.fields), members(applier.fields))) applier.time = rfc3339(opts.now);
  return { object: reassemble(merged, live, applied, scope, encodeManagedFields(managers.values())), changed };
}

/**
 * Records a plain write (create, update, merge/JSON patch, edit, client-side apply) by
 * `opts.manager` as an `Update` entry: the manager takes every field the write added or changed
 * (other managers lose them), and every manager loses the fields it removed. Returns a copy of
 * `updated` with `metadata.managedFields` set. `live` is undefined on create.
 *
 * The managedFields of `live` are kept whatever the request sent, unless it sent a different
 * list: an empty list resets ownership, another list replaces it (as Kubernetes does).
 */
export function trackUpdate(live: Record<string, unknown> | undefined, updated: Record<string, unknown>, opts: ManagedWriteOptions): Record<string, unknown> {
  const schema = trackingSchema(opts.schema);
  const scope: Scope = { subresource: opts.subresource, statusSubresource: opts.statusSubresource };
  const liveFields = metaOf(live).managedFields;
  const sent = metaOf(updated).managedFields;
  const managers = decodeManagedFields(Array.isArray(sent) && !jsonEqual(sent, liveFields ?? []) ? sent : liveFields);
  const diff = compare(live === undefined ? {} : tracked(live, scope), tracked(updated, scope), schema);
  const changedFields = withoutMetadataMember(union(diff.modified, diff.added));
  diff.removed = withoutMetadataMember(diff.removed);
  for (const m of managers.values()) m.fields = difference(difference(m.fields, changedFields), diff.removed);
  const id = identity({ manager: opts.manager, operation: 'Update', apiVersion: opts.apiVersion, subresource: opts.subresource });
  const me: Manager = managers.get(id) ?? { manager: opts.manager, operation: 'Update', apiVersion: opts.apiVersion, time: undefined, subresource: opts.subresource, fields: emptySet() };
  me.fields = union(me.fields, changedFields);
  if (!isEmpty(changedFields)) me.time = rfc3339(opts.now);
  managers.set(id, me);
  const out = structuredClone(updated);
  const meta = (isObject(out.metadata) ? out.metadata : (out.metadata = {}));
  const entries = encodeManagedFields(managers.values());
  if (entries.length > 0) meta.managedFields = entries;
  else delete meta.managedFields;
  return out;
}

/**
 * The message of Kubernetes' apply conflict Status: `Apply failed with 1 conflict: conflict with
 * "m": .spec.x`, or for several, grouped by manager in sorted order:
 * `Apply failed with 2 conflicts: conflicts with "a":\n- .spec.x\n- .spec.y`.
 */
export function conflictMessage(conflicts: readonly ApplyConflict[]): string {
  if (conflicts.length === 1) return `Apply failed with 1 conflict: ${conflicts[0]!.message}: ${conflicts[0]!.field}`;
  const byManager = new Map<string, string[]>();
  for (const c of conflicts) {
    const who = c.message.replace(/^conflict with /, '');
    byManager.set(who, [...(byManager.get(who) ?? []), c.field]);
  }
  const lines: string[] = [];
  for (const who of [...byManager.keys()].sort()) {
    lines.push(`conflicts with ${who}:`);
    for (const field of byManager.get(who)!) lines.push(`- ${field}`);
  }
  return `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
}

/**
 * `metadata` itself is never owned (Kubernetes strips the path, keeping what is below it): every
 * object has metadata, so creating one must not make its writer the owner of the whole map.
 */
function withoutMetadataMember(set: FieldSet): FieldSet {
  const meta = set.children.get('f:metadata');
  if (meta !== undefined) {
    meta.member = false;
    if (isEmpty(meta)) set.children.delete('f:metadata');
  }
  return set;
}

function metaOf(obj: Record<string, unknown> | undefined): Record<string, unknown> {
  return obj !== undefined && isObject(obj.metadata) ? obj.metadata : {};
}
