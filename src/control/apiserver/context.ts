/**
 * What every handler receives: the server's dependencies (built once by `startApiServer`) and the
 * request at hand, plus the small helpers for answering it (JSON bodies, `Warning` headers,
 * query flags such as `dryRun`).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../../core/clock.ts';
import type { Logger } from '../../core/logger.ts';
import type { Store, StoredObject } from '../store/store.ts';
import type { Admission } from './admission.ts';
import { badRequest, type Qualified } from './errors.ts';
import type { KindIndex, ServedKind } from './kinds.ts';
import type { ResourceRoute } from './route.ts';
import { TableConvertor } from './table.ts';

/** Server-side apply (./apply `applyFunctionFor`): the merged object, or the conflicts and Kubernetes' message. */
export type ServerSideApplyFn = (
  live: object | undefined,
  applied: object,
  opts: { manager: string; force: boolean; now: string; subresource?: 'status' },
) => { object: object } | { conflicts: { field: string; manager: string; message?: string }[]; message?: string };

/** managedFields bookkeeping of every other write (./apply `updateTrackerFor`). */
export type UpdateTrackerFn = (live: object | undefined, updated: object, opts: { manager: string; now: string; subresource?: 'status' }) => object;

/** What a subresource handler receives: the object found, the query, and the raw request and response. */
export interface SubresourceRequest {
  object: StoredObject;
  namespace?: string;
  name: string;
  query: URLSearchParams;
  req: IncomingMessage;
  res: ServerResponse;
}

/** An extra GET subresource (./subresource); writes the response itself, throws ApiError for a bad request. */
export type SubresourceHandler = (r: SubresourceRequest) => Promise<void>;

/** Long-lived state shared by every request. */
export interface ServerDeps {
  store: Store;
  index: KindIndex;
  clock: Clock;
  log: Logger;
  rng: () => number;
  maxBodyBytes: number;
  admission: Admission;
  /** Interval between watch BOOKMARK events when a client allows them. */
  bookmarkIntervalMs: number;
  /** Longest a watch stays open when the client gives no timeoutSeconds. */
  maxWatchSeconds: number;
  /** Open watch streams, ended on close(). */
  watches: Set<{ end(closeConnection?: boolean): void }>;
  serverSideApply?: ServerSideApplyFn;
  trackUpdate?: UpdateTrackerFn;
  tableFor(served: ServedKind): TableConvertor;
  /** Extra GET subresources keyed `group/resource/subresource` (./subresource). */
  subresources?: ReadonlyMap<string, SubresourceHandler>;
}

/** One resource request. */
export interface Ctx {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  route: ResourceRoute;
  deps: ServerDeps;
  /** `Warning` response headers (field validation Warn). */
  warnings: string[];
  /** Set by server-side apply, whose result already carries its managedFields. */
  applied?: boolean;
}

/**
 * The request's field manager: `fieldManager`, else the User-Agent up to its first "/", as
 * kube-apiserver derives it (`kubectl/v1.32.4 (linux/amd64) ...` → `kubectl`).
 */
export function fieldManager(ctx: Ctx): string {
  const given = ctx.url.searchParams.get('fieldManager');
  if (given !== null && given !== '') {
    if (given.length > 128) throw badRequest(`fieldManager: Too long: may not be more than 128 bytes`);
    return given;
  }
  return (ctx.req.headers['user-agent'] ?? 'unknown').split('/')[0]!.slice(0, 128) || 'unknown';
}

/** A per-kind-version cache of table convertors (printer columns compile once). */
export function tableCache(): (served: ServedKind) => TableConvertor {
  const cache = new Map<string, TableConvertor>();
  return (served) => {
    const key = `${served.apiVersion}/${served.kind.plural}`;
    let t = cache.get(key);
    if (!t) cache.set(key, (t = new TableConvertor(served.version.printerColumns)));
    return t;
  };
}

/** Writes a JSON response with any pending `Warning` headers. */
export function sendJson(res: ServerResponse, code: number, body: unknown, warnings: readonly string[] = []): void {
  const text = JSON.stringify(body);
  const headers: Record<string, string | string[]> = { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) };
  if (warnings.length > 0) headers.warning = warnings.map((w) => `299 - ${JSON.stringify(w)}`);
  res.writeHead(code, headers);
  res.end(text);
}

/** The kind, group and name of the request's object, for error messages. */
export function qualified(ctx: Ctx, name = ctx.route.name): Qualified {
  const { kind } = ctx.route.served;
  return { group: kind.group, resource: kind.plural, kind: kind.kind, name };
}

/** The store key type of the request's kind. */
export function storeType(ctx: Ctx): { group: string; resource: string } {
  return { group: ctx.route.served.kind.group, resource: ctx.route.served.kind.plural };
}

/** `dryRun`: absent, or `All` (the only value Kubernetes defines). */
export function isDryRun(url: URL): boolean {
  const values = url.searchParams.getAll('dryRun');
  for (const v of values) if (v !== 'All') throw badRequest(`dryRun: Unsupported value: ${JSON.stringify(v)}: supported values: "All"`);
  return values.length > 0;
}

/** An object as served at the request's version (conversion strategy None: only apiVersion changes). */
export function asServed(obj: StoredObject, served: ServedKind): StoredObject {
  obj.apiVersion = served.apiVersion;
  obj.kind = served.kind.kind;
  return obj;
}
