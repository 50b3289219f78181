/**
 * The served kinds, read-only, as apiextensions.k8s.io/v1 CustomResourceDefinitions. kubectl
 * lists CRDs to decide how to validate a kind its OpenAPI document lacks (a typo in `kind:`, an
 * unknown version): with this list it reports Kubernetes' `no matches for kind "X" in version
 * "Y"`. `kubectl get crd` works as on a KServe cluster. Writes are 405: kinds come from code.
 */
import type { ResourceKind } from '../../api/registry.ts';
import { sendJson } from './context.ts';
import { methodNotAllowed, notFound } from './errors.ts';
import type { ServerResponse } from 'node:http';
import { wantsTable } from './table.ts';

export const CRD_GROUP = 'apiextensions.k8s.io';
const PREFIX = `/apis/${CRD_GROUP}/v1/customresourcedefinitions`;

/** The discovery entry of the resource. */
export const CRD_RESOURCE = {
  name: 'customresourcedefinitions',
  singularName: 'customresourcedefinition',
  namespaced: false,
  kind: 'CustomResourceDefinition',
  verbs: ['get', 'list'],
  shortNames: ['crd', 'crds'],
  categories: ['api-extensions'],
};

/** One kind as a CRD (custom groups only; core kinds are built in). */
export function crdOf(kind: ResourceKind, createdAt: string): Record<string, unknown> {
  const names: Record<string, unknown> = { kind: kind.kind, listKind: kind.listKind, plural: kind.plural, singular: kind.singular };
  if (kind.shortNames.length > 0) names.shortNames = kind.shortNames;
  if (kind.categories.length > 0) names.categories = kind.categories;
  const storage = kind.versions.find((v) => v.storage)!;
  return {
    apiVersion: `${CRD_GROUP}/v1`,
    kind: 'CustomResourceDefinition',
    metadata: { name: `${kind.plural}.${kind.group}`, creationTimestamp: createdAt, generation: 1, resourceVersion: '1' },
    spec: {
      group: kind.group,
      names,
      scope: kind.namespaced ? 'Namespaced' : 'Cluster',
      versions: kind.versions.map((v) => ({
        name: v.name,
        served: v.served,
        storage: v.storage,
        schema: { openAPIV3Schema: v.schema },
        ...(v.statusSubresource ? { subresources: { status: {} } } : {}),
        ...(v.printerColumns.length > 0 ? { additionalPrinterColumns: v.printerColumns } : {}),
      })),
    },
    status: {
      acceptedNames: names,
      storedVersions: [storage.name],
      conditions: [
        { type: 'NamesAccepted', status: 'True', reason: 'NoConflicts', message: 'no conflicts found', lastTransitionTime: createdAt },
        { type: 'Established', status: 'True', reason: 'InitialNamesAccepted', message: 'the initial names have been accepted', lastTransitionTime: createdAt },
      ],
    },
  };
}

/** Answers a request under the CRD collection; false when the path is not one. */
export function serveCrds(path: string, method: string, accept: string | undefined, res: ServerResponse, kinds: readonly ResourceKind[], createdAt: string): boolean {
  if (path !== PREFIX && !path.startsWith(`${PREFIX}/`)) return false;
  if (method !== 'GET') throw methodNotAllowed();
  const crds = kinds
    .filter((k) => k.group !== '')
    .map((k) => crdOf(k, createdAt))
    .sort((a, b) => ((a.metadata as { name: string }).name < (b.metadata as { name: string }).name ? -1 : 1));
  const name = path.slice(PREFIX.length + 1);
  const items = name ? crds.filter((c) => (c.metadata as { name: string }).name === name) : crds;
  if (name && (items.length === 0 || name.includes('/'))) throw notFound({ group: CRD_GROUP, resource: 'customresourcedefinitions', name });
  if (wantsTable(accept)) {
    const columnDefinitions = [
      { name: 'Name', type: 'string', format: 'name', description: 'Name of the CustomResourceDefinition', priority: 0 },
      { name: 'Created At', type: 'date', format: '', description: 'When it was created', priority: 0 },
    ];
    const rows = items.map((c) => ({ cells: [(c.metadata as { name: string }).name, createdAt], object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: c.metadata } }));
    sendJson(res, 200, { kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata: { resourceVersion: '1' }, columnDefinitions, rows });
  } else if (name) sendJson(res, 200, items[0]);
  else sendJson(res, 200, { kind: 'CustomResourceDefinitionList', apiVersion: `${CRD_GROUP}/v1`, metadata: { resourceVersion: '1' }, items });
  return true;
}
