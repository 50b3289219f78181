import assert from 'node:assert/strict';
import { test } from 'node:test';
import { namespaceKind } from '../../../api/kinds/core.ts';
import type { ResourceKind } from '../../../api/registry.ts';
import { ALL_KINDS } from '../../../api/index.ts';
import { openapiV2, openapiV3Document, openapiV3Paths } from './index.ts';

/** A small kind of our own, shaped like KServe's (namespaced, status subresource, int-or-string). */
const widget: ResourceKind = {
  group: 'example.kserve.io',
  kind: 'Widget',
  listKind: 'WidgetList',
  plural: 'widgets',
  singular: 'widget',
  shortNames: ['wg'],
  categories: [],
  namespaced: true,
  versions: [
    {
      name: 'v1',
      served: true,
      storage: true,
      statusSubresource: true,
      printerColumns: [],
      schema: {
        type: 'object',
        description: 'Widget is a test kind.',
        properties: {
          metadata: { type: 'object' },
          spec: {
            type: 'object',
            description: 'Desired state.',
            properties: { size: { 'x-kubernetes-int-or-string': true, nullable: true, description: 'How big.' } },
          },
          status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        },
      },
    },
    { name: 'v0', served: false, storage: false, statusSubresource: false, printerColumns: [], schema: { type: 'object' } },
  ],
};
const ns = namespaceKind();
const kinds = [widget, ns];

test('the real kinds publish: every InferenceService ref resolves', () => {
  const doc = openapiV3Document(ALL_KINDS, 'serving.kserve.io', 'v1beta1')!;
  const schemas = (doc.components as { schemas: Record<string, any> }).schemas;
  assert.ok(schemas['io.kserve.serving.v1beta1.InferenceService'].properties.spec.properties.predictor.description);
  assertRefsResolve(doc, schemas, '#/components/schemas/');
  assert.ok(Object.keys(openapiV3Paths(ALL_KINDS).paths).includes('apis/serving.kserve.io/v1alpha1'));
});

/** Every `$ref` in `doc` names a definition under `prefix` that exists. */
function assertRefsResolve(doc: Record<string, unknown>, defs: Record<string, unknown>, prefix: string): number {
  let count = 0;
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === '$ref') {
          assert.ok(typeof x === 'string' && x.startsWith(prefix), `ref ${String(x)} under ${prefix}`);
          assert.ok((x).slice(prefix.length) in defs, `definition of ${String(x)}`);
          count++;
        } else walk(x);
      }
    }
  };
  walk(doc);
  return count;
}

test('v3 index lists each served group-version once, with a content hash', () => {
  const index = openapiV3Paths(kinds);
  assert.deepEqual(Object.keys(index.paths).sort(), ['api/v1', 'apis/example.kserve.io/v1']);
  assert.match(index.paths['apis/example.kserve.io/v1']!.serverRelativeURL, /^\/openapi\/v3\/apis\/example\.kserve\.io\/v1\?hash=[0-9A-F]{128}$/);
  const changed = [{ ...widget, versions: [{ ...widget.versions[0]!, schema: { type: 'object' as const } }] }, ns];
  assert.notEqual(openapiV3Paths(changed).paths['apis/example.kserve.io/v1']!.serverRelativeURL, index.paths['apis/example.kserve.io/v1']!.serverRelativeURL);
  assert.equal(openapiV3Document(kinds, 'example.kserve.io', 'v0'), undefined, 'unserved version has no document');
});

test('v3 document: kind schema tagged with its GVK, metadata as allOf ref, every ref resolves', () => {
  const doc = openapiV3Document(kinds, 'example.kserve.io', 'v1')!;
  assert.equal(doc.openapi, '3.0.0');
  const schemas = (doc.components as { schemas: Record<string, any> }).schemas;
  const w = schemas['io.kserve.example.v1.Widget'];
  assert.deepEqual(w['x-kubernetes-group-version-kind'], [{ group: 'example.kserve.io', kind: 'Widget', version: 'v1' }]);
  assert.deepEqual(w.properties.metadata.allOf, [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' }]);
  assert.equal(w.properties.spec.properties.size.nullable, true, 'v3 keeps nullable');
  assert.deepEqual(schemas['io.kserve.example.v1.WidgetList']['x-kubernetes-group-version-kind'], [{ group: 'example.kserve.io', kind: 'WidgetList', version: 'v1' }]);
  assert.ok(assertRefsResolve(doc, schemas, '#/components/schemas/') > 20);
  assert.equal(schemas['io.k8s.api.core.v1.Namespace'], undefined, 'core kinds live in api/v1');
});

test('v3 document: PATCH of the kind lists fieldValidation (kubectl then leaves validation to the server)', () => {
  const doc = openapiV3Document(kinds, 'example.kserve.io', 'v1')!;
  const paths = doc.paths as Record<string, any>;
  const item = paths['/apis/example.kserve.io/v1/namespaces/{namespace}/widgets/{name}'];
  assert.deepEqual(item.patch['x-kubernetes-group-version-kind'], { group: 'example.kserve.io', kind: 'Widget', version: 'v1' });
  assert.equal(item.patch['x-kubernetes-action'], 'patch');
  const names = item.patch.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`);
  assert.deepEqual(names, ['query:dryRun', 'query:fieldManager', 'query:fieldValidation', 'query:force']);
  assert.deepEqual(Object.keys(item.patch.requestBody.content), ['application/json-patch+json', 'application/merge-patch+json', 'application/apply-patch+yaml']);
  assert.ok(paths['/apis/example.kserve.io/v1/namespaces/{namespace}/widgets/{name}/status'].put);
  assert.equal(paths['/apis/example.kserve.io/v1/widgets'].get.operationId, 'listExampleKserveIoV1WidgetForAllNamespaces');
  assert.equal(item.get.operationId, 'readExampleKserveIoV1NamespacedWidget');
  const core = openapiV3Document(kinds, '', 'v1')!;
  const nsItem = (core.paths as Record<string, any>)['/api/v1/namespaces/{name}'];
  assert.equal(nsItem.patch.operationId, 'patchCoreV1Namespace');
  assert.ok(nsItem.patch.parameters.some((p: { name: string }) => p.name === 'fieldValidation'));
});

test('v2 document: definitions and paths for served versions, refs resolve, no nullable or int-or-string type', () => {
  const doc = openapiV2(kinds) as Record<string, any>;
  assert.equal(doc.swagger, '2.0');
  const defs = doc.definitions as Record<string, any>;
  assert.ok(defs['io.kserve.example.v1.Widget']);
  assert.ok(defs['io.k8s.api.core.v1.Namespace']);
  assert.equal(defs['io.kserve.example.v0.Widget'], undefined);
  const size = defs['io.kserve.example.v1.Widget'].properties.spec.properties.size;
  assert.deepEqual(size, { 'x-kubernetes-int-or-string': true, description: 'How big.' });
  assert.equal(defs['io.kserve.example.v1.Widget'].properties.metadata.$ref, '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta');
  assert.ok(assertRefsResolve(doc, defs, '#/definitions/') > 20);
  const patch = doc.paths['/apis/example.kserve.io/v1/namespaces/{namespace}/widgets/{name}'].patch;
  assert.equal(patch.parameters[0].in, 'body');
  assert.ok(patch.parameters.some((p: { name: string }) => p.name === 'fieldValidation'));
  assert.equal(openapiV2(kinds), doc, 'memoised per kinds array');
});
