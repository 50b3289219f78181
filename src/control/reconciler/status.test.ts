import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeStatus, sameJson, type IsvcObservation } from './status.ts';

const urls = { domain: 'example.com' };
const loading: IsvcObservation = { name: 'iris', namespace: 'ns', generation: 3, predictor: { latest: 'Loading', latestCreatedRevision: 'iris-predictor-00001' } };

test('conditions keep lastTransitionTime until they change (Knative SetCondition)', () => {
  const t0 = '2026-01-01T00:00:00.000Z';
  const t1 = '2026-01-01T00:01:00.000Z';
  const first = computeStatus(loading, undefined, urls, t0);
  const again = computeStatus(loading, first, urls, t1);
  assert.ok(sameJson(first, again), 'nothing changed: same status, no write');
  const ready = computeStatus({ ...loading, predictor: { ...loading.predictor, latest: 'Loaded', latestRolledoutRevision: 'iris-predictor-00001' } }, again, urls, t1);
  const at = (s: typeof ready, type: string) => s.conditions?.find((c) => c.type === type)?.lastTransitionTime;
  assert.equal(at(ready, 'Ready'), t1);
  assert.equal(at(ready, 'IngressReady'), t1);
  assert.deepEqual(ready.conditions?.map((c) => c.type), ['IngressReady', 'LatestDeploymentReady', 'PredictorReady', 'Ready']);
  assert.equal(ready.observedGeneration, 3);
});

test('while loading the first revision: no url yet, Ready Unknown with Knative reason, modelStatus InProgress', () => {
  const st = computeStatus(loading, undefined, urls, '2026-01-01T00:00:00.000Z');
  assert.equal(st.url, undefined);
  const ready = st.conditions?.find((c) => c.type === 'Ready');
  assert.deepEqual([ready?.status, ready?.reason, ready?.message], ['Unknown', 'RevisionMissing', 'Configuration "iris-predictor" is waiting for a Revision to become ready.']);
  assert.deepEqual(st.modelStatus, { transitionStatus: 'InProgress', states: { activeModelState: '', targetModelState: 'Loading' } });
});

test('an unsupported model: InvalidSpec, target FailedToLoad, the failure reason and Ready False', () => {
  const st = computeStatus({ ...loading, predictor: { latest: 'Pending', problem: { reason: 'RuntimeNotRecognized', message: 'no runtime "x"' } } }, undefined, urls, '2026-01-01T00:00:00.000Z');
  assert.deepEqual(st.modelStatus, { transitionStatus: 'InvalidSpec', states: { activeModelState: '', targetModelState: 'FailedToLoad' }, lastFailureInfo: { reason: 'RuntimeNotRecognized', message: 'no runtime "x"' } });
  assert.equal(st.conditions?.find((c) => c.type === 'Ready')?.status, 'False');
  assert.equal(st.conditions?.find((c) => c.type === 'PredictorReady')?.reason, 'RuntimeNotRecognized');
});

test('sameJson ignores key order and undefined members', () => {
  assert.ok(sameJson({ a: 1, b: [1, { c: 2 }], d: undefined }, { b: [1, { c: 2 }], a: 1 }));
  assert.ok(!sameJson({ a: [1, 2] }, { a: [2, 1] }));
  assert.ok(!sameJson({ a: 1 }, { a: '1' }));
});

test('a transformer: TransformerReady joins Ready; the ingress waits for both transformer and predictor; modelStatus stays the predictor\'s', () => {
  const now = '2026-01-01T00:00:00.000Z';
  const predictor = { latest: 'Loaded' as const, latestCreatedRevision: 'iris-predictor-00001', latestRolledoutRevision: 'iris-predictor-00001' };
  const waiting = computeStatus({ ...loading, predictor, transformer: { latest: 'Loading', latestCreatedRevision: 'iris-transformer-00001' } }, undefined, urls, now);
  assert.deepEqual(waiting.conditions?.map((c) => [c.type, c.status]), [['IngressReady', 'Unknown'], ['LatestDeploymentReady', 'True'], ['PredictorReady', 'True'], ['Ready', 'Unknown'], ['TransformerReady', 'Unknown']]);
  assert.equal(waiting.url, undefined);
  assert.equal(waiting.modelStatus?.transitionStatus, 'UpToDate');
  const ready = computeStatus({ ...loading, predictor, transformer: { latest: 'Loaded', latestCreatedRevision: 'iris-transformer-00001', latestRolledoutRevision: 'iris-transformer-00001' } }, waiting, urls, now);
  assert.equal(ready.conditions?.find((c) => c.type === 'Ready')?.status, 'True');
  assert.equal(ready.url, 'http://iris.ns.example.com');
  assert.equal(ready.components?.transformer?.url, 'http://iris-transformer.ns.example.com');
  assert.equal(ready.components?.predictor?.address?.url, 'http://iris-predictor.ns.svc.cluster.local');
  const broken = computeStatus({ ...loading, predictor, transformer: { latest: 'Pending', problem: { reason: 'InvalidSpec', message: 'no command' } } }, undefined, urls, now);
  assert.deepEqual(['IngressReady', 'TransformerReady', 'Ready'].map((t) => broken.conditions?.find((c) => c.type === t)?.status), ['False', 'False', 'False']);
});

test('a rolled-out revision with no ready replica (restarting, or up just restarted): IngressReady and Ready Unknown, url kept', () => {
  const now = '2026-01-01T00:00:00.000Z';
  const st = computeStatus({ ...loading, predictor: { latest: 'Loading', latestCreatedRevision: 'iris-predictor-00001', latestRolledoutRevision: 'iris-predictor-00001', servingReplicas: 0 } }, undefined, urls, now);
  const ingress = st.conditions?.find((c) => c.type === 'IngressReady');
  assert.deepEqual([ingress?.status, ingress?.reason], ['Unknown', 'NoReadyReplicas']);
  assert.match(ingress?.message ?? '', /Revision "iris-predictor-00001" of "iris-predictor" has no ready replica/);
  assert.equal(st.conditions?.find((c) => c.type === 'Ready')?.status, 'Unknown');
  assert.equal(st.url, 'http://iris.ns.example.com');
  const back = computeStatus({ ...loading, predictor: { latest: 'Loaded', latestCreatedRevision: 'iris-predictor-00001', latestRolledoutRevision: 'iris-predictor-00001', servingReplicas: 1 } }, st, urls, now);
  assert.equal(back.conditions?.find((c) => c.type === 'Ready')?.status, 'True');
});
