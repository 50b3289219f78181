/**
 * FieldError builders with Kubernetes' message prefixes (`Invalid value: <v>: ...`, `Required
 * value: ...`, `Forbidden: ...`, `Unsupported value: ...`), so every webhook check reads like the
 * API server's own errors.
 */
import type { FieldError } from './registry.ts';
import { quote } from './schema/path.ts';

/** `field: Invalid value: <value>: <why>`. */
export function invalid(field: string, value: unknown, why: string): FieldError {
  return { type: 'FieldValueInvalid', field, message: `Invalid value: ${quote(value)}: ${why}` };
}

/** `field: Required value: <why>`. */
export function required(field: string, why?: string): FieldError {
  return { type: 'FieldValueRequired', field, message: why ? `Required value: ${why}` : 'Required value' };
}

/** `field: Forbidden: <why>`. */
export function forbidden(field: string, why: string): FieldError {
  return { type: 'FieldValueForbidden', field, message: `Forbidden: ${why}` };
}

/** `field: Unsupported value: <value>: supported values: "a", "b"`. */
export function notSupported(field: string, value: unknown, supported: readonly string[]): FieldError {
  return { type: 'FieldValueNotSupported', field, message: `Unsupported value: ${quote(value)}: supported values: ${supported.map(quote).join(', ')}` };
}

/** `field: Duplicate value: <value>`. */
export function duplicate(field: string, value: unknown): FieldError {
  return { type: 'FieldValueDuplicate', field, message: `Duplicate value: ${quote(value)}` };
}
