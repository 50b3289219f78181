/**
 * Request routing: health and version, discovery, OpenAPI, then resources by method, as
 * kube-apiserver maps verbs: GET → get/list/watch, POST → create, PUT → update, PATCH → patch,
 * DELETE → delete/deletecollection. Anything else on a resource path is 405; an unknown path 404.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { OPENAPI_V2_PROTOBUF, OPENAPI_V2_PROTOBUF_CONTENT_TYPE, openapiV2, openapiV2Protobuf, openapiV3Document, openapiV3Paths } from './openapi/index.ts';
import { sendJson, type Ctx, type ServerDeps } from './context.ts';
import { serveCrds } from './crds.ts';
import { apiGroup, apiGroupList, apiResourceList, apiVersions, rootPaths, versionInfo } from './discovery.ts';
import { methodNotAllowed, routeNotFound } from './errors.ts';
import { handleDelete, handleDeleteCollection } from './handlers-delete.ts';
import { handlePatch } from './handlers-patch.ts';
import { handleGet, handleList } from './handlers-read.ts';
import { handleCreate, handleUpdate } from './handlers-write.ts';
import { parseApiPath, type ResourceRoute } from './route.ts';
import { serveSubresource, subresourceKey } from './subresource.ts';
import { handleWatch } from './watch.ts';

const HEALTH = new Set(['/healthz', '/readyz', '/livez']);

function sendText(res: ServerResponse, code: number, text: string): void {
  res.writeHead(code, { 'content-type': 'text/plain; charset=utf-8', 'content-length': String(Buffer.byteLength(text)) });
  res.end(text);
}

function isWatch(url: URL, route: ResourceRoute): boolean {
  const w = url.searchParams.get('watch');
  return route.legacyWatch || w === '1' || w === 'true';
}

/** Routes a resource request to its verb handler. */
async function resource(ctx: Ctx): Promise<void> {
  const { route, req } = ctx;
  const { kind, version } = route.served;
  if (kind.namespaced && route.namespace === undefined && route.name !== undefined) throw routeNotFound();
  if (route.subresource !== undefined && !(route.subresource === 'status' && version.statusSubresource)) {
    const extra = route.name === undefined ? undefined : ctx.deps.subresources?.get(subresourceKey(kind.group, kind.plural, route.subresource));
    if (!extra) throw routeNotFound();
    return serveSubresource(ctx, extra);
  }
  const method = req.method ?? 'GET';
  if (route.name === undefined) {
    if (method === 'GET') return isWatch(ctx.url, route) ? handleWatch(ctx) : handleList(ctx);
    if (method === 'POST' && (route.namespace !== undefined || !kind.namespaced)) return handleCreate(ctx);
    if (method === 'DELETE') return handleDeleteCollection(ctx);
    throw methodNotAllowed();
  }
  if (isWatch(ctx.url, route) && route.subresource === undefined) {
    if (method !== 'GET') throw methodNotAllowed();
    return handleWatch(ctx);
  }
  switch (method) {
    case 'GET':
      return handleGet(ctx);
    case 'PUT':
      return handleUpdate(ctx);
    case 'PATCH':
      return handlePatch(ctx);
    case 'DELETE':
      if (route.subresource !== undefined) throw methodNotAllowed();
      return handleDelete(ctx);
    default:
      throw methodNotAllowed();
  }
}

function openapi(path: string, deps: ServerDeps): unknown {
  const kinds = deps.index.kinds;
  if (path === '/openapi/v2') return openapiV2(kinds);
  if (path === '/openapi/v3') return openapiV3Paths(kinds);
  const m = /^\/openapi\/v3\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))$/.exec(path);
  if (!m) return undefined;
  return m[1] ? openapiV3Document(kinds, '', m[1]) : openapiV3Document(kinds, m[2]!, m[3]!);
}

/** Answers one request; throws ApiError for the caller to turn into a Status. */
export async function dispatch(req: IncomingMessage, res: ServerResponse, deps: ServerDeps, buildDate: string): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://apiserver');
  const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname;
  const method = req.method ?? 'GET';
  if (HEALTH.has(path) || path.startsWith('/healthz/') || path.startsWith('/readyz/') || path.startsWith('/livez/')) return sendText(res, 200, 'ok');
  if (serveCrds(path, method, req.headers.accept, res, deps.index.kinds, buildDate)) return;
  const route = parseApiPath(path, deps.index);
  if (route === undefined || route.type !== 'resource') {
    if (method !== 'GET' && method !== 'HEAD') throw route === undefined ? routeNotFound() : methodNotAllowed();
    let doc: unknown;
    if (path === '/') doc = rootPaths(deps.index);
    else if (path === '/version') doc = versionInfo(buildDate);
    else if (path === '/api') doc = apiVersions(req.headers.host ?? '127.0.0.1');
    else if (path === '/apis') doc = apiGroupList(deps.index);
    else if (path.startsWith('/openapi/')) doc = openapi(path, deps);
    else if (route?.type === 'group') doc = apiGroup(deps.index, route.group);
    else if (route?.type === 'groupVersion') doc = apiResourceList(deps.index, route.group, route.version);
    if (doc === undefined) throw routeNotFound();
    if (path === '/openapi/v2' && (req.headers.accept ?? '').includes(OPENAPI_V2_PROTOBUF)) {
      // client-go (kubectl's client-side validation) asks for the gnostic protobuf form only.
      const bytes = openapiV2Protobuf(deps.index.kinds);
      res.writeHead(200, { 'content-type': OPENAPI_V2_PROTOBUF_CONTENT_TYPE, 'content-length': String(bytes.length) });
      return void res.end(bytes);
    }
    return sendJson(res, 200, doc);
  }
  return resource({ req, res, url, route, deps, warnings: [] });
}
