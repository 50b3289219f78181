/**
 * Small builders for the structural schemas of src/api/schemas/: each returns a fresh `JsonSchema`
 * object, so a schema can be changed in one kind without touching another that shares a piece.
 */
import type { JsonSchema } from '../registry.ts';

/** A string field. */
export function str(description: string, extra: Partial<JsonSchema> = {}): JsonSchema {
  return { type: 'string', description, ...extra };
}

/** A string restricted to `values` (Kubernetes reports others as "Unsupported value"). */
export function oneOf(description: string, values: readonly string[]): JsonSchema {
  return { type: 'string', description, enum: [...values] };
}

/** A 32-bit integer field (Kubernetes' `format: int32`). */
export function int32(description: string, extra: Partial<JsonSchema> = {}): JsonSchema {
  return { type: 'integer', format: 'int32', description, ...extra };
}

/** A 64-bit integer field. */
export function int64(description: string, extra: Partial<JsonSchema> = {}): JsonSchema {
  return { type: 'integer', format: 'int64', description, ...extra };
}

/** A boolean field. */
export function bool(description: string): JsonSchema {
  return { type: 'boolean', description };
}

/** A list of strings. */
export function strList(description: string): JsonSchema {
  return { type: 'array', description, items: { type: 'string' } };
}

/** A map of string to string (labels, annotations, node selectors, storage parameters). */
export function strMap(description: string): JsonSchema {
  return { type: 'object', description, additionalProperties: { type: 'string' } };
}

/**
 * An object whose content Kubernetes owns (a pod's affinity, a container's resources ...): kept
 * exactly as written, never pruned, because KServe's CRDs pass it through to the pod unchanged.
 */
export function open(description: string): JsonSchema {
  return { type: 'object', description, 'x-kubernetes-preserve-unknown-fields': true };
}

/** A list of objects whose content Kubernetes owns (volumes, tolerations, env ...). */
export function openList(description: string): JsonSchema {
  return { type: 'array', description, items: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } };
}

/** An object with exactly the given properties (unknown fields below it are reported / pruned). */
export function obj(description: string, properties: Record<string, JsonSchema>, required?: string[]): JsonSchema {
  const s: JsonSchema = { type: 'object', description, properties };
  if (required && required.length > 0) s.required = required;
  return s;
}

/** A list of objects with exactly the given properties. */
export function objList(description: string, properties: Record<string, JsonSchema>, required?: string[]): JsonSchema {
  return { type: 'array', description, items: obj(description, properties, required) };
}

/** A value that may be an integer or a string (a resource quantity, a port name). */
export function intOrString(description: string): JsonSchema {
  return { description, 'x-kubernetes-int-or-string': true };
}

/** Kubernetes' resource.Quantity syntax (`1Gi`, `500m`, `1e3`), as CRDs carry it. */
export const QUANTITY_PATTERN = '^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$';

/** A resource quantity: an integer or a string in Kubernetes' quantity syntax. */
export function quantity(description: string): JsonSchema {
  return { description, 'x-kubernetes-int-or-string': true, pattern: QUANTITY_PATTERN };
}
