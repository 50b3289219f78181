/**
 * Deletes (finalizers, preconditions, namespaces and their contents), cluster-scoped kinds, and
 * the server's limits (body size, requests in flight, unknown paths and methods), through a real
 * API server on port 0.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { call, isvc, ISVC_PATH, openWatch, startTestServer, type Running } from './apiserver-helpers.ts';

let r: Running;
before(async () => {
  r = await startTestServer({ rng: () => 0 });
});
after(async () => r.close());


test('a body over the limit is 413 RequestEntityTooLarge', async () => {
  const small = await startTestServer({ maxBodyBytes: 1024 });
  try {
    const c = await call(small.url, 'POST', ISVC_PATH, { ...isvc('big'), pad: 'x'.repeat(5000) });
    assert.equal(c.status, 413);
    assert.equal(c.body.reason, 'RequestEntityTooLarge');
    assert.equal(c.body.message, 'Request entity too large: limit is 1024');
  } finally {
    await small.close();
  }
});

test('delete without finalizers removes at once and answers a Success Status', async () => {
  const c = await call(r.url, 'POST', ISVC_PATH, isvc('del'));
  const d = await call(r.url, 'DELETE', `${ISVC_PATH}/del`, { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background' });
  assert.equal(d.status, 200);
  assert.equal(d.body.status, 'Success');
  assert.deepEqual(d.body.details, { name: 'del', group: 'serving.kserve.io', kind: 'inferenceservices', uid: c.body.metadata.uid });
  assert.equal((await call(r.url, 'GET', `${ISVC_PATH}/del`)).status, 404);
  assert.equal((await call(r.url, 'DELETE', `${ISVC_PATH}/del`)).status, 404);
  const bad = await call(r.url, 'DELETE', `${ISVC_PATH}/x`, { propagationPolicy: 'Sideways' });
  assert.equal(bad.status, 422);
});

test('delete with finalizers marks deletionTimestamp and keeps the object until the last finalizer goes', async () => {
  await call(r.url, 'POST', ISVC_PATH, isvc('fin', { finalizers: ['serving.kserve.io/cleanup'] }));
  const d = await call(r.url, 'DELETE', `${ISVC_PATH}/fin`);
  assert.equal(d.status, 202);
  assert.match(d.body.metadata.deletionTimestamp, /Z$/);
  assert.equal(d.body.metadata.deletionGracePeriodSeconds, 0);
  assert.equal(d.body.metadata.generation, 2);
  const again = await call(r.url, 'DELETE', `${ISVC_PATH}/fin`);
  assert.equal(again.status, 202);
  assert.equal(again.body.metadata.resourceVersion, d.body.metadata.resourceVersion);
  const g = await call(r.url, 'GET', `${ISVC_PATH}/fin`);
  assert.equal(g.status, 200);
  const more = await call(r.url, 'PATCH', `${ISVC_PATH}/fin`, { metadata: { finalizers: ['serving.kserve.io/cleanup', 'example.com/late'] } }, { 'content-type': 'application/merge-patch+json' });
  assert.equal(more.status, 422);
  assert.match(more.body.message, /no new finalizers can be added if the object is being deleted/);
  const p = await call(r.url, 'PATCH', `${ISVC_PATH}/fin`, { metadata: { finalizers: null } }, { 'content-type': 'application/merge-patch+json' });
  assert.equal(p.status, 200);
  assert.equal((await call(r.url, 'GET', `${ISVC_PATH}/fin`)).status, 404);
});

test('delete preconditions: a stale resourceVersion or another uid is 409', async () => {
  const c = await call(r.url, 'POST', ISVC_PATH, isvc('pre'));
  const rv = await call(r.url, 'DELETE', `${ISVC_PATH}/pre`, { preconditions: { resourceVersion: '1' } });
  assert.equal(rv.status, 409);
  assert.match(rv.body.message, /the ResourceVersion in the precondition \(1\) does not match the ResourceVersion in record/);
  const uid = await call(r.url, 'DELETE', `${ISVC_PATH}/pre`, { preconditions: { uid: 'other' } });
  assert.equal(uid.status, 409);
  assert.match(uid.body.message, /Precondition failed: UID in precondition: other/);
  const ok = await call(r.url, 'DELETE', `${ISVC_PATH}/pre`, { preconditions: { uid: c.body.metadata.uid, resourceVersion: c.body.metadata.resourceVersion } });
  assert.equal(ok.status, 200);
});

test('cluster-scoped kinds: namespaces are seeded, created and deleted under /api/v1', async () => {
  const list = await call(r.url, 'GET', '/api/v1/namespaces');
  assert.deepEqual(list.body.items.map((n: any) => n.metadata.name).filter((n: string) => ['default', 'kserve', 'kube-public', 'kube-system'].includes(n)), ['default', 'kserve', 'kube-public', 'kube-system']);
  assert.equal(list.body.kind, 'NamespaceList');
  const c = await call(r.url, 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' } });
  assert.equal(c.status, 201, JSON.stringify(c.body));
  assert.equal(c.body.metadata.namespace, undefined);
  const inNs = await call(r.url, 'POST', '/apis/serving.kserve.io/v1beta1/namespaces/team-a/inferenceservices', isvc('in-team-a'));
  assert.equal(inNs.status, 201);
  const csr = await call(r.url, 'POST', '/apis/serving.kserve.io/v1alpha1/clusterservingruntimes', {
    apiVersion: 'serving.kserve.io/v1alpha1',
    kind: 'ClusterServingRuntime',
    metadata: { name: 'my-runtime' },
    spec: { supportedModelFormats: [{ name: 'sklearn', version: '1', autoSelect: true }], containers: [{ name: 'kserve-container', image: 'x' }] },
  });
  assert.equal(csr.status, 201, JSON.stringify(csr.body));
  assert.equal((await call(r.url, 'GET', '/apis/serving.kserve.io/v1alpha1/clusterservingruntimes/my-runtime')).status, 200);
});

test('deleting a namespace deletes its contents; objects with finalizers are marked and stay until released', async () => {
  await call(r.url, 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'doomed' } });
  const path = '/apis/serving.kserve.io/v1beta1/namespaces/doomed/inferenceservices';
  await call(r.url, 'POST', path, isvc('plain'));
  await call(r.url, 'POST', path, isvc('held', { finalizers: ['example.com/hold'] }));
  const d = await call(r.url, 'DELETE', '/api/v1/namespaces/doomed');
  assert.equal(d.status, 200);
  assert.equal((await call(r.url, 'GET', '/api/v1/namespaces/doomed')).status, 404);
  assert.equal((await call(r.url, 'GET', `${path}/plain`)).status, 404);
  const held = await call(r.url, 'GET', `${path}/held`);
  assert.match(held.body.metadata.deletionTimestamp, /Z$/);
  await call(r.url, 'PATCH', `${path}/held`, { metadata: { finalizers: null } }, { 'content-type': 'application/merge-patch+json' });
  assert.equal((await call(r.url, 'GET', `${path}/held`)).status, 404);
  assert.equal((await call(r.url, 'GET', '/apis/serving.kserve.io/v1beta1/namespaces/default/inferenceservices')).status, 200);
  const def = await call(r.url, 'DELETE', '/api/v1/namespaces/default');
  assert.equal(def.status, 403);
  assert.equal(def.body.message, 'namespaces "default" is forbidden: this namespace may not be deleted');
  assert.equal((await call(r.url, 'DELETE', '/api/v1/namespaces')).status, 405);
});

test('over maxInflight requests at once is 429 with Retry-After; watches do not count', async () => {
  const s = await startTestServer({ maxInflight: 1 });
  try {
    const { request } = await import('node:http');
    const slow = request(`${s.url}${ISVC_PATH}`, { method: 'POST', headers: { 'content-type': 'application/json' } });
    const done = new Promise<number>((resolve) => slow.on('response', (res) => (res.resume(), resolve(res.statusCode!))));
    slow.write('{"apiVersion":"serving.kserve.io/v1beta1",');
    const w = await openWatch(s.url, `${ISVC_PATH}?watch=1`);
    assert.equal(w.status, 200);
    let busy = await call(s.url, 'GET', ISVC_PATH);
    while (busy.status !== 429) busy = await call(s.url, 'GET', ISVC_PATH); // until the slow POST is being served
    assert.equal(busy.body.reason, 'TooManyRequests');
    assert.equal(busy.headers.get('retry-after'), '1');
    slow.end(JSON.stringify(isvc('slow')).slice(1).replace(/^"apiVersion":"serving.kserve.io\/v1beta1",/, ''));
    assert.equal(await done, 201);
    assert.equal((await call(s.url, 'GET', ISVC_PATH)).status, 200);
    w.close();
  } finally {
    await s.close();
  }
});

test('unknown paths are 404 Status; wrong methods are 405', async () => {
  const a = await call(r.url, 'GET', '/apis/serving.kserve.io/v1beta1/namespaces/default/widgets');
  assert.equal(a.status, 404);
  assert.equal(a.body.message, 'the server could not find the requested resource');
  const b = await call(r.url, 'POST', `${ISVC_PATH}/some-name`, isvc('x'));
  assert.equal(b.status, 405);
  assert.equal(b.body.reason, 'MethodNotAllowed');
  const c = await call(r.url, 'PUT', ISVC_PATH, isvc('x'));
  assert.equal(c.status, 405);
  const d = await call(r.url, 'GET', '/apis/serving.kserve.io/v1beta1/inferenceservices/x');
  assert.equal(d.status, 404);
  const e = await call(r.url, 'GET', `${ISVC_PATH}/%E0%A4%A`);
  assert.equal(e.status, 400);
});
