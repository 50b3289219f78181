/**
 * Structural defaults (`default:` in a schema), applied as the Kubernetes API server does for CRDs:
 * when an object is decoded, before mutating admission, an absent field with a default gets a copy
 * of it. Only fields whose parent object exists are filled (a default never creates its parent).
 */
import type { JsonSchema } from '../registry.ts';
import { isObject } from './path.ts';

/** Fills the schema defaults of `obj` in place; returns the dotted paths filled. */
export function defaultsFromSchema(obj: unknown, schema: JsonSchema, path = ''): string[] {
  const filled: string[] = [];
  if (Array.isArray(obj)) {
    if (schema.items) obj.forEach((item, i) => filled.push(...defaultsFromSchema(item, schema.items!, `${path}[${i}]`)));
    return filled;
  }
  if (!isObject(obj)) return filled;
  for (const [key, sub] of Object.entries(schema.properties ?? {})) {
    const at = path === '' ? key : `${path}.${key}`;
    if (obj[key] === undefined && sub.default !== undefined) {
      obj[key] = structuredClone(sub.default);
      filled.push(at);
    } else if (obj[key] !== undefined) {
      filled.push(...defaultsFromSchema(obj[key], sub, at));
    }
  }
  if (isObject(schema.additionalProperties)) {
    for (const [key, value] of Object.entries(obj)) {
      if (!schema.properties?.[key]) filled.push(...defaultsFromSchema(value, schema.additionalProperties, `${path}[${key}]`));
    }
  }
  return filled;
}
