/**
 * OpenAPI v3 validation of an object against a structural schema, with the messages the
 * Kubernetes API server gives for CRDs, e.g. field `spec.predictor.minReplicas`, message
 * `Invalid value: "string": spec.predictor.minReplicas in body must be of type integer: "string"`.
 * Unknown fields are not this function's concern (see unknown-fields.ts).
 */
import type { FieldError, JsonSchema } from '../registry.ts';
import { child, index, isObject, jsonType, quote } from './path.ts';

function typeMatches(value: unknown, type: NonNullable<JsonSchema['type']>): boolean {
  switch (type) {
    case 'object':
      return isObject(value);
    case 'array':
      return Array.isArray(value);
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
  }
}

function typeError(field: string, value: unknown, expected: string): FieldError {
  const actual = jsonType(value);
  return { type: 'FieldValueTypeInvalid', field, message: `Invalid value: "${actual}": ${field} in body must be of type ${expected}: "${actual}"` };
}

function checkScalar(value: unknown, schema: JsonSchema, field: string, errors: FieldError[]): void {
  if (schema.enum && !schema.enum.some((e) => e === value)) {
    errors.push({ type: 'FieldValueNotSupported', field, message: `Unsupported value: ${quote(value)}: supported values: ${schema.enum.map(quote).join(', ')}` });
  }
  if (typeof value === 'string') {
    if (schema.maxLength !== undefined && Buffer.byteLength(value) > schema.maxLength) {
      errors.push({ type: 'FieldValueTooLong', field, message: `Too long: may not be more than ${schema.maxLength} bytes` });
    }
    if (schema.minLength !== undefined && value.length < schema.minLength) {
      errors.push({ type: 'FieldValueInvalid', field, message: `Invalid value: ${quote(value)}: ${field} in body should be at least ${schema.minLength} chars long` });
    }
    if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(value)) {
      errors.push({ type: 'FieldValueInvalid', field, message: `Invalid value: ${quote(value)}: ${field} in body should match '${schema.pattern}'` });
    }
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) {
      errors.push({ type: 'FieldValueInvalid', field, message: `Invalid value: ${value}: ${field} in body should be greater than or equal to ${schema.minimum}` });
    }
    if (schema.maximum !== undefined && value > schema.maximum) {
      errors.push({ type: 'FieldValueInvalid', field, message: `Invalid value: ${value}: ${field} in body should be less than or equal to ${schema.maximum}` });
    }
  }
}

function validateNode(value: unknown, schema: JsonSchema, field: string, errors: FieldError[]): void {
  if (value === null) {
    if (schema.nullable !== true && schema.type !== undefined) errors.push(typeError(field, value, schema.type));
    return;
  }
  if (schema['x-kubernetes-int-or-string'] === true) {
    if (typeof value === 'string') checkScalar(value, schema, field, errors);
    else if (!(typeof value === 'number' && Number.isInteger(value))) errors.push(typeError(field, value, 'integer or string'));
    return;
  }
  if (schema.type !== undefined && !typeMatches(value, schema.type)) {
    errors.push(typeError(field, value, schema.type));
    return;
  }
  checkScalar(value, schema, field, errors);
  if (Array.isArray(value)) {
    if (schema.items) value.forEach((item, i) => validateNode(item, schema.items!, index(field, i), errors));
    return;
  }
  if (!isObject(value)) return;
  for (const name of schema.required ?? []) {
    if (value[name] === undefined) errors.push({ type: 'FieldValueRequired', field: child(field, name), message: 'Required value' });
  }
  for (const [key, sub] of Object.entries(value)) {
    const declared = schema.properties?.[key];
    if (declared) validateNode(sub, declared, child(field, key), errors);
    else if (isObject(schema.additionalProperties)) validateNode(sub, schema.additionalProperties, index(field, key), errors);
  }
}

/**
 * The schema violations of `obj` (types, required, enum, pattern, length, minimum/maximum,
 * int-or-string), each with its field path; empty when it conforms.
 */
export function validateAgainstSchema(obj: unknown, schema: JsonSchema): FieldError[] {
  const errors: FieldError[] = [];
  validateNode(obj, schema, '', errors);
  return errors;
}
