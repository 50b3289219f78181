/**
 * Schema tools: unknown-field detection and pruning, OpenAPI validation with Kubernetes messages,
 * and ObjectMeta rules.
 */
export { dropNulls, findUnknownFields, pruneUnknownFields } from './unknown-fields.ts';
export { validateAgainstSchema } from './validate.ts';
export { defaultsFromSchema } from './defaults.ts';
export { nameErrors, validateObjectMeta } from './object-meta.ts';
export type { NameRule, ObjectMetaOptions } from './object-meta.ts';
