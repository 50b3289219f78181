import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultInferenceService } from './defaults.ts';
import { validateInferenceService } from './validate.ts';

type Obj = Record<string, any>;
const isvc = (predictor: Obj, annotations?: Obj, name = 'my-model'): Obj => ({ metadata: { name, namespace: 'd', ...(annotations ? { annotations } : {}) }, spec: { predictor } });
const sk = (extra: Obj = {}): Obj => ({ model: { modelFormat: { name: 'sklearn' }, storageUri: 'gs://b/m' }, ...extra });
const errs = (obj: Obj, old?: Obj): string[][] => {
  defaultInferenceService(obj);
  return validateInferenceService(obj, old).map((e) => [e.field, e.message]);
};

test('a plain model predictor is valid', () => {
  assert.deepEqual(errs(isvc(sk())), []);
});

test('name: DNS-1035 label as KServe requires', () => {
  const [e] = errs(isvc(sk(), undefined, '9lives'));
  assert.equal(e![0], 'metadata.name');
  assert.match(e![1]!, /^Invalid value: "9lives": a DNS-1035 label must consist of/);
});

test('exactly one implementation: two legacy keys, and model + kserve-container, name both', () => {
  assert.deepEqual(errs(isvc({ sklearn: { storageUri: 'gs://a' }, xgboost: { storageUri: 'gs://a' } })), [
    ['spec.predictor', 'Invalid value: ["sklearn","xgboost"]: exactly one of [model, sklearn, xgboost, tensorflow, pytorch, triton, onnx, huggingface, pmml, lightgbm, paddle, containers] must be specified, found 2: sklearn and xgboost'],
  ]);
  const both = errs(isvc({ ...sk(), containers: [{ name: 'kserve-container', image: 'x' }] }));
  assert.equal(both.length, 1);
  assert.match(both[0]![1]!, /found 2: model and containers$/);
  assert.deepEqual(errs(isvc({ minReplicas: 1 })).map((e) => e[0]), ['spec.predictor']);
  // A sidecar next to model is not a second implementation.
  assert.deepEqual(errs(isvc(sk({ containers: [{ name: 'sidecar', image: 'x' }] }))), []);
});

test('replicas, canaryTrafficPercent, concurrency, batcher, logger', () => {
  assert.deepEqual(errs(isvc(sk({ minReplicas: 3, maxReplicas: 2 }))), [['spec.predictor.minReplicas', "Invalid value: 3: 'MinReplicas' cannot be greater than MaxReplicas (2)"]]);
  assert.deepEqual(errs(isvc(sk({ minReplicas: 3, maxReplicas: 0 }))), []);
  assert.deepEqual(errs(isvc(sk({ minReplicas: -1 }))).map((e) => e[0]), ['spec.predictor.minReplicas']);
  assert.deepEqual(errs(isvc(sk({ canaryTrafficPercent: 101 }))), [['spec.predictor.canaryTrafficPercent', 'Invalid value: 101: must be between 0 and 100']]);
  assert.deepEqual(errs(isvc(sk({ containerConcurrency: -1 }))).map((e) => e[0]), ['spec.predictor.containerConcurrency']);
  assert.deepEqual(errs(isvc(sk({ batcher: { maxBatchSize: 0, maxLatency: 500 } }))), [['spec.predictor.batcher.maxBatchSize', 'Invalid value: 0: must be greater than 0']]);
  assert.deepEqual(errs(isvc(sk({ logger: { url: 'http://x' } }))), [['spec.predictor.logger.mode', 'Required value: one of all, request, response']]);
  assert.deepEqual(errs(isvc(sk({ logger: { mode: 'all', storage: { path: '/p' } } }))).map((e) => e[0]), ['spec.predictor.logger.storage.parameters', 'spec.predictor.logger.storage.key']);
});

test('storageUri schemes as KServe accepts them', () => {
  for (const ok of ['gs://b/m', 's3://b/m', 'pvc://claim/m', 'file:///m', 'https://h/m.tar.gz', 'http://h/m', 'hf://org/model', 'oci://reg/img:1', 'hdfs://n/p', 'https://acct.blob.core.windows.net/c/m', '/mnt/models', 'relative/dir']) {
    assert.deepEqual(errs(isvc({ model: { modelFormat: { name: 'sklearn' }, storageUri: ok } })), [], ok);
  }
  const [e] = errs(isvc({ model: { modelFormat: { name: 'sklearn' }, storageUri: 'ftp://h/m' } }));
  assert.equal(e![0], 'spec.predictor.model.storageUri');
  assert.match(e![1]!, /^Invalid value: "ftp:\/\/h\/m": must be one of: \[gs:\/\/, s3:\/\/, pvc:\/\//);
  assert.equal(errs(isvc({ model: { modelFormat: { name: 'sklearn' }, storageUri: 'https://acct.blob.core.windows.net' } })).length, 1);
});

test('storageUris: not with storageUri; absolute paths with a common parent', () => {
  assert.deepEqual(errs(isvc(sk({ storageUris: [{ uri: 's3://a', mountPath: '/mnt/a' }] }))), [['spec.predictor.storageUris', 'Forbidden: setting both storageUri and storageUris is not supported']]);
  const t = (storageUris: Obj[]): string[][] => errs({ ...isvc(sk()), spec: { predictor: sk(), transformer: { containers: [{ image: 't' }], storageUris } } });
  assert.deepEqual(t([{ uri: 's3://a', mountPath: '/mnt/models/a' }, { uri: 's3://b', mountPath: '/mnt/models/b' }]), []);
  assert.deepEqual(t([{ uri: 's3://a', mountPath: 'rel' }]).map((e) => e[0]), ['spec.transformer.storageUris[0].mountPath']);
  assert.deepEqual(t([{ uri: 's3://a', mountPath: '/a/x' }, { uri: 's3://b', mountPath: '/b/y' }]).map((e) => e[0]), ['spec.transformer.storageUris']);
});

test('annotations KServe reads are checked', () => {
  assert.deepEqual(errs(isvc(sk(), { 'serving.kserve.io/deploymentMode': 'Raw' })), [
    ['metadata.annotations[serving.kserve.io/deploymentMode]', 'Unsupported value: "Raw": supported values: "Standard", "Knative", "ModelMesh", "RawDeployment", "Serverless"'],
  ]);
  assert.deepEqual(errs(isvc(sk(), { 'serving.kserve.io/deploymentMode': 'Standard', 'serving.kserve.io/autoscalerClass': 'kpa' })).map((e) => e[0]), ['metadata.annotations[serving.kserve.io/autoscalerClass]']);
  assert.deepEqual(errs(isvc(sk(), { 'serving.kserve.io/enable-prometheus-scraping': 'yes' })).map((e) => e[0]), ['metadata.annotations[serving.kserve.io/enable-prometheus-scraping]']);
});

test('autoscaling: KPA metrics by default, HPA/KEDA rules in Standard mode', () => {
  assert.deepEqual(errs(isvc(sk({ scaleMetric: 'cpu' }))), [['spec.predictor.scaleMetric', 'Unsupported value: "cpu": supported values: "concurrency", "rps"']]);
  assert.deepEqual(errs(isvc(sk({ minReplicas: 0, scaleMetric: 'rps', scaleTarget: 5 }))), []);
  const hpa = { 'serving.kserve.io/deploymentMode': 'Standard', 'serving.kserve.io/autoscalerClass': 'hpa' };
  assert.deepEqual(errs(isvc(sk({ scaleMetric: 'cpu', scaleTarget: 150 }), hpa)).map((e) => e[0]), ['spec.predictor.scaleTarget']);
  assert.deepEqual(errs(isvc(sk({ scaleMetric: 'memory', scaleTarget: 60 }), hpa)), []);
  const keda = { 'serving.kserve.io/deploymentMode': 'Standard', 'serving.kserve.io/autoscalerClass': 'keda' };
  assert.deepEqual(errs(isvc(sk({ scaleMetric: 'cpu' }), keda)).map((e) => e[0]), ['spec.predictor.scaleMetric']);
  const ext = { metrics: [{ type: 'External', external: { metric: { backend: 'prometheus', query: '' }, target: { type: 'Value' } } }] };
  assert.deepEqual(errs(isvc(sk({ autoScaling: ext }), keda)).map((e) => e[0]), [
    'spec.predictor.autoScaling.metrics[0].external.metric.query',
    'spec.predictor.autoScaling.metrics[0].external.target.value',
    'spec.predictor.autoScaling.metrics[0].external.target.value',
  ]);
  assert.deepEqual(errs(isvc(sk({ deploymentStrategy: { type: 'Recreate' } }))).map((e) => e[0]), ['spec.predictor.deploymentStrategy']);
});

test('PYTHONPATH is blocked in every container', () => {
  assert.deepEqual(errs(isvc(sk({ model: { modelFormat: { name: 'sklearn' }, env: [{ name: 'PYTHONPATH', value: '/x' }] } }))), [
    ['spec.predictor.model.env[0].name', 'Forbidden: environment variable PYTHONPATH is not allowed'],
  ]);
});

test('the inlined model container may not be named', () => {
  assert.deepEqual(errs(isvc({ model: { modelFormat: { name: 'sklearn' }, name: 'x' } })).map((e) => e[0]), ['spec.predictor.model.name']);
});

test('spec.canary needs Standard mode and sane traffic', () => {
  const canary = (list: Obj[], ann?: Obj): Obj => ({ ...isvc(sk(), ann), spec: { predictor: sk(), canary: list } });
  assert.deepEqual(errs(canary([{ predictor: sk({ name: 'c1' }), trafficPercent: 10 }])).map((e) => e[0]), ['spec.canary']);
  const std = { 'serving.kserve.io/deploymentMode': 'Standard' };
  assert.deepEqual(errs(canary([{ predictor: sk({ name: 'c1' }), trafficPercent: 10 }], std)), []);
  assert.deepEqual(errs(canary([{ predictor: sk({ name: 'c1' }), trafficPercent: 60 }, { predictor: sk({ name: 'c1', scaleMetric: 'rps' }), trafficPercent: 50 }], std)).map((e) => e[0]), [
    'spec.canary[1].predictor.name',
    'spec.canary[1].predictor.scaleMetric',
    'spec.canary',
  ]);
});

test('update: deploymentMode is fixed once running; a predictor.name change needs a new model', () => {
  const old = { ...isvc(sk()), status: { deploymentMode: 'Serverless' } };
  assert.deepEqual(errs(isvc(sk(), { 'serving.kserve.io/deploymentMode': 'Standard' }), old), [
    ['metadata.annotations[serving.kserve.io/deploymentMode]', "Forbidden: deploymentMode cannot be changed from 'Knative' to 'Standard'"],
  ]);
  assert.deepEqual(errs(isvc(sk({ name: 'v2' })), isvc(sk())).map((e) => e[0]), ['spec.predictor.name']);
  assert.deepEqual(errs(isvc({ name: 'v2', model: { modelFormat: { name: 'sklearn' }, storageUri: 'gs://b/m2' } }), isvc(sk())), []);
});

test('workerSpec (multi-node) rules', () => {
  const w = isvc({ model: { modelFormat: { name: 'huggingface' }, storageUri: 'gs://x' }, workerSpec: { tensorParallelSize: 0 } });
  assert.deepEqual(errs(w).map((e) => e[0]), ['spec.predictor.model.storageUri', 'metadata.annotations[serving.kserve.io/autoscalerClass]', 'spec.predictor.workerSpec.tensorParallelSize']);
});
