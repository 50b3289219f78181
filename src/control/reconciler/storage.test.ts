/**
 * Remote storageUris through the reconciler (sim driver, a scripted fetcher): no revision and no
 * replica while the model downloads (status says Downloading with progress), the replica gets
 * the cache's directory once it is there, and a failed download is FailedToLoad with the storage
 * initializer's reason, an Event, and no replica.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { InferenceServiceStatus } from '../../api/index.ts';
import { MemoryStore } from '../store/memory-store.ts';
import type { StoredObject } from '../store/store.ts';
import { Reconciler } from './reconciler.ts';
import { ISVC, type ModelFetch } from './reconcile-isvc.ts';
import { SimDriver } from './testing/sim-driver.ts';

const KEY = { ...ISVC, namespace: 'default', name: 'iris' };
const REV1 = 'default/iris/predictor/iris-predictor-00001';

type State = ReturnType<ModelFetch['ensure']>;

class ScriptedFetch implements ModelFetch {
  state: State = { phase: 'Downloading', message: 'Downloading s3://models/iris: 40% (4.0 MB of 10.0 MB, 2.0 MB/s, ETA 3 s)' };
  readonly requests: Parameters<ModelFetch['ensure']>[0][] = [];
  released: string[] = [];
  ensure(req: Parameters<ModelFetch['ensure']>[0]): State {
    this.requests.push(req);
    return this.state;
  }
  releaseOwner(owner: string): void {
    this.released.push(owner);
  }
}

function isvc(): StoredObject {
  return {
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    metadata: { name: 'iris', namespace: 'default', generation: 1, annotations: { 'serving.kserve.io/s3-endpoint': '127.0.0.1:9000', 'serving.kserve-ts.io/sha256': 'ab'.repeat(32) } },
    spec: { predictor: { model: { modelFormat: { name: 'onnx' }, protocolVersion: 'v2', storageUri: 's3://models/iris', env: [{ name: 'AWS_ACCESS_KEY_ID', value: 'from-spec' }] } } },
  };
}

async function setup() {
  const store = new MemoryStore();
  const driver = new SimDriver();
  const fetch = new ScriptedFetch();
  const r = new Reconciler({ store, driver, launcher: '/usr/bin/kserve-ts', baseDir: '/srv', fetcher: fetch, storageEnv: { AWS_ACCESS_KEY_ID: 'from-up', AWS_SECRET_ACCESS_KEY: 'secret' } });
  await r.start();
  return { store, driver, fetch, r };
}

const statusOf = async (s: MemoryStore) => (await s.get(KEY))?.status as InferenceServiceStatus;
const cond = (st: InferenceServiceStatus, type: string) => st.conditions?.find((c) => c.type === type);

test('while the model downloads: no revision, no replica; status Loading with the progress message', async () => {
  const { store, driver, fetch, r } = await setup();
  await store.create(KEY, isvc());
  await r.settled();
  assert.deepEqual(driver.revisions(), []);
  const st = await statusOf(store);
  assert.equal(st.modelStatus?.states?.targetModelState, 'Loading');
  assert.equal(st.modelStatus?.transitionStatus, 'InProgress');
  assert.deepEqual([cond(st, 'PredictorReady')?.status, cond(st, 'PredictorReady')?.reason], ['Unknown', 'Downloading']);
  assert.match(cond(st, 'PredictorReady')?.message ?? '', /Downloading s3:\/\/models\/iris: 40% \(4\.0 MB of 10\.0 MB/);
  const req = fetch.requests.at(-1)!;
  assert.equal(req.owner, 'default/iris');
  assert.equal(req.uri, 's3://models/iris');
  assert.equal(req.env.AWS_ACCESS_KEY_ID, 'from-spec', "the model's env wins over up's");
  assert.equal(req.env.AWS_SECRET_ACCESS_KEY, 'secret');
  assert.equal(req.annotations?.['serving.kserve.io/s3-endpoint'], '127.0.0.1:9000');
  assert.equal(req.sha256, 'ab'.repeat(32));

  // Downloaded: the replica runs on the cache's directory.
  fetch.state = { phase: 'Ready', path: '/cache/models/1f2e' };
  r.requeue('default/iris');
  await r.settled();
  assert.ok(driver.specs.get(REV1)?.args.includes('--model_dir=/cache/models/1f2e'), JSON.stringify(driver.specs.get(REV1)?.args));
  driver.setPhase(REV1, 'Ready');
  await r.settled();
  assert.equal(cond(await statusOf(store), 'Ready')?.status, 'True');

  await store.delete(KEY);
  await r.settled();
  assert.deepEqual(fetch.released, ['default/iris']);
});

test('a failed download: FailedToLoad with the storage reason, an Event, no replica; a fix later goes on', async () => {
  const { store, driver, fetch, r } = await setup();
  fetch.state = { phase: 'Failed', reason: 'Forbidden', message: 'storage-initializer: Forbidden: s3://models/iris: access denied to bucket "models" (check AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY)' };
  await store.create(KEY, isvc());
  await r.settled();
  assert.deepEqual(driver.revisions(), []);
  const st = await statusOf(store);
  assert.equal(st.modelStatus?.states?.targetModelState, 'FailedToLoad');
  assert.equal(st.modelStatus?.lastFailureInfo?.reason, 'ModelLoadFailed');
  assert.match(st.modelStatus?.lastFailureInfo?.message ?? '', /^storage-initializer: Forbidden: s3:\/\/models\/iris/);
  assert.equal(cond(st, 'PredictorReady')?.reason, 'StorageInitializerFailed');
  assert.equal(cond(st, 'Ready')?.status, 'False');
  assert.doesNotMatch(JSON.stringify(st), /secret|from-spec|from-up/, 'no credential in status');
  const events = (await store.list({ group: '', resource: 'events' }, { namespace: 'default' })).items as { reason?: string; message?: string }[];
  assert.ok(events.some((e) => e.reason === 'ModelLoadFailed' && /Forbidden/.test(e.message ?? '')), JSON.stringify(events));

  fetch.state = { phase: 'Ready', path: '/cache/models/1f2e' };
  r.requeue('default/iris');
  await r.settled();
  assert.deepEqual(driver.revisions(), [REV1]);
});

test('a local storageUri never goes through the fetcher', async () => {
  const { store, fetch, r, driver } = await setup();
  await store.create(KEY, { ...isvc(), spec: { predictor: { model: { modelFormat: { name: 'onnx' }, protocolVersion: 'v2', storageUri: 'file:///models/iris' } } } });
  await r.settled();
  assert.equal(fetch.requests.length, 0);
  assert.ok(driver.specs.get(REV1)?.args.includes('--model_dir=/models/iris'));
});

test('credentials from the predictor\'s ServiceAccount Secrets (data as env, serving.kserve.io annotations); a missing one is named', async () => {
  const { store, fetch, r } = await setup();
  const obj = isvc();
  (obj.spec as { predictor: Record<string, unknown> }).predictor.serviceAccountName = 'models-reader';
  (obj.spec as { predictor: { model: Record<string, unknown> } }).predictor.model.env = [];
  await store.create(KEY, obj);
  await r.settled();
  let st = await statusOf(store);
  assert.match(cond(st, 'PredictorReady')?.message ?? '', /spec\.predictor\.serviceAccountName: ServiceAccount "models-reader" not found in namespace "default"/);
  assert.equal(fetch.requests.length, 0);

  await store.create({ group: '', resource: 'secrets', namespace: 'default', name: 's3creds' }, {
    apiVersion: 'v1', kind: 'Secret', metadata: { name: 's3creds', namespace: 'default', annotations: { 'serving.kserve.io/s3-endpoint': 'minio:9000', 'serving.kserve.io/s3-usehttps': '0', other: 'x' } },
    data: { AWS_ACCESS_KEY_ID: Buffer.from('AKIA-SA').toString('base64'), AWS_SECRET_ACCESS_KEY: Buffer.from('sa-secret').toString('base64') },
  });
  await store.create({ group: '', resource: 'serviceaccounts', namespace: 'default', name: 'models-reader' }, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'models-reader', namespace: 'default' }, secrets: [{ name: 's3creds' }] });
  await r.settled(); // the ServiceAccount's creation requeues the InferenceService
  const req = fetch.requests.at(-1)!;
  assert.equal(req.env.AWS_ACCESS_KEY_ID, 'AKIA-SA');
  assert.equal(req.env.AWS_SECRET_ACCESS_KEY, 'sa-secret');
  assert.equal(req.annotations?.['serving.kserve.io/s3-usehttps'], '0');
  assert.equal(req.annotations?.['serving.kserve.io/s3-endpoint'], '127.0.0.1:9000', "the InferenceService's own annotation wins");
  assert.equal(req.annotations?.other, undefined);
  st = await statusOf(store);
  assert.doesNotMatch(JSON.stringify(st), /sa-secret|AKIA-SA/);
});
