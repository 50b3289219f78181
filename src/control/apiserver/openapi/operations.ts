/**
 * The REST paths of one served version of a kind, with the operations kube-apiserver publishes
 * for a CRD: list/watch, create, deletecollection, read, replace, patch, delete, and the status
 * subresource. Each operation carries `x-kubernetes-action` and `x-kubernetes-group-version-kind`;
 * write operations list the `fieldValidation` query parameter, which is how kubectl (its query
 * parameter verifier) learns that the server validates fields itself, so it sends
 * `fieldValidation=Strict` instead of validating on the client.
 */
import type { KindVersion, ResourceKind } from '../../../api/registry.ts';
import { META, definitionName, operationStem, type Gvk } from './names.ts';
import { refTo, type Dialect, type Json } from './style.ts';

interface Param {
  name: string;
  in: 'query' | 'path';
  description: string;
  type: 'string' | 'boolean' | 'integer';
  required?: boolean;
}

const q = (name: string, type: Param['type'], description: string): Param => ({ name, in: 'query', type, description });

const PRETTY = q('pretty', 'string', "If 'true', then the output is pretty printed.");
const DRY_RUN = q('dryRun', 'string', 'When present, indicates that modifications should not be persisted. Valid values: All.');
const FIELD_MANAGER = q('fieldManager', 'string', 'fieldManager is a name associated with the actor or entity that is making these changes.');
const FIELD_VALIDATION = q(
  'fieldValidation',
  'string',
  'fieldValidation instructs the server on how to handle objects in the request containing unknown or duplicate fields. Valid values are: Ignore, Warn, Strict (the default).',
);
const FORCE = q('force', 'boolean', 'Force is going to "force" Apply requests: it re-acquires conflicting fields owned by other people. Must be unset for non-apply patch requests.');
const LIST_PARAMS: Param[] = [
  q('allowWatchBookmarks', 'boolean', 'allowWatchBookmarks requests watch events with type "BOOKMARK".'),
  q('continue', 'string', 'The continue option should be set when retrieving more results from the server.'),
  q('fieldSelector', 'string', 'A selector to restrict the list of returned objects by their fields. Defaults to everything.'),
  q('labelSelector', 'string', 'A selector to restrict the list of returned objects by their labels. Defaults to everything.'),
  q('limit', 'integer', 'limit is a maximum number of responses to return for a list call.'),
  q('resourceVersion', 'string', 'resourceVersion sets a constraint on what resource versions a request may be served from.'),
  q('resourceVersionMatch', 'string', 'resourceVersionMatch determines how resourceVersion is applied to list calls.'),
  q('sendInitialEvents', 'boolean', 'sendInitialEvents=true may be set together with watch=true.'),
  q('timeoutSeconds', 'integer', 'Timeout for the list/watch call.'),
  q('watch', 'boolean', 'Watch for changes to the described resources and return them as a stream of add, update, and remove notifications.'),
];
const DELETE_PARAMS: Param[] = [
  DRY_RUN,
  q('gracePeriodSeconds', 'integer', 'The duration in seconds before the object should be deleted.'),
  q('propagationPolicy', 'string', "Whether and how garbage collection will be performed: 'Orphan', 'Background' or 'Foreground'."),
];

const PATCH_TYPES = ['application/json-patch+json', 'application/merge-patch+json', 'application/apply-patch+yaml'];
const RESPONSE_TYPES = ['application/json', 'application/yaml'];

/** Paths (relative to the server root, e.g. `/apis/serving.kserve.io/v1beta1/...`) and their operations. */
export function kindPaths(kind: ResourceKind, version: KindVersion, dialect: Dialect): Record<string, Json> {
  const base = kind.group === '' ? `/api/${version.name}` : `/apis/${kind.group}/${version.name}`;
  const gvk: Gvk = { group: kind.group, kind: kind.kind, version: version.name };
  const objRef = definitionName(kind.group, version.name, kind.kind);
  const listRef = definitionName(kind.group, version.name, kind.listKind);
  const stem = operationStem(kind.group, version.name);
  const scope = kind.namespaced ? 'Namespaced' : '';
  const op = (verb: string, action: string, params: Param[], responses: Record<string, string>, body?: { ref: string; types: string[] }, suffix = ''): Json => {
    const o: Json = {
      tags: [stem.charAt(0).toLowerCase() + stem.slice(1)],
      description: describe(action, kind),
      operationId: `${verb}${stem}${scope}${kind.kind}${suffix}`,
      parameters: params.map((p) => param(p, dialect)),
      responses: responsesOf(responses, dialect),
      'x-kubernetes-action': action,
      'x-kubernetes-group-version-kind': gvk,
    };
    if (body !== undefined) {
      if (dialect === 'v2') {
        o.consumes = body.types;
        (o.parameters as Json[]).unshift({ name: 'body', in: 'body', required: true, schema: refTo('v2', body.ref) });
      } else {
        o.requestBody = { content: Object.fromEntries(body.types.map((t) => [t, { schema: refTo('v3', body.ref) }])), required: true };
      }
    }
    if (dialect === 'v2') o.produces = [...RESPONSE_TYPES];
    return o;
  };
  const write = [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION];
  const jsonBody = { ref: objRef, types: ['application/json', 'application/yaml'] };
  const patchBody = { ref: `${META}.Patch`, types: PATCH_TYPES };
  const nsParam: Param[] = kind.namespaced ? [{ name: 'namespace', in: 'path', required: true, type: 'string', description: 'object name and auth scope, such as for teams and projects' }] : [];
  const nameParam: Param = { name: 'name', in: 'path', required: true, type: 'string', description: `name of the ${kind.kind}` };
  const collection = kind.namespaced ? `${base}/namespaces/{namespace}/${kind.plural}` : `${base}/${kind.plural}`;
  const item = `${collection}/{name}`;
  const paths: Record<string, Json> = {};
  paths[collection] = {
    get: op('list', 'list', LIST_PARAMS, { '200': listRef }),
    post: op('create', 'post', write, { '200': objRef, '201': objRef, '202': objRef }, jsonBody),
    delete: op('deletecollection', 'deletecollection', [...DELETE_PARAMS, ...LIST_PARAMS.filter((p) => p.name !== 'watch')], { '200': `${META}.Status` }, undefined, 'Collection'),
    parameters: [...nsParam, PRETTY].map((p) => param(p, dialect)),
  };
  paths[item] = {
    get: op('read', 'get', [q('resourceVersion', 'string', 'resourceVersion sets a constraint on what resource versions a request may be served from.')], { '200': objRef }),
    put: op('replace', 'put', write, { '200': objRef, '201': objRef }, jsonBody),
    patch: op('patch', 'patch', [...write, FORCE], { '200': objRef, '201': objRef }, patchBody),
    delete: op('delete', 'delete', DELETE_PARAMS, { '200': `${META}.Status`, '202': `${META}.Status` }),
    parameters: [nameParam, ...nsParam, PRETTY].map((p) => param(p, dialect)),
  };
  if (version.statusSubresource) {
    paths[`${item}/status`] = {
      get: op('read', 'get', [], { '200': objRef }, undefined, 'Status'),
      put: op('replace', 'put', write, { '200': objRef, '201': objRef }, jsonBody, 'Status'),
      patch: op('patch', 'patch', [...write, FORCE], { '200': objRef }, patchBody, 'Status'),
      parameters: [nameParam, ...nsParam, PRETTY].map((p) => param(p, dialect)),
    };
  }
  if (kind.namespaced) {
    paths[`${base}/${kind.plural}`] = {
      get: op('list', 'list', LIST_PARAMS, { '200': listRef }, undefined, 'ForAllNamespaces'),
      parameters: [param(PRETTY, dialect)],
    };
  }
  // The all-namespaces list has no "Namespaced" in its operationId.
  if (kind.namespaced) {
    const all = paths[`${base}/${kind.plural}`]!.get as Json;
    all.operationId = `list${stem}${kind.kind}ForAllNamespaces`;
  }
  return paths;
}

function param(p: Param, dialect: Dialect): Json {
  const out: Json = { name: p.name, in: p.in, description: p.description };
  if (p.required === true) out.required = true;
  if (dialect === 'v2') {
    out.type = p.type;
    if (p.in === 'query') out.uniqueItems = true;
  } else {
    out.schema = p.in === 'query' ? { type: p.type, uniqueItems: true } : { type: p.type };
  }
  return out;
}

function responsesOf(codes: Record<string, string>, dialect: Dialect): Json {
  const text: Record<string, string> = { '200': 'OK', '201': 'Created', '202': 'Accepted' };
  const out: Json = {};
  for (const [code, ref] of Object.entries(codes)) {
    out[code] =
      dialect === 'v2'
        ? { description: text[code] ?? code, schema: refTo('v2', ref) }
        : { description: text[code] ?? code, content: Object.fromEntries(RESPONSE_TYPES.map((t) => [t, { schema: refTo('v3', ref) }])) };
  }
  out['401'] = { description: 'Unauthorized' };
  return out;
}

function describe(action: string, kind: ResourceKind): string {
  switch (action) {
    case 'list':
      return `list or watch objects of kind ${kind.kind}`;
    case 'post':
      return `create a ${kind.kind}`;
    case 'deletecollection':
      return `delete collection of ${kind.kind}`;
    case 'get':
      return `read the specified ${kind.kind}`;
    case 'put':
      return `replace the specified ${kind.kind}`;
    case 'patch':
      return `partially update the specified ${kind.kind}`;
    default:
      return `delete a ${kind.kind}`;
  }
}
