/**
 * Discovery documents, as kube-apiserver serves them: `/version`, `/api` (APIVersions), `/apis`
 * (APIGroupList), `/apis/{group}` (APIGroup) and `/api/v1`, `/apis/{group}/{version}`
 * (APIResourceList). kubectl 1.32 first asks for aggregated discovery (apidiscovery.k8s.io/v2);
 * answering these plain documents as application/json makes it fall back to them, which is what
 * a server without aggregated discovery does.
 */
import { CRD_GROUP, CRD_RESOURCE } from './crds.ts';
import { apiVersionOf, type KindIndex, type ServedGroup } from './kinds.ts';

/** The Kubernetes version this server claims (kubectl warns beyond one minor of skew). */
export const KUBE_MAJOR = '1';
export const KUBE_MINOR = '32';

const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const STATUS_VERBS = ['get', 'patch', 'update'];

/** `/version` (version.Info). */
export function versionInfo(buildDate: string): Record<string, string> {
  return {
    major: KUBE_MAJOR,
    minor: KUBE_MINOR,
    gitVersion: `v${KUBE_MAJOR}.${KUBE_MINOR}.0-kserve-ts`,
    gitCommit: 'kserve-ts',
    gitTreeState: 'clean',
    buildDate,
    goVersion: `node${process.versions.node}`,
    compiler: 'node',
    platform: `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`,
  };
}

/** `/api`: the core group's versions. */
export function apiVersions(serverAddress: string): Record<string, unknown> {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

function groupDoc(g: ServedGroup): Record<string, unknown> {
  const versions = g.versions.map((v) => ({ groupVersion: apiVersionOf(g.name, v), version: v }));
  return { name: g.name, versions, preferredVersion: versions[0] };
}

/** The read-only CRD view of the kinds (./crds.ts). */
const CRD_SERVED: ServedGroup = { name: CRD_GROUP, versions: ['v1'] };

/** `/apis`: every named group with its versions, preferred first. */
export function apiGroupList(index: KindIndex): Record<string, unknown> {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: [CRD_SERVED, ...index.groups.filter((g) => g.name !== '')].map(groupDoc) };
}

/** `/apis/{group}`, or undefined when the group is not served. */
export function apiGroup(index: KindIndex, group: string): Record<string, unknown> | undefined {
  const g = group === '' ? undefined : group === CRD_GROUP ? CRD_SERVED : index.group(group);
  return g && { kind: 'APIGroup', apiVersion: 'v1', ...groupDoc(g) };
}

/** `/api/v1` or `/apis/{group}/{version}`, or undefined when that group version is not served. */
export function apiResourceList(index: KindIndex, group: string, version: string): Record<string, unknown> | undefined {
  if (group === CRD_GROUP && version === 'v1') return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: `${CRD_GROUP}/v1`, resources: [CRD_RESOURCE] };
  const served = index.inVersion(group, version);
  if (served.length === 0 && !(group === '' && version === 'v1')) return undefined;
  const resources: Record<string, unknown>[] = [];
  for (const { kind, version: v } of served) {
    // Namespaces have no deletecollection in Kubernetes (nor here: handlers-delete.ts).
    const verbs = group === '' && kind.plural === 'namespaces' ? VERBS.filter((v) => v !== 'deletecollection') : VERBS;
    const entry: Record<string, unknown> = { name: kind.plural, singularName: kind.singular, namespaced: kind.namespaced, kind: kind.kind, verbs };
    if (kind.shortNames.length > 0) entry.shortNames = kind.shortNames;
    if (kind.categories.length > 0) entry.categories = kind.categories;
    resources.push(entry);
    if (v.statusSubresource) resources.push({ name: `${kind.plural}/status`, singularName: '', namespaced: kind.namespaced, kind: kind.kind, verbs: STATUS_VERBS });
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: apiVersionOf(group, version), resources };
}

/** `/`: the root paths, as kube-apiserver lists them. */
export function rootPaths(index: KindIndex): Record<string, unknown> {
  const groups = [CRD_SERVED, ...index.groups.filter((g) => g.name !== '')].flatMap((g) => [`/apis/${g.name}`, ...g.versions.map((v) => `/apis/${g.name}/${v}`)]);
  return { paths: ['/api', '/api/v1', '/apis', ...groups, '/healthz', '/livez', '/openapi/v2', '/openapi/v3', '/readyz', '/version'].sort() };
}
