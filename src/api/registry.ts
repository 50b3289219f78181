/**
 * What the API server needs to know about a resource kind, in one place per kind: names (as
 * discovery and kubectl see them), scope, versions with their OpenAPI v3 schemas, printer
 * columns, and the kind's defaulting and validation (KServe's webhooks). The API server is generic
 * over these; it never special-cases a kind.
 */

/** OpenAPI v3 schema, structural as Kubernetes requires for CRDs (a subset of JSON Schema). */
export interface JsonSchema {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  description?: string;
  properties?: Record<string, JsonSchema>;
  additionalProperties?: JsonSchema | boolean;
  items?: JsonSchema;
  required?: string[];
  enum?: unknown[];
  format?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  default?: unknown;
  nullable?: boolean;
  /** Kubernetes extensions: keep unknown fields below here (embedded pod/container specs). */
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-map-type'?: 'atomic' | 'granular';
}

/** A printer column as a CRD's `additionalPrinterColumns` (what `kubectl get` shows). */
export interface PrinterColumn {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  /** A simple JSONPath, e.g. `.status.url` or `.status.conditions[?(@.type=='Ready')].status`. */
  jsonPath: string;
  description?: string;
  /** 0 is shown by default; higher only with `-o wide`. */
  priority?: number;
  format?: string;
}

/** One bad field, as Kubernetes' `field.Error`: it becomes a `details.causes` entry of a 422 Status. */
export interface FieldError {
  type: 'FieldValueRequired' | 'FieldValueInvalid' | 'FieldValueNotSupported' | 'FieldValueDuplicate' | 'FieldValueForbidden' | 'FieldValueTooLong' | 'FieldValueTypeInvalid' | 'FieldValueNotFound';
  /** Dotted path with indexes, e.g. `spec.predictor.model.storageUri`, `spec.nodes[root].steps[0]`. */
  field: string;
  /** The whole sentence kubectl prints after the field, e.g. `Invalid value: "x": must be ...`. */
  message: string;
}

export interface KindVersion {
  name: string;
  served: boolean;
  /** Exactly one version of a kind is the storage version. */
  storage: boolean;
  schema: JsonSchema;
  printerColumns: PrinterColumn[];
  /** Whether `/status` is a subresource (status writes do not bump generation; spec writes ignore status). */
  statusSubresource: boolean;
}

/** Context a kind's hooks may need: other objects (runtime selection reads ServingRuntimes). */
export interface AdmissionContext {
  /** Lists objects of another kind (e.g. servingruntimes in the object's namespace). */
  list(group: string, resource: string, namespace?: string): Promise<Record<string, unknown>[]>;
}

export interface ResourceKind {
  group: string;
  kind: string;
  listKind: string;
  /** Plural, lower case: the URL segment (`inferenceservices`). */
  plural: string;
  singular: string;
  shortNames: string[];
  categories: string[];
  namespaced: boolean;
  versions: KindVersion[];
  /** Fills defaults in place, as KServe's mutating webhook (legacy framework keys → model.modelFormat ...). */
  default?(obj: Record<string, unknown>, ctx: AdmissionContext): Promise<void> | void;
  /** KServe's validating webhook: the field errors (empty when valid). `old` on update. */
  validate?(obj: Record<string, unknown>, old: Record<string, unknown> | undefined, ctx: AdmissionContext): Promise<FieldError[]> | FieldError[];
}
