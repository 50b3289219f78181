import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BUILTIN_CLUSTER_SERVING_RUNTIMES, selectRuntime } from '../api/index.ts';
import { seedBuiltinRuntimes } from './seed.ts';
import { MemoryStore } from './store/memory-store.ts';

const TYPE = { group: 'serving.kserve.io', resource: 'clusterservingruntimes' };

test('seeds every built-in runtime once; an edited one is left alone', async () => {
  const store = new MemoryStore();
  const names = BUILTIN_CLUSTER_SERVING_RUNTIMES.map((r) => (r.metadata as { name: string }).name);
  assert.deepEqual(await seedBuiltinRuntimes(store), names);
  const xgb = await store.get({ ...TYPE, name: 'kserve-xgbserver' });
  assert.ok(xgb);
  assert.equal(xgb.metadata.generation, 1);
  await store.update({ ...TYPE, name: 'kserve-xgbserver' }, { ...xgb, spec: { ...(xgb.spec as object), disabled: true } });
  await store.delete({ ...TYPE, name: 'kserve-lgbserver' });
  assert.deepEqual(await seedBuiltinRuntimes(store), ['kserve-lgbserver']);
  assert.equal(((await store.get({ ...TYPE, name: 'kserve-xgbserver' }))!.spec as { disabled?: boolean }).disabled, true);
  await store.close();
});

test('the seeded runtimes are what runtime selection picks for an xgboost model', async () => {
  const store = new MemoryStore();
  await seedBuiltinRuntimes(store);
  const { items } = await store.list(TYPE);
  const isvc = { apiVersion: 'serving.kserve.io/v1beta1', kind: 'InferenceService', metadata: { name: 'x', namespace: 'default' }, spec: { predictor: { model: { modelFormat: { name: 'xgboost' }, storageUri: 'gs://a/b' } } } };
  const picked = selectRuntime(isvc, [], items) as { runtime?: { metadata: { name: string } } };
  assert.equal(picked.runtime?.metadata.name, 'kserve-xgbserver');
  await store.close();
});
