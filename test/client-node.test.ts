/**
 * @kubernetes/client-node 1.4.0, unchanged, against the API server: CustomObjectsApi create, get,
 * list, merge and JSON patch, replace (and a stale replace: 409), status, delete; KubernetesObjectApi
 * server-side apply; CoreV1Api namespaces; Watch receiving ADDED, MODIFIED and DELETED; and an
 * informer (list, then watch from the list's resourceVersion) keeping its cache current.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ApiException, CoreV1Api, CustomObjectsApi, KubeConfig, KubernetesObjectApi, makeInformer, PatchStrategy, setHeaderOptions, Watch, type KubernetesObject } from '@kubernetes/client-node';
import { isvc, startTestServer, type Running } from './apiserver-helpers.ts';

let r: Running;
let kc: KubeConfig;
let custom: CustomObjectsApi;
before(async () => {
  r = await startTestServer();
  kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'local', server: r.url, skipTLSVerify: true }],
    users: [{ name: 'me' }],
    contexts: [{ name: 'local', cluster: 'local', user: 'me', namespace: 'default' }],
    currentContext: 'local',
  });
  custom = kc.makeApiClient(CustomObjectsApi);
});
after(async () => r.close());

const ISVC = { group: 'serving.kserve.io', version: 'v1beta1', namespace: 'default', plural: 'inferenceservices' };

async function rejects(p: Promise<unknown>, code: number): Promise<any> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof ApiException, String(err));
    assert.equal(err.code, code, String(err.body));
    return typeof err.body === 'string' ? JSON.parse(err.body) : err.body;
  }
  assert.fail(`expected HTTP ${code}`);
}

test('CustomObjectsApi: create, get, list, merge patch, JSON patch, replace, status, delete', async () => {
  const created = await custom.createNamespacedCustomObject({ ...ISVC, body: isvc('cn-a') });
  assert.equal(created.metadata.name, 'cn-a');
  assert.equal(created.metadata.generation, 1);
  const got = await custom.getNamespacedCustomObject({ ...ISVC, name: 'cn-a' });
  assert.equal(got.metadata.uid, created.metadata.uid);
  const list = await custom.listNamespacedCustomObject({ ...ISVC, labelSelector: '' });
  assert.equal(list.kind, 'InferenceServiceList');
  assert.ok(list.items.some((o: any) => o.metadata.name === 'cn-a'));

  const merged = await custom.patchNamespacedCustomObject(
    { ...ISVC, name: 'cn-a', body: { spec: { predictor: { minReplicas: 2 } } } },
    setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
  );
  assert.equal(merged.spec.predictor.minReplicas, 2);
  assert.equal(merged.metadata.generation, 2);
  const jsonPatched = await custom.patchNamespacedCustomObject({ ...ISVC, name: 'cn-a', body: [{ op: 'replace', path: '/spec/predictor/minReplicas', value: 3 }] });
  assert.equal(jsonPatched.spec.predictor.minReplicas, 3);

  const replaced = await custom.replaceNamespacedCustomObject({ ...ISVC, name: 'cn-a', body: { ...jsonPatched, metadata: { ...jsonPatched.metadata, labels: { r: '1' } } } });
  assert.deepEqual(replaced.metadata.labels, { r: '1' });
  const status = await custom.replaceNamespacedCustomObjectStatus({ ...ISVC, name: 'cn-a', body: { ...replaced, status: { url: 'http://cn-a.default.example.com' } } });
  assert.equal(status.status.url, 'http://cn-a.default.example.com');

  const deleted = await custom.deleteNamespacedCustomObject({ ...ISVC, name: 'cn-a' });
  assert.equal(deleted.status, 'Success');
  const notFound = await rejects(custom.getNamespacedCustomObject({ ...ISVC, name: 'cn-a' }), 404);
  assert.equal(notFound.reason, 'NotFound');
});

test('CustomObjectsApi: a replace with a stale resourceVersion is 409 Conflict; a duplicate create is 409 AlreadyExists', async () => {
  const created = await custom.createNamespacedCustomObject({ ...ISVC, body: isvc('cn-conflict') });
  await custom.patchNamespacedCustomObject({ ...ISVC, name: 'cn-conflict', body: { metadata: { labels: { a: 'b' } } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
  const stale = await rejects(custom.replaceNamespacedCustomObject({ ...ISVC, name: 'cn-conflict', body: created }), 409);
  assert.equal(stale.reason, 'Conflict');
  const dup = await rejects(custom.createNamespacedCustomObject({ ...ISVC, body: isvc('cn-conflict') }), 409);
  assert.equal(dup.reason, 'AlreadyExists');
  const invalid = await rejects(custom.createNamespacedCustomObject({ ...ISVC, body: { ...isvc('cn-bad'), spec: { predictor: { minReplicas: 'x' } } } }), 422);
  assert.equal(invalid.reason, 'Invalid');
});

test('KubernetesObjectApi: server-side apply creates, then updates, under a field manager; read, list and delete through discovery', async () => {
  const objects = KubernetesObjectApi.makeApiClient(kc);
  const spec = { ...isvc('cn-ssa'), metadata: { name: 'cn-ssa', namespace: 'default' } };
  const a = await objects.patch(spec, undefined, undefined, 'my-manager', true, PatchStrategy.ServerSideApply);
  assert.equal(a.metadata?.name, 'cn-ssa');
  assert.equal((a as any).metadata.managedFields[0].manager, 'my-manager');
  const b = await objects.patch({ ...spec, metadata: { ...spec.metadata, labels: { applied: 'yes' } } }, undefined, undefined, 'my-manager', true, PatchStrategy.ServerSideApply);
  assert.deepEqual((b as any).metadata.labels, { applied: 'yes' });
  // read, list and delete resolve the resource from discovery (/apis/serving.kserve.io/v1beta1)
  const read = await objects.read({ apiVersion: 'serving.kserve.io/v1beta1', kind: 'InferenceService', metadata: { name: 'cn-ssa', namespace: 'default' } });
  assert.equal((read as any).metadata.uid, (b as any).metadata.uid);
  const listed = await objects.list('serving.kserve.io/v1beta1', 'InferenceService', 'default');
  assert.ok(listed.items.some((o) => o.metadata?.name === 'cn-ssa'));
  await objects.delete({ apiVersion: 'serving.kserve.io/v1beta1', kind: 'InferenceService', metadata: { name: 'cn-ssa', namespace: 'default' } });
  await rejects(custom.getNamespacedCustomObject({ ...ISVC, name: 'cn-ssa' }), 404);
});

test('CoreV1Api: namespaces are listed and created', async () => {
  const core = kc.makeApiClient(CoreV1Api);
  const list = await core.listNamespace();
  assert.ok(list.items.some((n) => n.metadata?.name === 'kserve'));
  const created = await core.createNamespace({ body: { metadata: { name: 'from-client-node' } } });
  assert.equal(created.metadata?.name, 'from-client-node');
});

test('Watch receives ADDED, MODIFIED and DELETED', async () => {
  const events: string[] = [];
  let wake: () => void = () => {};
  const watch = new Watch(kc);
  const path = '/apis/serving.kserve.io/v1beta1/namespaces/default/inferenceservices';
  const list = await custom.listNamespacedCustomObject({ ...ISVC });
  const controller = await watch.watch(
    path,
    { resourceVersion: list.metadata.resourceVersion, fieldSelector: 'metadata.name=cn-watch' },
    (type, obj) => {
      events.push(`${type} ${obj.metadata.name}`);
      wake();
    },
    () => {},
  );
  try {
    const until = (n: number) => new Promise<void>((resolve) => {
      wake = () => events.length >= n && resolve();
      wake();
    });
    await custom.createNamespacedCustomObject({ ...ISVC, body: isvc('cn-watch') });
    await until(1);
    await custom.patchNamespacedCustomObject({ ...ISVC, name: 'cn-watch', body: { metadata: { labels: { x: '1' } } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
    await until(2);
    await custom.deleteNamespacedCustomObject({ ...ISVC, name: 'cn-watch' });
    await until(3);
    assert.deepEqual(events, ['ADDED cn-watch', 'MODIFIED cn-watch', 'DELETED cn-watch']);
  } finally {
    controller.abort();
  }
});

test('an informer lists, watches from the list version and keeps its cache current', async () => {
  await custom.createNamespacedCustomObject({ ...ISVC, namespace: 'kserve', body: isvc('inf-a') });
  const path = '/apis/serving.kserve.io/v1beta1/namespaces/kserve/inferenceservices';
  const informer = makeInformer<KubernetesObject>(kc, path, () => custom.listNamespacedCustomObject({ ...ISVC, namespace: 'kserve' }));
  const seen: string[] = [];
  let wake: () => void = () => {};
  for (const verb of ['add', 'update', 'delete'] as const) {
    informer.on(verb, (obj) => {
      seen.push(`${verb} ${obj.metadata?.name}`);
      wake();
    });
  }
  const until = (entry: string) => new Promise<void>((resolve) => {
    wake = () => seen.includes(entry) && resolve();
    wake();
  });
  await informer.start();
  try {
    await until('add inf-a');
    await custom.createNamespacedCustomObject({ ...ISVC, namespace: 'kserve', body: isvc('inf-b') });
    await until('add inf-b');
    await custom.patchNamespacedCustomObject({ ...ISVC, namespace: 'kserve', name: 'inf-a', body: { metadata: { labels: { v: '2' } } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
    await until('update inf-a');
    await custom.deleteNamespacedCustomObject({ ...ISVC, namespace: 'kserve', name: 'inf-b' });
    await until('delete inf-b');
    assert.deepEqual(informer.list().map((o) => o.metadata?.name), ['inf-a']);
    assert.equal(informer.get('inf-a', 'kserve')?.metadata?.labels?.v, '2');
  } finally {
    await informer.stop();
  }
});
