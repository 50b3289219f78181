import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeStatus, sameJson, type PredictorObservation } from './status.ts';

const urls = { domain: 'example.com' };
const loading: PredictorObservation = { name: 'iris', namespace: 'ns', generation: 3, latest: 'Loading', latestCreatedRevision: 'iris-predictor-00001' };

test('conditions keep lastTransitionTime until they change (Knative SetCondition)', () => {
  const t0 = '2026-01-01T00:00:00.000Z';
  const t1 = '2026-01-01T00:01:00.000Z';
  const first = computeStatus(loading, undefined, urls, t0);
  const again = computeStatus(loading, first, urls, t1);
  assert.ok(sameJson(first, again), 'nothing changed: same status, no write');
  const ready = computeStatus({ ...loading, latest: 'Loaded', latestRolledoutRevision: 'iris-predictor-00001' }, again, urls, t1);
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
  const st = computeStatus({ ...loading, latest: 'Pending', latestCreatedRevision: undefined, problem: { reason: 'RuntimeNotRecognized', message: 'no runtime "x"' } }, undefined, urls, '2026-01-01T00:00:00.000Z');
  assert.deepEqual(st.modelStatus, { transitionStatus: 'InvalidSpec', states: { activeModelState: '', targetModelState: 'FailedToLoad' }, lastFailureInfo: { reason: 'RuntimeNotRecognized', message: 'no runtime "x"' } });
  assert.equal(st.conditions?.find((c) => c.type === 'Ready')?.status, 'False');
  assert.equal(st.conditions?.find((c) => c.type === 'PredictorReady')?.reason, 'RuntimeNotRecognized');
});

test('sameJson ignores key order and undefined members', () => {
  assert.ok(sameJson({ a: 1, b: [1, { c: 2 }], d: undefined }, { b: [1, { c: 2 }], a: 1 }));
  assert.ok(!sameJson({ a: [1, 2] }, { a: [2, 1] }));
  assert.ok(!sameJson({ a: 1 }, { a: '1' }));
});
