import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Clock } from '../../core/clock.ts';
import type { InferenceServiceStatus } from '../../api/index.ts';
import { MemoryStore } from '../store/memory-store.ts';
import { StoreError, type StoredObject } from '../store/store.ts';
import { Reconciler, type Route } from './reconciler.ts';
import { ISVC } from './reconcile-isvc.ts';
import { FINALIZER } from './observe.ts';
import { SimDriver } from './testing/sim-driver.ts';

const KEY = { ...ISVC, namespace: 'default', name: 'iris' };
const REV1 = 'default/iris/predictor/iris-predictor-00001';
const REV2 = 'default/iris/predictor/iris-predictor-00002';

function stepClock(): Clock & { step(ms: number): void } {
  let now = Date.parse('2026-01-01T00:00:00Z');
  return { nowMs: () => now, monotonicNs: () => BigInt(now) * 1_000_000n, step: (ms) => void (now += ms) };
}

function isvc(storageUri = 'file:///models/iris', format = 'sklearn'): StoredObject {
  return {
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    metadata: { name: 'iris', namespace: 'default', generation: 1 },
    spec: { predictor: { model: { modelFormat: { name: format }, storageUri } } },
  };
}

async function setup(store = new MemoryStore(), driver = new SimDriver()) {
  const clock = stepClock();
  const routes: Route[][] = [];
  const errors: unknown[] = [];
  const r = new Reconciler({ store, driver, clock, launcher: '/usr/bin/kserve-ts', baseDir: '/srv', onRoutes: (t) => routes.push(t), onError: (_k, e) => errors.push(e) });
  await r.start();
  return { store, driver, clock, r, routes, errors };
}

const get = async (s: MemoryStore) => (await s.get(KEY)) as StoredObject;
const statusOf = async (s: MemoryStore) => (await get(s)).status as InferenceServiceStatus;
const cond = (st: InferenceServiceStatus, type: string) => st.conditions?.find((c) => c.type === type);
async function events(s: MemoryStore): Promise<Record<string, unknown>[]> {
  return (await s.list({ group: '', resource: 'events' }, { namespace: 'default' })).items;
}

async function readyIsvc() {
  const env = await setup();
  await env.store.create(KEY, isvc());
  await env.r.settled();
  env.driver.setPhase(REV1, 'Ready');
  await env.r.settled();
  return env;
}

test('create: finalizer, revision 00001 applied with rendered args, then Ready with url and traffic', async () => {
  const { store, driver, r, routes, errors } = await setup();
  await store.create(KEY, isvc());
  await r.settled();
  const obj = await get(store);
  assert.deepEqual(obj.metadata.finalizers, [FINALIZER]);
  assert.deepEqual([...new Set(driver.calls)], [`apply ${REV1} 1`], 'apply is idempotent and repeated; one revision');
  const spec = driver.specs.get(REV1);
  assert.equal(spec?.command, '/usr/bin/kserve-ts');
  assert.deepEqual(spec?.args, ['model-server', '--model_name=iris', '--model_dir=/models/iris', '--http_port=$(KSERVE_TS_HTTP_PORT)', '--grpc_port=$(KSERVE_TS_GRPC_PORT)']);
  let st = await statusOf(store);
  assert.equal(cond(st, 'Ready')?.status, 'Unknown');
  assert.equal(st.modelStatus?.transitionStatus, 'InProgress');
  assert.equal(st.components?.predictor?.latestCreatedRevision, 'iris-predictor-00001');

  driver.setPhase(REV1, 'Ready');
  await r.settled();
  st = await statusOf(store);
  assert.equal(cond(st, 'Ready')?.status, 'True');
  assert.equal(cond(st, 'PredictorReady')?.status, 'True');
  assert.equal(cond(st, 'IngressReady')?.status, 'True');
  assert.equal(cond(st, 'LatestDeploymentReady')?.status, 'True');
  assert.equal(st.url, 'http://iris.default.example.com');
  assert.equal(st.address?.url, 'http://iris.default.svc.cluster.local');
  assert.equal(st.clusterServingRuntimeName, 'kserve-sklearnserver');
  assert.equal(st.observedGeneration, 1);
  const p = st.components?.predictor;
  assert.equal(p?.url, 'http://iris-predictor.default.example.com');
  assert.equal(p?.latestReadyRevision, 'iris-predictor-00001');
  assert.equal(p?.latestRolledoutRevision, 'iris-predictor-00001');
  assert.deepEqual(p?.traffic, [{ revisionName: 'iris-predictor-00001', percent: 100, latestRevision: true }]);
  assert.deepEqual(st.modelStatus, { transitionStatus: 'UpToDate', states: { activeModelState: 'Loaded', targetModelState: 'Loaded' }, copies: { failedCopies: 0, totalCopies: 1 } });
  assert.deepEqual(routes.at(-1), [
    { namespace: 'default', name: 'iris-predictor', host: 'iris-predictor.default.example.com', revision: 'iris-predictor-00001', endpoints: [{ http: 'http://127.0.0.1:40000' }] },
    { namespace: 'default', name: 'iris', host: 'iris.default.example.com', revision: 'iris-predictor-00001', endpoints: [{ http: 'http://127.0.0.1:40000' }] },
  ]);
  const reasons = (await events(store)).map((e) => e.reason).sort();
  assert.deepEqual(reasons, ['InferenceServiceReady', 'RevisionCreated']);
  const ev = (await events(store)).find((e) => e.reason === 'InferenceServiceReady') as Record<string, unknown>;
  assert.deepEqual(ev.involvedObject, { apiVersion: 'serving.kserve.io/v1beta1', kind: 'InferenceService', namespace: 'default', name: 'iris', uid: obj.metadata.uid, resourceVersion: (ev.involvedObject as { resourceVersion: string }).resourceVersion });
  assert.equal(ev.type, 'Normal');
  assert.equal(ev.count, 1);
  assert.deepEqual(errors, []);
  await r.close();
});

test('status is not rewritten when nothing changed; conditions keep their transition time', async () => {
  const { store, r, clock } = await readyIsvc();
  const before = await get(store);
  clock.step(60_000);
  const labelled = await store.update(KEY, { ...before, metadata: { ...before.metadata, labels: { team: 'a' } } });
  await r.settled();
  const after = await get(store);
  assert.equal(after.metadata.resourceVersion, labelled.metadata.resourceVersion, 'only the label write, no status write');
  assert.deepEqual(after.status, before.status);
  await r.close();
});

test('spec change: revision 00002, the old one serves until the new is Ready, then it is deleted', async () => {
  const { store, driver, r, routes } = await readyIsvc();
  const obj = await get(store);
  await store.update(KEY, { ...obj, metadata: { ...obj.metadata, generation: 2 }, spec: isvc('file:///models/iris-v2').spec });
  await r.settled();
  assert.deepEqual(driver.revisions(), [REV1, REV2]);
  assert.equal(driver.specs.get(REV2)?.args.includes('--model_dir=/models/iris-v2'), true);
  let st = await statusOf(store);
  assert.equal(st.components?.predictor?.latestCreatedRevision, 'iris-predictor-00002');
  assert.equal(st.components?.predictor?.latestRolledoutRevision, 'iris-predictor-00001');
  assert.equal(routes.at(-1)?.[0]?.revision, 'iris-predictor-00001');
  assert.equal(st.modelStatus?.states?.activeModelState, 'Loaded');
  assert.equal(st.modelStatus?.states?.targetModelState, 'Loading');

  driver.setPhase(REV2, 'Ready');
  await r.settled();
  assert.deepEqual(driver.revisions(), [REV2]);
  st = await statusOf(store);
  assert.equal(st.components?.predictor?.latestRolledoutRevision, 'iris-predictor-00002');
  assert.equal(st.components?.predictor?.previousRolledoutRevision, 'iris-predictor-00001');
  assert.equal(st.observedGeneration, 2);
  assert.equal(routes.at(-1)?.[0]?.revision, 'iris-predictor-00002');
  await r.close();
});

test('a failing new revision: FailedToLoad with the exit log tail while 00001 keeps serving', async () => {
  const { store, driver, r, routes } = await readyIsvc();
  const obj = await get(store);
  await store.update(KEY, { ...obj, spec: isvc('file:///models/broken').spec });
  await r.settled();
  driver.setPhase(REV2, 'CrashLoopBackOff', { code: 1, signal: null, reason: 'Error', logTail: 'ValueError: not a model file\n', at: '2026-01-01T00:00:01Z' });
  await r.settled();
  const st = await statusOf(store);
  assert.equal(st.modelStatus?.transitionStatus, 'BlockedByFailedLoad');
  assert.deepEqual(st.modelStatus?.states, { activeModelState: 'Loaded', targetModelState: 'FailedToLoad' });
  assert.equal(st.modelStatus?.lastFailureInfo?.reason, 'ModelLoadFailed');
  assert.equal(st.modelStatus?.lastFailureInfo?.message, 'CrashLoopBackOff: back-off restarting failed replica iris-predictor-00002-1 (exit code 1): ValueError: not a model file');
  assert.equal(st.modelStatus?.lastFailureInfo?.exitCode, 1);
  assert.equal(cond(st, 'PredictorReady')?.reason, 'RevisionFailed');
  assert.equal(cond(st, 'Ready')?.status, 'False');
  assert.equal(st.components?.predictor?.latestRolledoutRevision, 'iris-predictor-00001');
  assert.deepEqual(driver.revisions(), [REV1, REV2]);
  assert.equal(routes.at(-1)?.[0]?.revision, 'iris-predictor-00001');
  const failed = (await events(store)).filter((e) => e.reason === 'ModelLoadFailed');
  assert.equal(failed.length, 1);
  assert.equal(failed[0]?.type, 'Warning');

  // The fix is revision 00003: the failed 00002 goes at once, 00001 serves until 00003 is Ready.
  const broken = await get(store);
  await store.update(KEY, { ...broken, spec: isvc('file:///models/fixed').spec });
  await r.settled();
  const REV3 = 'default/iris/predictor/iris-predictor-00003';
  assert.deepEqual(driver.revisions(), [REV1, REV3]);
  driver.setPhase(REV3, 'Ready');
  await r.settled();
  assert.deepEqual(driver.revisions(), [REV3]);
  const fixed = await statusOf(store);
  assert.equal(fixed.modelStatus?.transitionStatus, 'UpToDate');
  assert.equal(fixed.modelStatus?.lastFailureInfo, undefined);
  assert.equal(fixed.components?.predictor?.previousRolledoutRevision, 'iris-predictor-00001');
  await r.close();
});

test('delete: driver revisions gone, finalizer removed, object gone, route removed', async () => {
  const { store, driver, r, routes } = await readyIsvc();
  const obj = await get(store);
  await store.update(KEY, { ...obj, metadata: { ...obj.metadata, deletionTimestamp: '2026-01-01T00:01:00Z' } });
  await r.settled();
  assert.deepEqual(driver.revisions(), []);
  assert.equal(await store.get(KEY), undefined);
  assert.deepEqual(routes.at(-1), []);
  await r.close();
});

test('restart over the same store: no duplicate revision, orphans deleted', async () => {
  const first = await readyIsvc();
  await first.r.close();
  first.driver.adopt('default/gone/predictor/gone-predictor-00003');
  first.driver.adopt('default/iris/predictor/iris-predictor-00007');
  const second = await setup(first.store, first.driver);
  await second.r.settled();
  assert.deepEqual(first.driver.revisions(), [REV1]);
  const st = await statusOf(first.store);
  assert.equal(st.components?.predictor?.latestCreatedRevision, 'iris-predictor-00001');
  assert.equal(cond(st, 'Ready')?.status, 'True');
  assert.equal(second.routes.at(-1)?.[0]?.revision, 'iris-predictor-00001');
  await second.r.close();
});

test('no runtime for the format: status reason, an event, no revision, no crash', async () => {
  const { store, driver, r, errors } = await setup();
  await store.create(KEY, isvc('file:///models/x', 'caffe'));
  await r.settled();
  const st = await statusOf(store);
  assert.equal(st.modelStatus?.transitionStatus, 'InvalidSpec');
  assert.equal(st.modelStatus?.lastFailureInfo?.reason, 'NoSupportingRuntime');
  assert.equal(cond(st, 'Ready')?.status, 'False');
  assert.equal(cond(st, 'PredictorReady')?.reason, 'NoSupportingRuntime');
  assert.deepEqual(driver.revisions(), []);
  assert.deepEqual((await events(store)).map((e) => e.reason), ['RuntimeNotFound']);
  assert.deepEqual(errors, []);
  await r.close();
});

test('a storageUri scheme not served yet is a status reason naming the uri', async () => {
  const { store, driver, r } = await setup();
  await store.create(KEY, isvc('s3://bucket/iris'));
  await r.settled();
  const st = await statusOf(store);
  assert.equal(cond(st, 'LatestDeploymentReady')?.reason, 'StorageUriNotSupported');
  assert.match(st.modelStatus?.lastFailureInfo?.message ?? '', /storageUri "s3:\/\/bucket\/iris".*expected file:\/\/ or a local path/);
  assert.deepEqual(driver.revisions(), []);
  await r.close();
});

test('a new ServingRuntime requeues the InferenceServices of its namespace', async () => {
  const { store, driver, r } = await setup();
  await store.create(KEY, isvc('file:///models/x', 'caffe'));
  await r.settled();
  await store.create({ group: 'serving.kserve.io', resource: 'servingruntimes', namespace: 'default', name: 'caffe-rt' }, {
    apiVersion: 'serving.kserve.io/v1alpha1',
    kind: 'ServingRuntime',
    metadata: { name: 'caffe-rt', namespace: 'default' },
    spec: { supportedModelFormats: [{ name: 'caffe', autoSelect: true }], containers: [{ name: 'kserve-container', image: 'x', args: ['--model_name={{.Name}}', '--ns={{ .Namespace }}', '--http_port=8080'] }] },
  });
  await r.settled();
  assert.deepEqual(driver.revisions(), [REV1]);
  assert.deepEqual(driver.specs.get(REV1)?.args, ['model-server', '--model_name=iris', '--ns=default', '--model_dir=/models/x', '--http_port=$(KSERVE_TS_HTTP_PORT)', '--grpc_port=$(KSERVE_TS_GRPC_PORT)']);
  assert.equal((await statusOf(store)).servingRuntimeName, 'caffe-rt');
  await r.close();
});

test('a failing pass is retried with backoff and then succeeds', async () => {
  const store = new MemoryStore();
  const driver = new SimDriver();
  let failures = 1;
  const apply = driver.apply.bind(driver);
  driver.apply = (spec, n) => (failures-- > 0 ? Promise.reject(new Error('driver busy')) : apply(spec, n));
  const errors: string[] = [];
  // The real clock: the queue's backoff (5 ms) must elapse for the retry.
  const r = new Reconciler({ store, driver, launcher: 'kserve-ts', onError: (k, e) => errors.push(`${k}: ${(e as Error).message}`) });
  await r.start();
  await store.create(KEY, isvc());
  await r.settled();
  assert.deepEqual(errors, ['default/iris: driver busy']);
  assert.deepEqual(driver.revisions(), [REV1]);
  assert.equal((await statusOf(store)).modelStatus?.transitionStatus, 'InProgress');
  await r.close();
});

test('options are checked: the field, the value and what was expected', () => {
  assert.throws(() => new Reconciler({ store: new MemoryStore(), driver: new SimDriver(), launcher: 'x', workers: 0 }), /workers: 0 is not allowed: expected an integer ≥ 1/);
  assert.throws(() => new Reconciler({ store: new MemoryStore(), driver: new SimDriver(), launcher: '' }), /launcher: "" is not allowed/);
});

test('a watch ending with Gone re-lists and watches again: later changes are still reconciled', async () => {
  const store = new MemoryStore();
  const realWatch = store.watch.bind(store);
  let goneSent = false;
  // The first InferenceService watch ends at once with Gone, as when a watcher falls behind the history.
  store.watch = async (type, opts, onEvent) => {
    if (goneSent || type.resource !== 'inferenceservices') return realWatch(type, opts, onEvent);
    goneSent = true;
    return { close: () => undefined, done: Promise.resolve(new StoreError('Gone', 'too old resource version')) };
  };
  const { driver, r, errors } = await setup(store);
  await store.create(KEY, isvc());
  await r.settled();
  assert.equal(goneSent, true);
  assert.deepEqual(driver.revisions(), [REV1]);
  assert.deepEqual(errors, []);
  await r.close();
});
