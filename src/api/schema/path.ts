/**
 * Field paths as Kubernetes prints them (`spec.predictor.model.storageUri`, `spec.nodes[root]`,
 * `spec.predictor.containers[0]`) and values as its field errors quote them.
 */

/** `parent.key` (or `key` at the root). */
export function child(parent: string, key: string): string {
  return parent === '' ? key : `${parent}.${key}`;
}

/** `parent[i]` for a list element, `parent[key]` for a map entry. */
export function index(parent: string, i: number | string): string {
  return `${parent}[${i}]`;
}

/** A value as Kubernetes' field errors quote it: strings in JSON quotes, numbers and booleans bare. */
export function quote(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null || value === undefined) return 'null';
  return JSON.stringify(value);
}

/** The JSON type name of a value, as Kubernetes names it in type errors. */
export function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/** Whether a value is a plain JSON object (not null, not an array). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A string or number as text; anything else (absent, object) as ''. */
export function text(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
}
