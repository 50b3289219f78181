import assert from 'node:assert/strict';
import { test } from 'node:test';
import { strategicMergePatch } from './strategic-patch.ts';

const ns = {
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name: 'a', labels: { x: '1', y: '2' }, finalizers: ['f1'], ownerReferences: [{ uid: 'u1', name: 'one' }] },
  spec: { finalizers: ['kubernetes'] },
};

test('maps merge and null deletes, as a merge patch', () => {
  const out: any = strategicMergePatch(ns, { metadata: { labels: { x: null, z: '3' } } });
  assert.deepEqual(out.metadata.labels, { y: '2', z: '3' });
  assert.deepEqual(ns.metadata.labels, { x: '1', y: '2' }, 'the input is not mutated');
});

test('metadata.finalizers merge as a set; other lists are replaced; $deleteFromPrimitiveList removes', () => {
  const out: any = strategicMergePatch(ns, { metadata: { finalizers: ['f2', 'f1'] }, spec: { finalizers: ['other'] } });
  assert.deepEqual(out.metadata.finalizers, ['f1', 'f2']);
  assert.deepEqual(out.spec.finalizers, ['other']);
  const del: any = strategicMergePatch(ns, { metadata: { '$deleteFromPrimitiveList/finalizers': ['f1'], '$setElementOrder/finalizers': [] } });
  assert.deepEqual(del.metadata.finalizers, []);
});

test('ownerReferences merge by uid; $patch delete and replace; $retainKeys', () => {
  const out: any = strategicMergePatch(ns, { metadata: { ownerReferences: [{ uid: 'u1', name: 'renamed' }, { uid: 'u2', name: 'two' }] } });
  assert.deepEqual(out.metadata.ownerReferences, [{ uid: 'u1', name: 'renamed' }, { uid: 'u2', name: 'two' }]);
  const gone: any = strategicMergePatch(ns, { metadata: { ownerReferences: [{ uid: 'u1', $patch: 'delete' }] } });
  assert.deepEqual(gone.metadata.ownerReferences, []);
  const replaced: any = strategicMergePatch(ns, { metadata: { labels: { $patch: 'replace', only: 'this' } } });
  assert.deepEqual(replaced.metadata.labels, { only: 'this' });
  const deleted: any = strategicMergePatch(ns, { spec: { $patch: 'delete' } });
  assert.equal(deleted.spec, undefined);
  const retained: any = strategicMergePatch(ns, { metadata: { $retainKeys: ['name', 'labels'] } });
  assert.deepEqual(Object.keys(retained.metadata).sort(), ['labels', 'name']);
});

test('bad patches are 400', () => {
  assert.throws(() => strategicMergePatch(ns, [1]), (e: any) => e.code === 400);
  assert.throws(() => strategicMergePatch(ns, { spec: { $patch: 'explode' } }), (e: any) => e.code === 400 && /unknown \$patch directive "explode"/.test(e.message));
  assert.throws(() => strategicMergePatch(ns, { metadata: { ownerReferences: [{ name: 'no-uid' }] } }), (e: any) => e.code === 400 && /merge key "uid"/.test(e.message));
});
