/**
 * The admission pipeline every write goes through, in kube-apiserver's order:
 *
 *   decode (./body.ts) → type meta matches the URL (400) → field validation (Strict 400 /
 *   Warn header / Ignore; unknown fields pruned in every mode) → the kind's defaulting
 *   (KServe's mutating webhook) → OpenAPI schema + ObjectMeta + the kind's validation
 *   (KServe's validating webhook) → 422 Invalid listing every field error.
 *
 * Nothing here knows a particular kind; the kind's hooks and schema carry what differs.
 */
import type { AdmissionContext, FieldError, ResourceKind } from '../../api/registry.ts';
import { NAME_RULES } from '../../api/index.ts';
import { dropNulls, findUnknownFields, pruneUnknownFields, validateAgainstSchema, validateObjectMeta } from '../../api/schema/index.ts';
import type { Store } from '../store/store.ts';
import { badRequest, invalid } from './errors.ts';
import type { ServedKind } from './kinds.ts';
import { isObject, type Obj } from './meta.ts';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

/** The `fieldValidation` query parameter; kube-apiserver's default is Warn (kubectl sends Strict). */
export function parseFieldValidation(value: string | null): FieldValidation {
  if (value === null || value === '') return 'Warn';
  if (value === 'Strict' || value === 'Warn' || value === 'Ignore') return value;
  throw badRequest(`fieldValidation: Unsupported value: ${JSON.stringify(value)}: supported values: "Ignore", "Strict", "Warn"`);
}

/**
 * Checks `apiVersion` and `kind` of a body against the URL it was sent to, with kube-apiserver's
 * words. A missing kind or apiVersion is filled from the URL only where Kubernetes does: for the
 * built-in (core) kinds.
 */
export function checkTypeMeta(body: unknown, served: ServedKind): asserts body is Obj {
  const text = (): string => JSON.stringify(body).slice(0, 200);
  if (!isObject(body)) throw badRequest(`Object 'Kind' is missing in '${text()}'`);
  if (served.kind.group === '') {
    // Built-in kinds decode with the URL's group/version/kind as default; custom resources do not.
    if (body.kind === undefined || body.kind === '') body.kind = served.kind.kind;
    if (body.apiVersion === undefined || body.apiVersion === '') body.apiVersion = served.apiVersion;
  }
  if (typeof body.kind !== 'string' || body.kind === '') throw badRequest(`Object 'Kind' is missing in '${text()}'`);
  if (typeof body.apiVersion !== 'string' || body.apiVersion === '') throw badRequest(`Object 'apiVersion' is missing in '${text()}'`);
  if (body.apiVersion !== served.apiVersion) throw badRequest(`the API version in the data (${body.apiVersion}) does not match the expected API version (${served.apiVersion})`);
  if (body.kind !== served.kind.kind) {
    // kube-apiserver answers a custom resource of the wrong kind with 422 on the `kind` field.
    const name = isObject(body.metadata) && typeof body.metadata.name === 'string' ? body.metadata.name : '';
    const { group, plural } = served.kind;
    throw invalid({ group, resource: plural, kind: body.kind, name }, [{ type: 'FieldValueInvalid', field: 'kind', message: `Invalid value: ${JSON.stringify(body.kind)}: must be ${served.kind.kind}` }]);
  }
  if (body.metadata !== undefined && !isObject(body.metadata)) throw badRequest(`${served.kind.kind} in version "${served.version.name}" cannot be handled as a ${served.kind.kind}: metadata: expected an object, got ${JSON.stringify(body.metadata)}`);
}

/** Runs kinds' hooks and the schema checks. */
export class Admission {
  constructor(private readonly store: Store) {}

  /** Context handed to a kind's hooks: lists of other kinds from the store. */
  private context(): AdmissionContext {
    return {
      list: async (group, resource, namespace) => (await this.store.list({ group, resource }, namespace === undefined ? {} : { namespace })).items,
    };
  }

  /**
   * Field validation: unknown fields (and duplicate keys, from decoding) are rejected under
   * Strict, reported as warnings under Warn, and pruned in every mode. Returns the warnings.
   */
  fieldValidation(obj: Obj, duplicates: readonly string[], mode: FieldValidation, served: ServedKind): string[] {
    const unknown = findUnknownFields(obj, served.version.schema);
    const problems = [...duplicates.map((p) => `duplicate field "${p}"`), ...unknown.map((p) => `unknown field "${p}"`)];
    if (unknown.length > 0) pruneUnknownFields(obj, served.version.schema);
    if (problems.length === 0 || mode === 'Ignore') return [];
    if (mode === 'Warn') return problems;
    const { kind } = served.kind;
    throw badRequest(`${kind} in version "${served.version.name}" cannot be handled as a ${kind}: strict decoding error: ${problems.join(', ')}`);
  }

  /** Defaulting then validation of a create or an update of the main resource; 422 on any field error. */
  async admit(obj: Obj, old: Obj | undefined, served: ServedKind): Promise<void> {
    const ctx = this.context();
    dropNulls(obj, served.version.schema);
    await served.kind.default?.(obj, ctx);
    // As kube-apiserver: schema and ObjectMeta validation first; validating webhooks (the kind's
    // validate) only see objects that passed it, so one bad name is reported once.
    this.throwIfInvalid(this.schemaErrors(obj, served), obj, served.kind);
    if (served.kind.validate) this.throwIfInvalid(await served.kind.validate(obj, old, ctx), obj, served.kind);
  }

  /** Validation of a status write: the schema only (webhooks judge the spec). */
  admitStatus(obj: Obj, served: ServedKind): void {
    dropNulls(obj, served.version.schema);
    this.throwIfInvalid(this.schemaErrors(obj, served), obj, served.kind);
  }

  /**
   * kube-apiserver's own checks, before any webhook: a custom resource's name must be a DNS-1123
   * subdomain (KServe's webhook then asks InferenceService names for a DNS-1035 label, so
   * `Bad_Name` gets Kubernetes' subdomain message and `1bad` KServe's); core kinds have their own
   * rule (a Namespace name is a DNS-1123 label).
   */
  private schemaErrors(obj: Obj, served: ServedKind): FieldError[] {
    const nameRule = served.kind.group === '' ? NAME_RULES[served.kind.kind] : undefined;
    return [...validateObjectMeta(obj.metadata, { namespaced: served.kind.namespaced, nameRule }), ...validateAgainstSchema(obj, served.version.schema)];
  }

  private throwIfInvalid(errs: FieldError[], obj: Obj, kind: ResourceKind): void {
    if (errs.length === 0) return;
    const name = isObject(obj.metadata) && typeof obj.metadata.name === 'string' ? obj.metadata.name : '';
    throw invalid({ group: kind.group, resource: kind.plural, kind: kind.kind, name }, errs);
  }
}
