/**
 * Field sets of values, and the difference of two values, under a schema (see shape.ts):
 * structured-merge-diff's `ToFieldSet` and `Compare`.
 */
import type { JsonSchema } from '../../../api/registry.ts';
import { emptySet, insert, type FieldPath, type FieldSet } from './fieldset.ts';
import { isObject, jsonEqual, keyElement, shapeOf, valueElement } from './shape.ts';

/**
 * The fields an object sets, as an applier owns them: every leaf; every map entry that is not a
 * declared struct field (even with children); struct fields that are null or `{}`; every item
 * of a map-list or set-list. The root object itself is not a member.
 */
export function toFieldSet(value: Record<string, unknown>, schema: JsonSchema | undefined): FieldSet {
  const set = emptySet();
  visit(value, schema, [], set);
  return set;
}

function visit(value: unknown, schema: JsonSchema | undefined, path: FieldPath, set: FieldSet): void {
  const shape = shapeOf(schema, value);
  switch (shape.t) {
    case 'map':
      for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
        const field = shape.field(key);
        const childPath = [...path, `f:${key}`];
        visit(child, field.schema, childPath, set);
        if (child === null || (isObject(child) && Object.keys(child).length === 0) || !field.declared) insert(set, childPath);
      }
      return;
    case 'maplist':
      for (const item of value as Record<string, unknown>[]) {
        const itemPath = [...path, keyElement(item, shape.keys)];
        visit(item, shape.item, itemPath, set);
        insert(set, itemPath);
      }
      return;
    case 'set':
      for (const item of value as unknown[]) insert(set, [...path, valueElement(item)]);
      return;
    default:
      if (path.length > 0) insert(set, path);
  }
}

/** What changed from `lhs` to `rhs`: paths added, removed, and leaves whose value changed. */
export interface Comparison {
  added: FieldSet;
  removed: FieldSet;
  modified: FieldSet;
}

/**
 * Compares two objects. A path that appears is added (maps and list items too, not only their
 * leaves); one that disappears is removed; a leaf present on both sides with another value is
 * modified. A value whose shape changes (a map became a string) counts as modified.
 */
export function compare(lhs: Record<string, unknown>, rhs: Record<string, unknown>, schema: JsonSchema | undefined): Comparison {
  const c: Comparison = { added: emptySet(), removed: emptySet(), modified: emptySet() };
  diff(lhs, rhs, schema, [], c);
  return c;
}

function diff(l: unknown, r: unknown, schema: JsonSchema | undefined, path: FieldPath, c: Comparison): void {
  const ls = l === undefined ? undefined : shapeOf(schema, l);
  const rs = r === undefined ? undefined : shapeOf(schema, r);
  const shape = rs ?? ls!;
  if (ls !== undefined && rs !== undefined && ls.t !== rs.t) {
    insert(c.modified, path);
    return;
  }
  switch (shape.t) {
    case 'map': {
      const lo = (l ?? {}) as Record<string, unknown>;
      const ro = (r ?? {}) as Record<string, unknown>;
      for (const key of new Set([...Object.keys(lo), ...Object.keys(ro)])) {
        diff(lo[key], ro[key], shape.field(key).schema, [...path, `f:${key}`], c);
      }
      break;
    }
    case 'maplist': {
      const items = (v: unknown): Map<string, unknown> => new Map(((v ?? []) as Record<string, unknown>[]).map((item) => [keyElement(item, shape.keys), item]));
      const li = items(l);
      const ri = items(r);
      for (const key of new Set([...li.keys(), ...ri.keys()])) diff(li.get(key), ri.get(key), shape.item, [...path, key], c);
      break;
    }
    case 'set': {
      const lv = new Set(((l ?? []) as unknown[]).map(valueElement));
      const rv = new Set(((r ?? []) as unknown[]).map(valueElement));
      for (const v of rv) if (!lv.has(v)) insert(c.added, [...path, v]);
      for (const v of lv) if (!rv.has(v)) insert(c.removed, [...path, v]);
      break;
    }
    default:
      if (l !== undefined && r !== undefined && !jsonEqual(l, r)) insert(c.modified, path);
  }
  if (path.length === 0) return;
  if (l === undefined) insert(c.added, path);
  else if (r === undefined) insert(c.removed, path);
}
