import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ALL_KINDS, kindByGroupPlural, kindByKind, kindByName, storageVersion } from '../index.ts';

test('every kind has one storage version and a unique plural per group', () => {
  const seen = new Set<string>();
  for (const k of ALL_KINDS) {
    assert.equal(k.versions.filter((v) => v.storage).length, 1, k.kind);
    const key = `${k.group}/${k.plural}`;
    assert.ok(!seen.has(key), key);
    seen.add(key);
    assert.equal(k.listKind, `${k.kind}List`);
  }
  assert.equal(ALL_KINDS.length, 9);
});

test('names, scopes and versions as KServe CRDs and core/v1', () => {
  const isvc = kindByGroupPlural(ALL_KINDS, 'serving.kserve.io', 'inferenceservices')!;
  assert.deepEqual([isvc.kind, isvc.namespaced, storageVersion(isvc), isvc.shortNames], ['InferenceService', true, 'v1beta1', ['isvc']]);
  assert.equal(isvc.versions[0]!.statusSubresource, true);
  const csr = kindByKind(ALL_KINDS, 'serving.kserve.io', 'ClusterServingRuntime')!;
  assert.deepEqual([csr.plural, csr.namespaced, storageVersion(csr), csr.shortNames], ['clusterservingruntimes', false, 'v1alpha1', []]);
  assert.equal(csr.versions[0]!.statusSubresource, false);
  assert.equal(kindByKind(ALL_KINDS, '', 'Namespace')!.namespaced, false);
  assert.equal(kindByKind(ALL_KINDS, '', 'Event')!.namespaced, true);
});

test('kubectl-style names resolve by plural, singular, short name, kind and name.group', () => {
  for (const [name, kind] of [
    ['isvc', 'InferenceService'],
    ['inferenceservices', 'InferenceService'],
    ['InferenceService', 'InferenceService'],
    ['isvc.serving.kserve.io', 'InferenceService'],
    ['ig', 'InferenceGraph'],
    ['tm', 'TrainedModel'],
    ['servingruntime', 'ServingRuntime'],
    ['clusterservingruntimes', 'ClusterServingRuntime'],
    ['ns', 'Namespace'],
    ['ev', 'Event'],
  ] as const) {
    assert.equal(kindByName(ALL_KINDS, name)?.kind, kind, name);
  }
  assert.equal(kindByName(ALL_KINDS, 'isvc.apps'), undefined);
  assert.equal(kindByName(ALL_KINDS, 'pods'), undefined);
});

test('InferenceService printer columns are KServe\'s, in order', () => {
  const cols = kindByName(ALL_KINDS, 'isvc')!.versions[0]!.printerColumns;
  assert.deepEqual(cols.map((c) => c.name), ['URL', 'Ready', 'Prev', 'Latest', 'PrevRolledoutRevision', 'LatestReadyRevision', 'Age']);
  assert.equal(cols[2]!.jsonPath, ".status.components.predictor.traffic[?(@.tag=='prev')].percent");
});

test('hooks are wired: InferenceService defaults and validates; runtimes judge ties within their scope', async () => {
  const isvc = kindByName(ALL_KINDS, 'isvc')!;
  const obj: Record<string, any> = { metadata: { name: 'a', namespace: 'd' }, spec: { predictor: { sklearn: { storageUri: 'gs://b' } } } };
  const seen: (string | undefined)[][] = [];
  const ctx = {
    list: async (group: string, resource: string, namespace?: string) => {
      seen.push([group, resource, namespace]);
      return resource === 'servingruntimes'
        ? [{ metadata: { name: 'other', namespace: 'd' }, spec: { protocolVersions: ['v1'], supportedModelFormats: [{ name: 'sklearn', autoSelect: true, priority: 3 }], containers: [{ name: 'c' }] } }]
        : [];
    },
  };
  await isvc.default!(obj, ctx);
  assert.deepEqual(obj.spec.predictor, { model: { modelFormat: { name: 'sklearn' }, storageUri: 'gs://b' } });
  assert.deepEqual(await isvc.validate!(obj, undefined, ctx), []);
  const sr = kindByName(ALL_KINDS, 'servingruntime')!;
  const mine = { metadata: { name: 'mine', namespace: 'd' }, spec: { protocolVersions: ['v1', 'v2'], supportedModelFormats: [{ name: 'sklearn', autoSelect: true, priority: 3 }], containers: [{ name: 'c' }] } };
  const errors = await sr.validate!(mine, undefined, ctx);
  assert.deepEqual(errors.map((e) => e.field), ['spec.supportedModelFormats[0].priority']);
  assert.deepEqual(seen, [['serving.kserve.io', 'servingruntimes', 'd']]);
  await kindByName(ALL_KINDS, 'clusterservingruntime')!.validate!({ metadata: { name: 'x' }, spec: mine.spec }, undefined, ctx);
  assert.deepEqual(seen[1], ['serving.kserve.io', 'clusterservingruntimes', undefined]);
  // A disabled runtime is accepted as written (KServe allows it before any other check).
  assert.deepEqual(await sr.validate!({ ...mine, spec: { ...mine.spec, disabled: true } }, undefined, ctx), []);
});

test('a new Namespace is Active', async () => {
  const ns: Record<string, any> = { metadata: { name: 'team-a' } };
  await kindByName(ALL_KINDS, 'ns')!.default!(ns, { list: async () => [] });
  assert.deepEqual(ns.status, { phase: 'Active' });
  const terminating: Record<string, any> = { metadata: { name: 'x' }, status: { phase: 'Terminating' } };
  await kindByName(ALL_KINDS, 'ns')!.default!(terminating, { list: async () => [] });
  assert.equal(terminating.status.phase, 'Terminating');
});
