/**
 * Turns a request path into what it addresses, following kube-apiserver's URL layout:
 *
 *   /api/v1/{plural}[/{name}[/{sub}]]                                 core, cluster-scoped or all namespaces
 *   /api/v1/namespaces/{ns}/{plural}[/{name}[/{sub}]]                core, namespaced
 *   /apis/{group}/{version}/...                                       the same under a named group
 *   .../watch/...                                                     the legacy watch prefix (= ?watch=1)
 *
 * `/api/v1/namespaces/x/status` is ambiguous (namespace x's status, or a namespaced plural called
 * "status"); as Kubernetes, a namespaced plural served in that group version wins.
 */
import { badRequest } from './errors.ts';
import type { KindIndex, ServedKind } from './kinds.ts';

/** A request for a resource collection, an object, or an object's subresource. */
export interface ResourceRoute {
  type: 'resource';
  group: string;
  version: string;
  served: ServedKind;
  /** Namespace from the URL (undefined: cluster-scoped kind, or a list across all namespaces). */
  namespace?: string;
  name?: string;
  subresource?: string;
  /** Reached through the legacy `/watch/` prefix. */
  legacyWatch: boolean;
}

/** A path under a group version that names no served resource (404). */
export interface UnknownRoute {
  type: 'unknown';
}

/** A discovery document: `/api/v1` or `/apis/{group}/{version}`. */
export interface GroupVersionRoute {
  type: 'groupVersion';
  group: string;
  version: string;
}

export type ApiRoute = ResourceRoute | GroupVersionRoute | UnknownRoute;

/** Parses a path that starts with `/api/` or `/apis/` (query string removed); undefined if neither. */
export function parseApiPath(path: string, index: KindIndex): ApiRoute | { type: 'group'; group: string } | undefined {
  let segs: string[];
  try {
    segs = path.split('/').filter((s) => s !== '').map(decodeURIComponent);
  } catch {
    throw badRequest(`the request path ${JSON.stringify(path.slice(0, 200))} is not valid percent-encoding`);
  }
  let group: string;
  let rest: string[];
  if (segs[0] === 'api' && segs.length >= 2) {
    group = '';
    rest = segs.slice(1);
  } else if (segs[0] === 'apis' && segs.length >= 2) {
    group = segs[1]!;
    if (segs.length === 2) return { type: 'group', group };
    rest = segs.slice(2);
  } else return undefined;
  const version = rest[0]!;
  let tail = rest.slice(1);
  if (tail.length === 0) return { type: 'groupVersion', group, version };
  const legacyWatch = tail[0] === 'watch';
  if (legacyWatch) tail = tail.slice(1);
  const base = { type: 'resource' as const, group, version, legacyWatch };

  if (tail[0] === 'namespaces' && tail.length >= 3) {
    const served = index.lookup(group, version, tail[2]!);
    if (served?.kind.namespaced && tail.length <= 5) {
      return { ...base, served, namespace: tail[1], name: tail[3], subresource: tail[4] };
    }
  }
  const served = index.lookup(group, version, tail[0]!);
  if (!served || tail.length > 3) return { type: 'unknown' };
  return { ...base, served, name: tail[1], subresource: tail[2] };
}
