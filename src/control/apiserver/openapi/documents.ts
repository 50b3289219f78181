/**
 * The OpenAPI documents kubectl reads: the Swagger 2.0 document of `/openapi/v2`, the
 * `/openapi/v3` index, and one OpenAPI 3.0 document per group-version at
 * `/openapi/v3/apis/<group>/<version>` (or `api/v1`). Pure functions of the kinds; results are
 * memoised per kinds array, since the server asks on every request and the kinds never change.
 *
 * kubectl uses them for: `explain` (the v3 document of the kind's group-version, falling back to
 * v2), field validation (a PATCH operation with a `fieldValidation` parameter for the kind's GVK
 * tells kubectl the server validates, see operations.ts), and clients that cache by the
 * `hash` in each `serverRelativeURL`.
 */
import { createHash } from 'node:crypto';
import type { ResourceKind } from '../../../api/registry.ts';
import { kindDefinitions } from './kind-schemas.ts';
import { metaDefinitions } from './meta-schemas.ts';
import { groupVersionKey, servedGroupVersions } from './names.ts';
import { kindPaths } from './operations.ts';
import type { Json } from './style.ts';

/** The `/openapi/v3` index: one entry per served group-version. */
export interface OpenApiV3Index {
  paths: Record<string, { serverRelativeURL: string }>;
}

const INFO = { title: 'Kubernetes', version: 'v1.32.0' };

const v2Cache = new WeakMap<readonly ResourceKind[], Json>();
const v3Cache = new WeakMap<readonly ResourceKind[], Map<string, Json>>();
const indexCache = new WeakMap<readonly ResourceKind[], OpenApiV3Index>();

/** The Swagger 2.0 document served at `/openapi/v2`: every served version of every kind. */
export function openapiV2(kinds: readonly ResourceKind[]): Json {
  const cached = v2Cache.get(kinds);
  if (cached !== undefined) return cached;
  const definitions: Record<string, Json> = { ...metaDefinitions('v2') };
  const paths: Record<string, Json> = {};
  for (const kind of kinds) {
    for (const version of kind.versions) {
      if (!version.served) continue;
      Object.assign(definitions, kindDefinitions(kind, version, 'v2'));
      Object.assign(paths, kindPaths(kind, version, 'v2'));
    }
  }
  const doc: Json = { swagger: '2.0', info: INFO, paths: sorted(paths), definitions: sorted(definitions) };
  v2Cache.set(kinds, doc);
  return doc;
}

/**
 * The OpenAPI 3.0 document of one group-version (group '' for core), or undefined when no kind
 * serves it (the server answers 404).
 */
export function openapiV3Document(kinds: readonly ResourceKind[], group: string, version: string): Json | undefined {
  return v3Documents(kinds).get(groupVersionKey(group, version));
}

/**
 * The `/openapi/v3` index. Each `serverRelativeURL` carries the document's hash (SHA-512, upper
 * case hex, as kube-apiserver), so clients that cache documents by URL see changes.
 */
export function openapiV3Paths(kinds: readonly ResourceKind[]): OpenApiV3Index {
  const cached = indexCache.get(kinds);
  if (cached !== undefined) return cached;
  const paths: OpenApiV3Index['paths'] = {};
  for (const [key, doc] of v3Documents(kinds)) {
    const hash = createHash('sha512').update(JSON.stringify(doc)).digest('hex').toUpperCase();
    paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${hash}` };
  }
  const index = { paths };
  indexCache.set(kinds, index);
  return index;
}

function v3Documents(kinds: readonly ResourceKind[]): Map<string, Json> {
  const cached = v3Cache.get(kinds);
  if (cached !== undefined) return cached;
  const docs = new Map<string, Json>();
  for (const [key, gv] of servedGroupVersions(kinds)) {
    const schemas: Record<string, Json> = { ...metaDefinitions('v3') };
    const paths: Record<string, Json> = {};
    for (const kind of kinds) {
      if (kind.group !== gv.group) continue;
      const version = kind.versions.find((v) => v.name === gv.version && v.served);
      if (version === undefined) continue;
      Object.assign(schemas, kindDefinitions(kind, version, 'v3'));
      Object.assign(paths, kindPaths(kind, version, 'v3'));
    }
    docs.set(key, { openapi: '3.0.0', info: INFO, paths: sorted(paths), components: { schemas: sorted(schemas) } });
  }
  v3Cache.set(kinds, docs);
  return docs;
}

function sorted(o: Record<string, Json>): Record<string, Json> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
