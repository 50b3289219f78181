/**
 * A kind's published definitions: its version's structural schema with `apiVersion`, `kind` and
 * `metadata` pointing at the standard meta definitions, tagged with `x-kubernetes-group-version-kind`
 * (how kubectl finds a kind's schema), plus the `<Kind>List` definition — the shapes
 * kube-apiserver's CRD OpenAPI builder publishes.
 */
import type { JsonSchema, KindVersion, ResourceKind } from '../../../api/registry.ts';
import { META, definitionName, type Gvk } from './names.ts';
import { refTo, type Dialect, type Json } from './style.ts';

const API_VERSION_DOC =
  'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources';
const KIND_DOC =
  'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds';
const METADATA_DOC = "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";
const LIST_METADATA_DOC = 'Standard list metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#lists-and-simple-lists';

/** The definitions of one served version of a kind: the kind and its list, keyed by name. */
export function kindDefinitions(kind: ResourceKind, version: KindVersion, dialect: Dialect): Record<string, Json> {
  const name = definitionName(kind.group, version.name, kind.kind);
  const gvk = (k: string): Gvk[] => [{ group: kind.group, kind: k, version: version.name }];
  const converted = convertSchema(version.schema, dialect);
  const properties = { ...((converted.properties as Record<string, Json> | undefined) ?? {}) };
  properties.apiVersion = { type: 'string', description: API_VERSION_DOC };
  properties.kind = { type: 'string', description: KIND_DOC };
  properties.metadata = refTo(dialect, `${META}.ObjectMeta`, METADATA_DOC);
  const main: Json = { ...converted, type: 'object', properties: sortKeys(properties), 'x-kubernetes-group-version-kind': gvk(kind.kind) };
  if (main.description === undefined) main.description = `${kind.kind} is the Schema for the ${kind.plural} API`;

  const list: Json = {
    description: `${kind.listKind} is a list of ${kind.kind}`,
    type: 'object',
    required: ['items'],
    properties: {
      apiVersion: { type: 'string', description: API_VERSION_DOC },
      items: {
        type: 'array',
        description: `List of ${kind.plural}. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md`,
        items: refTo(dialect, name),
      },
      kind: { type: 'string', description: KIND_DOC },
      metadata: refTo(dialect, `${META}.ListMeta`, LIST_METADATA_DOC),
    },
    'x-kubernetes-group-version-kind': gvk(kind.listKind),
  };
  return { [name]: main, [definitionName(kind.group, version.name, kind.listKind)]: list };
}

/**
 * A deep copy of a structural schema in the target dialect. Swagger 2.0 has no `nullable`, and an
 * int-or-string field has no single `type` there, so kube-apiserver drops both when it publishes
 * v2; v3 keeps the schema as it is.
 */
export function convertSchema(schema: JsonSchema, dialect: Dialect): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(schema)) {
    if (value === undefined) continue;
    if (dialect === 'v2' && key === 'nullable') continue;
    if (key === 'properties') {
      const props: Record<string, Json> = {};
      for (const [p, s] of Object.entries(value as Record<string, JsonSchema>)) props[p] = convertSchema(s, dialect);
      out.properties = props;
    } else if (key === 'items' || (key === 'additionalProperties' && typeof value === 'object')) {
      out[key] = convertSchema(value as JsonSchema, dialect);
    } else {
      out[key] = structuredClone(value);
    }
  }
  if (dialect === 'v2' && schema['x-kubernetes-int-or-string'] === true) delete out.type;
  return out;
}

function sortKeys(o: Record<string, Json>): Record<string, Json> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
