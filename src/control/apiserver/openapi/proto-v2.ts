/**
 * The Swagger 2.0 document as kubectl downloads it: client-go asks `/openapi/v2` for
 * `application/com.github.proto-openapi.spec.v2@v1.0+protobuf` only, and parses the answer as
 * gnostic's `openapi.v2.Document` message. kubectl needs it for client-side validation, which it
 * falls back to for any kind the server does not claim to validate (a typo in `kind:` or an
 * unknown apiVersion); without a parsable document it fails with "proto: cannot parse invalid
 * wire-format data" instead of Kubernetes' "no matches for kind".
 *
 * The encoding covers what kubectl reads: definitions (schemas with type, format, description,
 * properties, items, additionalProperties, allOf, required, enum, bounds, `$ref`, vendor
 * extensions such as x-kubernetes-group-version-kind), and paths with operations, parameters and
 * responses (the query parameter verifier looks for `fieldValidation` there). Field numbers are
 * gnostic's OpenAPIv2.proto.
 */
import type { ResourceKind } from '../../../api/registry.ts';
import { openapiV2 } from './documents.ts';
import { ProtoMessage } from './proto-writer.ts';
import type { Json } from './style.ts';

/** The media type client-go requests for `/openapi/v2` (in `Accept`). */
export const OPENAPI_V2_PROTOBUF = 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf';

/**
 * The Content-Type to answer it with. Not the requested type: Go's mime parser rejects the `@` in
 * it, and kube-apiserver (http.ServeContent sniffing the bytes) answers `application/octet-stream`.
 */
export const OPENAPI_V2_PROTOBUF_CONTENT_TYPE = 'application/octet-stream';

const cache = new WeakMap<readonly ResourceKind[], Buffer>();

/** `openapiV2(kinds)` as an encoded `openapi.v2.Document` (memoised per kinds array). */
export function openapiV2Protobuf(kinds: readonly ResourceKind[]): Buffer {
  const cached = cache.get(kinds);
  if (cached !== undefined) return cached;
  const doc = openapiV2(kinds);
  const m = new ProtoMessage().string(1, doc.swagger as string);
  const info = doc.info as Json;
  m.message(2, new ProtoMessage().string(1, info.title as string).string(2, info.version as string));
  const paths = new ProtoMessage();
  for (const [name, item] of Object.entries(doc.paths as Record<string, Json>)) paths.message(2, new ProtoMessage().string(1, name).message(2, pathItem(item)));
  m.message(8, paths);
  const defs = new ProtoMessage();
  for (const [name, schema] of Object.entries(doc.definitions as Record<string, Json>)) defs.message(1, named(name, schemaMessage(schema)));
  m.message(9, defs);
  const out = m.finish();
  cache.set(kinds, out);
  return out;
}

const OPERATION_FIELDS: Record<string, number> = { get: 2, put: 3, post: 4, delete: 5, patch: 8 };

function pathItem(item: Json): ProtoMessage {
  const m = new ProtoMessage();
  for (const [verb, field] of Object.entries(OPERATION_FIELDS)) if (item[verb] !== undefined) m.message(field, operation(item[verb] as Json));
  for (const p of (item.parameters as Json[] | undefined) ?? []) m.message(9, parameter(p));
  return m;
}

function operation(op: Json): ProtoMessage {
  const m = new ProtoMessage();
  for (const t of (op.tags as string[] | undefined) ?? []) m.string(1, t);
  m.string(3, op.description as string | undefined).string(5, op.operationId as string | undefined);
  for (const t of (op.produces as string[] | undefined) ?? []) m.string(6, t);
  for (const t of (op.consumes as string[] | undefined) ?? []) m.string(7, t);
  for (const p of (op.parameters as Json[] | undefined) ?? []) m.message(8, parameter(p));
  const responses = new ProtoMessage();
  for (const [code, r] of Object.entries((op.responses as Record<string, Json> | undefined) ?? {})) {
    const response = new ProtoMessage().string(1, r.description as string);
    if (r.schema !== undefined) response.message(2, new ProtoMessage().message(1, schemaMessage(r.schema as Json)));
    responses.message(1, new ProtoMessage().string(1, code).message(2, new ProtoMessage().message(1, response)));
  }
  m.message(9, responses);
  vendorExtensions(m, 13, op);
  return m;
}

/** A `ParametersItem` holding a `Parameter`: a body parameter, or a query/path sub-schema. */
function parameter(p: Json): ProtoMessage {
  let param: ProtoMessage;
  if (p.in === 'body') {
    const body = new ProtoMessage().string(1, p.description as string | undefined).string(2, p.name as string).string(3, 'body').bool(4, p.required === true);
    if (p.schema !== undefined) body.message(5, schemaMessage(p.schema as Json));
    param = new ProtoMessage().message(1, body);
  } else {
    const sub = new ProtoMessage().bool(1, p.required === true).string(2, p.in as string).string(3, p.description as string | undefined).string(4, p.name as string);
    // Query sub-schemas have allow_empty_value at 5, so their later fields sit one higher than a path's.
    if (p.in === 'query') sub.string(6, p.type as string).bool(20, p.uniqueItems === true);
    else sub.string(5, p.type as string);
    param = new ProtoMessage().message(2, new ProtoMessage().message(p.in === 'query' ? 3 : 4, sub));
  }
  return new ProtoMessage().message(1, param);
}

function schemaMessage(s: Json): ProtoMessage {
  const m = new ProtoMessage()
    .string(1, s.$ref as string | undefined)
    .string(2, s.format as string | undefined)
    .string(3, s.title as string | undefined)
    .string(4, s.description as string | undefined);
  if (s.default !== undefined) m.message(5, any(s.default));
  m.double(7, s.maximum as number | undefined).double(9, s.minimum as number | undefined);
  m.int64(11, s.maxLength as number | undefined).int64(12, s.minLength as number | undefined).string(13, s.pattern as string | undefined);
  for (const r of (s.required as string[] | undefined) ?? []) m.string(19, r);
  for (const e of (s.enum as unknown[] | undefined) ?? []) m.message(20, any(e));
  const ap = s.additionalProperties;
  if (typeof ap === 'boolean') m.message(21, new ProtoMessage().bool(2, ap));
  else if (ap !== undefined) m.message(21, new ProtoMessage().message(1, schemaMessage(ap as Json)));
  if (typeof s.type === 'string') m.message(22, new ProtoMessage().string(1, s.type));
  if (s.items !== undefined) m.message(23, new ProtoMessage().message(1, schemaMessage(s.items as Json)));
  for (const a of (s.allOf as Json[] | undefined) ?? []) m.message(24, schemaMessage(a));
  if (s.properties !== undefined) {
    const props = new ProtoMessage();
    for (const [name, p] of Object.entries(s.properties as Record<string, Json>)) props.message(1, named(name, schemaMessage(p)));
    m.message(25, props);
  }
  vendorExtensions(m, 31, s);
  return m;
}

/** `x-` keys as `NamedAny` entries whose value is YAML (JSON is YAML). */
function vendorExtensions(m: ProtoMessage, field: number, o: Json): void {
  for (const [key, value] of Object.entries(o)) if (key.startsWith('x-')) m.message(field, new ProtoMessage().string(1, key).message(2, any(value)));
}

function any(value: unknown): ProtoMessage {
  return new ProtoMessage().string(2, JSON.stringify(value));
}

function named(name: string, value: ProtoMessage): ProtoMessage {
  return new ProtoMessage().string(1, name).message(2, value);
}
