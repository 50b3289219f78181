/**
 * `metadata.managedFields` read into field sets per manager and written back, as Kubernetes'
 * managedfields package does: one entry per manager identity (manager, operation, subresource,
 * and for Update also apiVersion: an applier keeps one identity whatever version it applies
 * with), sorted Apply before Update, then by time, manager, apiVersion, subresource.
 */
import { fromFieldsV1, isEmpty, toFieldsV1, type FieldSet } from './fieldset.ts';

export type Operation = 'Apply' | 'Update';

/** One manager's ownership, decoded. */
export interface Manager {
  manager: string;
  operation: Operation;
  apiVersion: string;
  /** RFC 3339 seconds, or undefined when the entry had none. */
  time: string | undefined;
  subresource: string | undefined;
  fields: FieldSet;
}

/** The identity Kubernetes groups entries by (its `BuildManagerIdentifier`). */
export function identity(m: Pick<Manager, 'manager' | 'operation' | 'apiVersion' | 'subresource'>): string {
  return JSON.stringify([m.manager, m.operation, m.operation === 'Update' ? m.apiVersion : '', m.subresource ?? '']);
}

/**
 * Reads `managedFields`; throws an Error naming the entry and field when it is malformed (the
 * API server reports it as an invalid `metadata.managedFields`).
 */
export function decodeManagedFields(entries: unknown): Map<string, Manager> {
  const out = new Map<string, Manager>();
  if (entries === undefined || entries === null) return out;
  if (!Array.isArray(entries)) throw new Error(`metadata.managedFields: expected a list of entries, got ${JSON.stringify(entries)}`);
  entries.forEach((raw, i) => {
    const where = `metadata.managedFields[${i}]`;
    if (raw === null || typeof raw !== 'object') throw new Error(`${where}: expected an object, got ${JSON.stringify(raw)}`);
    const e = raw as Record<string, unknown>;
    if (e.operation !== 'Apply' && e.operation !== 'Update') throw new Error(`${where}.operation: expected "Apply" or "Update", got ${JSON.stringify(e.operation)}`);
    if (e.fieldsType !== undefined && e.fieldsType !== 'FieldsV1') throw new Error(`${where}.fieldsType: expected "FieldsV1", got ${JSON.stringify(e.fieldsType)}`);
    const m: Manager = {
      manager: typeof e.manager === 'string' ? e.manager : '',
      operation: e.operation,
      apiVersion: typeof e.apiVersion === 'string' ? e.apiVersion : '',
      time: typeof e.time === 'string' ? e.time : undefined,
      subresource: typeof e.subresource === 'string' && e.subresource !== '' ? e.subresource : undefined,
      fields: e.fieldsV1 === undefined ? fromFieldsV1({}, `${where}.fieldsV1`) : fromFieldsV1(e.fieldsV1, `${where}.fieldsV1`),
    };
    // The root is never a member: `{}` there means "no fields", not "the whole object".
    m.fields.member = false;
    out.set(identity(m), m);
  });
  return out;
}

/** Writes managers back as `managedFields` entries, dropping managers that own nothing. */
export function encodeManagedFields(managers: Iterable<Manager>): Record<string, unknown>[] {
  const list = [...managers].filter((m) => !isEmpty(m.fields));
  list.sort((a, b) => cmp(a.operation, b.operation) || cmp(seconds(a.time), seconds(b.time)) || cmp(a.manager, b.manager) || cmp(a.apiVersion, b.apiVersion) || cmp(a.subresource ?? '', b.subresource ?? ''));
  return list.map((m) => {
    const e: Record<string, unknown> = { manager: m.manager, operation: m.operation, apiVersion: m.apiVersion };
    if (m.time !== undefined) e.time = m.time;
    e.fieldsType = 'FieldsV1';
    e.fieldsV1 = toFieldsV1(m.fields);
    if (m.subresource !== undefined) e.subresource = m.subresource;
    return e;
  });
}

/** How Kubernetes names a manager in a conflict (`"kubectl-client-side-apply" using serving.kserve.io/v1beta1`). */
export function describeManager(m: Pick<Manager, 'manager' | 'operation' | 'apiVersion' | 'subresource'>): string {
  let s = JSON.stringify(m.manager);
  if (m.subresource !== undefined) s += ` with subresource ${JSON.stringify(m.subresource)}`;
  return m.operation === 'Update' ? `${s} using ${m.apiVersion}` : s;
}

/** RFC 3339 at second precision, as metav1.Time marshals. */
export function rfc3339(now: Date): string {
  return now.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function seconds(time: string | undefined): number {
  return time === undefined ? 0 : Math.floor(Date.parse(time) / 1000);
}

function cmp<T extends string | number>(a: T, b: T): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
