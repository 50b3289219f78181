/**
 * Merging an applied configuration into the live object, and removing fields from it, under a
 * schema (see shape.ts): structured-merge-diff's `Merge` and `RemoveItems`.
 */
import type { JsonSchema } from '../../../api/registry.ts';
import type { FieldPath } from './fieldset.ts';
import { isObject, keyElement, shapeOf, valueElement } from './shape.ts';

/**
 * `config` over `live`: maps merge field by field, map-lists item by item (matched by key; live
 * order kept, new items appended), set-lists by value; leaves and atomic values take the
 * configured value. A `null` in the configuration removes the field (we store no nulls).
 */
export function merge(live: unknown, config: unknown, schema: JsonSchema | undefined): unknown {
  if (config === undefined) return structuredClone(live);
  if (live === undefined || live === null) return stripNulls(config);
  const ls = shapeOf(schema, live);
  const cs = shapeOf(schema, config);
  if (ls.t !== cs.t) return stripNulls(config);
  switch (cs.t) {
    case 'map': {
      const out = structuredClone(live) as Record<string, unknown>;
      for (const [key, value] of Object.entries(config as Record<string, unknown>)) {
        if (value === null) delete out[key];
        else out[key] = merge(out[key], value, cs.field(key).schema);
      }
      return out;
    }
    case 'maplist': {
      const out = structuredClone(live) as Record<string, unknown>[];
      const index = new Map(out.map((item, i) => [keyElement(item, cs.keys), i]));
      for (const item of config as Record<string, unknown>[]) {
        const at = index.get(keyElement(item, cs.keys));
        if (at === undefined) out.push(stripNulls(item) as Record<string, unknown>);
        else out[at] = merge(out[at], item, cs.item) as Record<string, unknown>;
      }
      return out;
    }
    case 'set': {
      const out = structuredClone(live) as unknown[];
      const seen = new Set(out.map(valueElement));
      for (const item of config as unknown[]) if (!seen.has(valueElement(item))) out.push(item);
      return out;
    }
    default:
      return stripNulls(config);
  }
}

/**
 * Removes the value at `path` from `root` (in place); returns whether something was removed.
 * Declared struct fields left empty by the removal, and not in `keep`, go too, as
 * structured-merge-diff drops a struct field nobody owns any more.
 */
export function removePath(root: Record<string, unknown>, path: FieldPath, schema: JsonSchema | undefined, keep: (path: FieldPath) => boolean): boolean {
  const trail: { holder: Record<string, unknown> | unknown[]; el: string; declared: boolean }[] = [];
  let node: unknown = root;
  let nodeSchema = schema;
  for (const el of path) {
    const shape = shapeOf(nodeSchema, node);
    if (el.startsWith('f:') && shape.t === 'map') {
      const key = el.slice(2);
      const field = shape.field(key);
      trail.push({ holder: node as Record<string, unknown>, el: key, declared: field.declared });
      node = (node as Record<string, unknown>)[key];
      nodeSchema = field.schema;
    } else if (el.startsWith('k:') && shape.t === 'maplist') {
      const list = node as Record<string, unknown>[];
      const at = list.findIndex((item) => keyElement(item, shape.keys) === el);
      if (at < 0) return false;
      trail.push({ holder: list, el: String(at), declared: false });
      node = list[at];
      nodeSchema = shape.item;
    } else if (el.startsWith('v:') && shape.t === 'set') {
      const list = node as unknown[];
      const at = list.findIndex((item) => valueElement(item) === el);
      if (at < 0) return false;
      trail.push({ holder: list, el: String(at), declared: false });
      node = list[at];
    } else {
      return false;
    }
    if (node === undefined) return false;
  }
  for (let i = trail.length - 1; i >= 0; i--) {
    const step = trail[i]!;
    if (i < trail.length - 1) {
      // An ancestor: drop it only when the removal emptied a declared struct field nobody keeps.
      const value = Array.isArray(step.holder) ? step.holder[Number(step.el)] : step.holder[step.el];
      if (!step.declared || !isObject(value) || Object.keys(value).length > 0 || keep(path.slice(0, i + 1))) break;
    }
    if (Array.isArray(step.holder)) step.holder.splice(Number(step.el), 1);
    else delete step.holder[step.el];
  }
  return true;
}

function stripNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stripNulls);
  if (isObject(v)) return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null).map(([k, x]) => [k, stripNulls(x)]));
  return v;
}
