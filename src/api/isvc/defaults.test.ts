import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LEGACY_PREDICTOR_KEYS } from '../schemas/predictor.ts';
import { defaultInferenceService } from './defaults.ts';

type Obj = Record<string, any>;
const isvc = (predictor: Obj, annotations?: Obj): Obj => ({ metadata: { name: 'm', namespace: 'd', ...(annotations ? { annotations } : {}) }, spec: { predictor } });

test('each legacy key becomes model.modelFormat with every field kept (golden)', () => {
  const v2 = new Set(['triton', 'onnx', 'huggingface']);
  for (const key of LEGACY_PREDICTOR_KEYS) {
    const legacy = { storageUri: 'gs://b/m', runtimeVersion: '1.2', resources: { limits: { cpu: '1' } }, args: ['--x'], env: [{ name: 'A', value: '1' }] };
    const obj = isvc({ [key]: structuredClone(legacy), minReplicas: 0 });
    defaultInferenceService(obj);
    const model = { modelFormat: { name: key }, ...legacy, ...(v2.has(key) ? { protocolVersion: 'v2' } : {}) };
    assert.deepEqual(obj.spec.predictor, { model, minReplicas: 0 }, key);
    assert.equal(obj.metadata.annotations.modelFormat, key);
  }
});

test('an explicit protocolVersion on a legacy key is kept', () => {
  const obj = isvc({ onnx: { storageUri: 'gs://b', protocolVersion: 'grpc-v2' } });
  defaultInferenceService(obj);
  assert.equal(obj.spec.predictor.model.protocolVersion, 'grpc-v2');
});

test('model: triton and vLLM default to v2; others keep no protocol (v1 at selection)', () => {
  for (const [name, want] of [['triton', 'v2'], ['vLLM', 'v2'], ['sklearn', undefined], ['onnx', undefined]] as const) {
    const obj = isvc({ model: { modelFormat: { name } } });
    defaultInferenceService(obj);
    assert.equal(obj.spec.predictor.model.protocolVersion, want, name);
  }
});

test('the modelFormat annotation is not overwritten', () => {
  const obj = isvc({ model: { modelFormat: { name: 'sklearn' } } }, { modelFormat: 'mine' });
  defaultInferenceService(obj);
  assert.equal(obj.metadata.annotations.modelFormat, 'mine');
});

test('deploymentMode: RawDeployment → Standard, Serverless → Knative; configured default only for Standard/ModelMesh', () => {
  for (const [given, want] of [['RawDeployment', 'Standard'], ['Serverless', 'Knative'], ['Knative', 'Knative']]) {
    const obj = isvc({ model: { modelFormat: { name: 'x' } } }, { 'serving.kserve.io/deploymentMode': given });
    defaultInferenceService(obj);
    assert.equal(obj.metadata.annotations['serving.kserve.io/deploymentMode'], want);
  }
  const std = isvc({ model: { modelFormat: { name: 'x' } } });
  defaultInferenceService(std, { resource: {}, artDefaultImageVersion: 'latest', defaultDeploymentMode: 'Standard' });
  assert.equal(std.metadata.annotations['serving.kserve.io/deploymentMode'], 'Standard');
  const kn = isvc({ model: { modelFormat: { name: 'x' } } });
  defaultInferenceService(kn, { resource: {}, artDefaultImageVersion: 'latest', defaultDeploymentMode: 'Knative' });
  assert.equal(kn.metadata.annotations['serving.kserve.io/deploymentMode'], undefined);
});

test('ModelMesh leaves the predictor as written', () => {
  const obj = isvc({ sklearn: { storageUri: 's3://b' } }, { 'serving.kserve.io/deploymentMode': 'ModelMesh' });
  defaultInferenceService(obj);
  assert.deepEqual(obj.spec.predictor, { sklearn: { storageUri: 's3://b' } });
});

test('legacy key next to model: replaces it on update (KServe; an edited legacy manifest re-applied), left for validation on create', () => {
  const pair = (): Obj => isvc({ sklearn: { storageUri: 's3://new' }, model: { modelFormat: { name: 'sklearn' }, storageUri: 's3://old', runtime: 'x' } });
  const created = pair();
  defaultInferenceService(created);
  assert.deepEqual(Object.keys(created.spec.predictor), ['sklearn', 'model']);
  const updated = pair();
  updated.metadata.uid = '6f1c0f5e-0000-4000-8000-000000000001';
  defaultInferenceService(updated);
  assert.deepEqual(updated.spec.predictor, { model: { modelFormat: { name: 'sklearn' }, storageUri: 's3://new' } });
  const two = isvc({ sklearn: {}, xgboost: {} });
  two.metadata.uid = 'u';
  defaultInferenceService(two);
  assert.deepEqual(Object.keys(two.spec.predictor), ['sklearn', 'xgboost']);
});

test('custom containers: named kserve-container, default resources filled where unset', () => {
  const obj = isvc({ containers: [{ image: 'me/pred', resources: { limits: { cpu: '2' } } }] });
  obj.spec.transformer = { containers: [{ name: 'mine', image: 't' }] };
  obj.spec.explainer = { art: { type: 'SquareAttack' } };
  defaultInferenceService(obj);
  assert.deepEqual(obj.spec.predictor.containers[0], { image: 'me/pred', name: 'kserve-container', resources: { limits: { cpu: '2', memory: '2Gi' }, requests: { cpu: '1', memory: '2Gi' } } });
  assert.equal(obj.spec.transformer.containers[0].name, 'kserve-container');
  assert.deepEqual(obj.spec.explainer.art, { type: 'SquareAttack', name: 'kserve-container', runtimeVersion: 'latest', resources: { requests: { cpu: '1', memory: '2Gi' }, limits: { cpu: '1', memory: '2Gi' } } });
  const sidecar = isvc({ containers: [{ name: 'kserve-container', image: 'a' }, { name: 'side', image: 'b' }] });
  defaultInferenceService(sidecar);
  assert.deepEqual(sidecar.spec.predictor.containers.map((c: Obj) => c.name), ['kserve-container', 'side']);
});

test('defaulting twice changes nothing', () => {
  const obj = isvc({ containers: [{ image: 'x' }], pytorch: undefined });
  obj.spec.predictor = { onnx: { storageUri: 'gs://x' }, logger: { mode: 'all' } };
  obj.spec.transformer = { containers: [{ image: 't' }] };
  defaultInferenceService(obj);
  const once = structuredClone(obj);
  defaultInferenceService(obj);
  assert.deepEqual(obj, once);
});
