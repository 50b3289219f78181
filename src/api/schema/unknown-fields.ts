/**
 * Unknown fields, as the Kubernetes API server handles them for CRDs with structural schemas: a
 * field the schema does not declare is *unknown* unless an enclosing object is
 * `x-kubernetes-preserve-unknown-fields` (where KServe keeps embedded pod and container specs).
 * With `fieldValidation=Strict` the server rejects them by path; with `Warn` or `Ignore` it prunes
 * them. Both share one walk, so what is reported is exactly what would be pruned.
 */
import type { JsonSchema } from '../registry.ts';
import { child, index, isObject } from './path.ts';

type Visit = (path: string, holder: Record<string, unknown>, key: string) => void;

function walk(value: unknown, schema: JsonSchema, path: string, onUnknown: Visit): void {
  if (Array.isArray(value)) {
    if (schema.items) value.forEach((item, i) => walk(item, schema.items!, index(path, i), onUnknown));
    return;
  }
  if (!isObject(value)) return;
  const props = schema.properties;
  const additional = schema.additionalProperties;
  const preserve = schema['x-kubernetes-preserve-unknown-fields'] === true;
  for (const key of Object.keys(value)) {
    const declared = props?.[key];
    if (declared) {
      walk(value[key], declared, child(path, key), onUnknown);
    } else if (isObject(additional)) {
      walk(value[key], additional, index(path, key), onUnknown);
    } else if (!preserve && additional !== true) {
      onUnknown(child(path, key), value, key);
    }
  }
}

/**
 * The paths of fields `obj` has that `schema` does not declare, e.g.
 * `['spec.predictor.sklearnn', 'spec.predictor.model.storageURI']`. `obj` is not changed.
 */
export function findUnknownFields(obj: unknown, schema: JsonSchema): string[] {
  const found: string[] = [];
  walk(obj, schema, '', (path) => found.push(path));
  return found;
}

/** Removes the unknown fields of `obj` in place (as the API server prunes); returns their paths. */
export function pruneUnknownFields(obj: unknown, schema: JsonSchema): string[] {
  const pruned: string[] = [];
  walk(obj, schema, '', (path, holder, key) => {
    pruned.push(path);
    delete holder[key];
  });
  return pruned;
}

/**
 * Removes `null` values of fields that are not `nullable` (in place), as the API server does for
 * CRDs before defaulting and validation: `minReplicas: null` means "unset", not an error.
 */
export function dropNulls(obj: unknown, schema: JsonSchema): void {
  if (Array.isArray(obj)) {
    if (schema.items) for (const item of obj) dropNulls(item, schema.items);
    return;
  }
  if (!isObject(obj)) return;
  for (const key of Object.keys(obj)) {
    const sub = schema.properties?.[key] ?? (isObject(schema.additionalProperties) ? schema.additionalProperties : undefined);
    if (!sub) continue;
    if (obj[key] === null) {
      if (sub.nullable !== true) delete obj[key];
    } else {
      dropNulls(obj[key], sub);
    }
  }
}
