/**
 * How structured-merge-diff sees a value under a structural schema:
 *
 * - `map`: an object whose fields merge one by one. Fields the schema declares (`properties`) are
 *   *struct fields*; the rest (`additionalProperties`, or anything under
 *   `x-kubernetes-preserve-unknown-fields`) are *map entries*, which are members of a field set
 *   even when they have children (that is why labels read `{"f:labels":{"f:app":{}}}`).
 * - `maplist`: `x-kubernetes-list-type: map`; items are identified by their key fields (`k:`).
 * - `set`: `x-kubernetes-list-type: set`; scalar items identified by value (`v:`).
 * - `leaf`: scalars, and everything atomic: lists of any other type (CRD lists default to
 *   atomic) and objects with `x-kubernetes-map-type: atomic`. A leaf is owned and replaced whole.
 *
 * A value with no schema (below preserve-unknown-fields) is "deduced" from the value itself:
 * objects are maps, lists are atomic, as structured-merge-diff's deduced type.
 */
import type { JsonSchema } from '../../../api/registry.ts';

export type Shape =
  | { t: 'map'; field(key: string): { schema: JsonSchema | undefined; declared: boolean } }
  | { t: 'maplist'; keys: string[]; item: JsonSchema | undefined }
  | { t: 'set' }
  | { t: 'leaf' };

const LEAF: Shape = { t: 'leaf' };

export function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** The shape of `value` under `schema` (undefined: deduced from the value). */
export function shapeOf(schema: JsonSchema | undefined, value: unknown): Shape {
  if (isObject(value)) {
    if (schema === undefined) return deducedMap;
    if (schema['x-kubernetes-map-type'] === 'atomic') return LEAF;
    if (schema.type !== undefined && schema.type !== 'object') return LEAF;
    const props = schema.properties ?? {};
    const extra = schema.additionalProperties;
    return {
      t: 'map',
      field: (key) => {
        if (Object.hasOwn(props, key)) return { schema: props[key], declared: true };
        return { schema: typeof extra === 'object' ? extra : undefined, declared: false };
      },
    };
  }
  if (Array.isArray(value)) {
    if (schema === undefined || schema.type !== 'array') return LEAF;
    const listType = schema['x-kubernetes-list-type'];
    if (listType === 'set') return { t: 'set' };
    const keys = schema['x-kubernetes-list-map-keys'];
    if (listType === 'map' && keys !== undefined && keys.length > 0 && value.every((item) => isObject(item) && keys.every((k) => item[k] !== undefined))) {
      return { t: 'maplist', keys: [...keys].sort(), item: schema.items };
    }
    return LEAF;
  }
  return LEAF;
}

const deducedMap: Shape = { t: 'map', field: () => ({ schema: undefined, declared: false }) };

/** The `k:` element of a map-list item: its key fields, sorted by name, as JSON. */
export function keyElement(item: Record<string, unknown>, keys: readonly string[]): string {
  return `k:${JSON.stringify(Object.fromEntries(keys.map((k) => [k, item[k]])))}`;
}

/** The `v:` element of a set-list item. */
export function valueElement(item: unknown): string {
  return `v:${JSON.stringify(item)}`;
}

/** Structural equality of JSON values (object key order ignored). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && jsonEqual(a[k], b[k]));
  }
  return false;
}
