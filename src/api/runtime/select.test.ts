import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BUILTIN_CLUSTER_SERVING_RUNTIMES } from './builtin.ts';
import { selectRuntime } from './select.ts';

type Obj = Record<string, any>;
const isvc = (model: Obj, extra: Obj = {}): Obj => ({ metadata: { name: 'm', namespace: 'd' }, spec: { predictor: { model, ...extra } } });
const fmt = (name: string, version?: string, autoSelect = true, priority?: number): Obj => ({ name, ...(version ? { version } : {}), autoSelect, ...(priority !== undefined ? { priority } : {}) });
const rt = (name: string, formats: Obj[], protocolVersions: string[] = ['v1', 'v2'], extra: Obj = {}, created = '2026-01-01T00:00:00Z'): Obj => ({
  metadata: { name, creationTimestamp: created },
  spec: { supportedModelFormats: formats, protocolVersions, containers: [{ name: 'kserve-container', image: 'x' }], ...extra },
});
const pick = (r: ReturnType<typeof selectRuntime>): string => ('error' in r ? `${r.error.reason}` : `${r.kind}/${r.name}/${r.protocolVersion}`);
const cluster = BUILTIN_CLUSTER_SERVING_RUNTIMES as Obj[];

test('built-ins: each served format auto-selects its KServe runtime', () => {
  assert.equal(pick(selectRuntime(isvc({ modelFormat: { name: 'sklearn' } }), [], cluster)), 'ClusterServingRuntime/kserve-sklearnserver/v1');
  assert.equal(pick(selectRuntime(isvc({ modelFormat: { name: 'xgboost', version: '2' } }), [], cluster)), 'ClusterServingRuntime/kserve-xgbserver/v1');
  assert.equal(pick(selectRuntime(isvc({ modelFormat: { name: 'lightgbm' }, protocolVersion: 'v2' }), [], cluster)), 'ClusterServingRuntime/kserve-lgbserver/v2');
  assert.equal(pick(selectRuntime(isvc({ modelFormat: { name: 'pmml', version: '3' } }), [], cluster)), 'ClusterServingRuntime/kserve-pmmlserver/v1');
  assert.equal(pick(selectRuntime(isvc({ modelFormat: { name: 'onnx' }, protocolVersion: 'v2' }), [], cluster)), 'ClusterServingRuntime/kserve-tritonserver/v2');
});

test('ONNX without a protocolVersion asks for v1, which Triton does not speak (as in KServe)', () => {
  const r = selectRuntime(isvc({ modelFormat: { name: 'onnx' } }), [], cluster);
  assert.ok('error' in r);
  assert.equal(r.error.reason, 'NoSupportingRuntime');
  assert.match(r.error.message, /onnx with protocol v1/);
});

test('version matching is exact on the label: mt:name or mt:name:version', () => {
  assert.equal(pick(selectRuntime(isvc({ modelFormat: { name: 'xgboost', version: '1' } }), [], cluster)), 'NoSupportingRuntime');
  assert.equal(pick(selectRuntime(isvc({ modelFormat: { name: 'xgboost', version: '2.1' } }), [], cluster)), 'NoSupportingRuntime');
  assert.equal(pick(selectRuntime(isvc({ modelFormat: { name: 'pmml', version: '4' } }), [], cluster)), 'ClusterServingRuntime/kserve-pmmlserver/v1');
});

test('unknown format: NoSupportingRuntime naming the format', () => {
  const r = selectRuntime(isvc({ modelFormat: { name: 'tensorflow', version: '2' } }), [], cluster);
  assert.deepEqual(r, { error: { reason: 'NoSupportingRuntime', message: 'No runtime found to support model format tensorflow:2 with protocol v1: no enabled ServingRuntime or ClusterServingRuntime lists it with autoSelect' } });
});

test('explicit runtime: namespace first, then cluster; not found, disabled, protocol, format', () => {
  const ns = [rt('kserve-sklearnserver', [fmt('sklearn', '1', false)], ['v2'])];
  assert.equal(pick(selectRuntime(isvc({ modelFormat: { name: 'sklearn' }, runtime: 'kserve-sklearnserver' }), ns, cluster)), 'ServingRuntime/kserve-sklearnserver/v2');
  assert.equal(pick(selectRuntime(isvc({ modelFormat: { name: 'sklearn' }, runtime: 'kserve-sklearnserver' }), [], cluster)), 'ClusterServingRuntime/kserve-sklearnserver/v1');
  assert.equal(pick(selectRuntime(isvc({ modelFormat: { name: 'sklearn' }, runtime: 'nope' }), ns, cluster)), 'RuntimeNotRecognized');
  const off = [rt('off', [fmt('sklearn')], ['v1'], { disabled: true })];
  assert.equal(pick(selectRuntime(isvc({ modelFormat: { name: 'sklearn' }, runtime: 'off' }), off, cluster)), 'RuntimeDisabled');
  assert.equal(pick(selectRuntime(isvc({ modelFormat: { name: 'sklearn' }, runtime: 'kserve-tritonserver', protocolVersion: 'v1' }), [], cluster)), 'NoSupportingRuntime');
  assert.equal(pick(selectRuntime(isvc({ modelFormat: { name: 'sklearn' }, runtime: 'kserve-xgbserver' }), [], cluster)), 'NoSupportingRuntime');
});

test('an explicitly named runtime may serve a format it does not auto-select', () => {
  const ns = [rt('manual', [fmt('custom', undefined, false)], ['v2'])];
  assert.equal(pick(selectRuntime(isvc({ modelFormat: { name: 'custom' } }), ns, [])), 'NoSupportingRuntime');
  assert.equal(pick(selectRuntime(isvc({ modelFormat: { name: 'custom' }, runtime: 'manual' }), ns, [])), 'ServingRuntime/manual/v2');
});

test('namespace runtimes win over cluster runtimes; disabled, multi-model and wrong-protocol ones are skipped', () => {
  const ns = [
    rt('disabled', [fmt('sklearn', '1', true, 9)], ['v1'], { disabled: true }),
    rt('mms', [fmt('sklearn', '1', true, 9)], ['v1'], { multiModel: true }),
    rt('v2only', [fmt('sklearn', '1', true, 9)], ['v2']),
    rt('mine', [fmt('sklearn', '1', true, 1)], ['v1']),
  ];
  assert.equal(pick(selectRuntime(isvc({ modelFormat: { name: 'sklearn' } }), ns, cluster)), 'ServingRuntime/mine/v1');
  assert.equal(pick(selectRuntime(isvc({ modelFormat: { name: 'sklearn' }, protocolVersion: 'v2' }), ns, cluster)), 'ServingRuntime/v2only/v2');
});

test('priority: higher wins; a priority beats none; ties keep the protocol/age/name order', () => {
  const a = rt('a', [fmt('sklearn', undefined, true)], ['v1']);
  const b = rt('b', [fmt('sklearn', undefined, true, 1)], ['v1']);
  const c = rt('c', [fmt('sklearn', undefined, true, 5)], ['v2']);
  assert.equal(pick(selectRuntime(isvc({ modelFormat: { name: 'sklearn' } }), [], [a, b])), 'ClusterServingRuntime/b/v1');
  const c1 = rt('c1', [fmt('sklearn', undefined, true, 5)], ['v1', 'v2']);
  assert.equal(pick(selectRuntime(isvc({ modelFormat: { name: 'sklearn' } }), [], [a, b, c1, c])), 'ClusterServingRuntime/c1/v1');
  // Equal priority: the runtime whose lowest protocol is lower comes first, then the newer, then by name.
  const old = rt('z-old', [fmt('sklearn', undefined, true, 5)], ['v1', 'v2'], {}, '2025-01-01T00:00:00Z');
  const newer = rt('z-new', [fmt('sklearn', undefined, true, 5)], ['v1', 'v2'], {}, '2026-06-01T00:00:00Z');
  const v2first = rt('a-v2', [fmt('sklearn', undefined, true, 5)], ['v2'], {}, '2026-07-01T00:00:00Z');
  assert.equal(pick(selectRuntime(isvc({ modelFormat: { name: 'sklearn' }, protocolVersion: 'v2' }), [], [v2first, old, newer])), 'ClusterServingRuntime/z-new/v2');
  const n1 = rt('n1', [fmt('sklearn', undefined, true, 5)], ['v1'], {}, '2026-06-01T00:00:00Z');
  const n0 = rt('n0', [fmt('sklearn', undefined, true, 5)], ['v1'], {}, '2026-06-01T00:00:00Z');
  assert.equal(pick(selectRuntime(isvc({ modelFormat: { name: 'sklearn' } }), [], [n1, n0])), 'ClusterServingRuntime/n0/v1');
});

test('an unset protocol takes the chosen runtime\'s lowest; multi-node needs a workerSpec runtime', () => {
  const v2 = rt('v2rt', [fmt('huggingface', '1', true, 1)], ['v2', 'v1']);
  assert.equal(pick(selectRuntime(isvc({ modelFormat: { name: 'huggingface' } }), [], [v2])), 'ClusterServingRuntime/v2rt/v1');
  const multi = rt('multi', [fmt('huggingface', '1', true, 2)], ['v2'], { workerSpec: { containers: [{ name: 'w', image: 'x' }] } });
  assert.equal(pick(selectRuntime(isvc({ modelFormat: { name: 'huggingface' }, protocolVersion: 'v2' }, { workerSpec: {} }), [], [v2, multi])), 'ClusterServingRuntime/multi/v2');
  assert.equal(pick(selectRuntime(isvc({ modelFormat: { name: 'huggingface' }, protocolVersion: 'v2' }), [], [multi])), 'NoSupportingRuntime');
});

test('a custom container predictor has no runtime to select', () => {
  const r = selectRuntime({ spec: { predictor: { containers: [{ name: 'kserve-container', image: 'x' }] } } }, [], cluster);
  assert.ok('error' in r);
  assert.match(r.error.message, /spec.predictor.model is not set/);
});

test('built-in runtimes are KServe\'s names, formats and protocols, running kserve-ts', () => {
  assert.deepEqual(cluster.map((r) => r.metadata.name), ['kserve-sklearnserver', 'kserve-xgbserver', 'kserve-lgbserver', 'kserve-pmmlserver', 'kserve-tritonserver']);
  for (const r of cluster) {
    assert.deepEqual(r.spec.containers[0].command, ['kserve-ts', 'model-server']);
    assert.deepEqual(r.spec.containers[0].args, ['--model_name={{.Name}}', '--model_dir=/mnt/models', '--http_port=8080']);
    assert.ok(Object.isFrozen(r.spec.containers[0]));
  }
  assert.deepEqual(cluster[3]!.spec.supportedModelFormats.map((f: Obj) => `${f.name}:${f.version}:${f.priority}:${f.autoSelect}`), ['pmml:3:1:true', 'pmml:4:1:true']);
});

test('opt-in admission check: an unservable model is a field error only when asked for', async () => {
  const { inferenceServiceKind } = await import('../kinds/inference-service.ts');
  const ctx = { list: async () => [] };
  const tf = (): Obj => isvc({ modelFormat: { name: 'tensorflow' }, storageUri: 'gs://b' });
  assert.deepEqual(await inferenceServiceKind().validate!(tf(), undefined, ctx), []);
  const strict = inferenceServiceKind({ rejectUnservableModels: true });
  const errors = await strict.validate!(tf(), undefined, ctx);
  assert.deepEqual(errors.map((e) => e.field), ['spec.predictor.model.modelFormat']);
  assert.match(errors[0]!.message, /^Invalid value: "tensorflow": NoSupportingRuntime: No runtime found to support model format tensorflow/);
  assert.deepEqual(await strict.validate!(isvc({ modelFormat: { name: 'sklearn' }, storageUri: 'gs://b' }), undefined, ctx), []);
  const named = await strict.validate!(isvc({ modelFormat: { name: 'sklearn' }, runtime: 'nope' }), undefined, ctx);
  assert.deepEqual(named.map((e) => [e.field, e.message.split(':')[0]]), [['spec.predictor.model.runtime', 'Invalid value']]);
  assert.match(named[0]!.message, /RuntimeNotRecognized/);
});
