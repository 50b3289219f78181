import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { BUILTIN_CLUSTER_SERVING_RUNTIMES, findUnknownFields, selectRuntime, validateAgainstSchema } from '../../src/api/index.ts';
import { admit, context, kindOf, loadManifests, type Obj } from './admit.ts';

const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));
const valid = loadManifests(here('./kserve'));
const invalid = loadManifests(here('./invalid'));
const runtimes = valid.filter((m) => m.obj.kind === 'ServingRuntime').map((m) => m.obj);

test('the manifest sets cover every shape the brief lists', () => {
  assert.ok(valid.length >= 35, `${valid.length} valid manifests`);
  assert.ok(invalid.length >= 25, `${invalid.length} invalid manifests`);
  for (const m of invalid) assert.ok(m.expect, `${m.file} has an # expect: line`);
  const kinds = new Set(valid.map((m) => m.obj.kind));
  assert.deepEqual([...kinds].sort(), ['ClusterServingRuntime', 'InferenceGraph', 'InferenceService', 'ServingRuntime', 'TrainedModel']);
  const routers = new Set(valid.filter((m) => m.obj.kind === 'InferenceGraph').flatMap((m) => Object.values(m.obj.spec.nodes).map((n: any) => n.routerType)));
  assert.deepEqual([...routers].sort(), ['Ensemble', 'Sequence', 'Splitter', 'Switch']);
});

for (const m of valid) {
  test(`valid: ${m.file} (${String(m.obj.metadata.name)}) admits with no errors and no unknown fields`, async () => {
    const obj = structuredClone(m.obj);
    assert.deepEqual(await admit(obj, context(runtimes)), []);
    const schema = kindOf(obj).versions[0]!.schema;
    assert.deepEqual(findUnknownFields(obj, schema), [], 'defaulted object stays within the schema');
    assert.deepEqual(validateAgainstSchema(obj, schema), []);
  });

  test(`round trip: ${m.file} defaulted, through JSON, defaulted again, is unchanged`, async () => {
    const obj = structuredClone(m.obj);
    await admit(obj, context(runtimes));
    const json = JSON.parse(JSON.stringify(obj)) as Obj;
    await kindOf(json).default?.(json, context(runtimes));
    assert.deepEqual(json, obj);
  });
}

for (const m of invalid) {
  test(`invalid: ${m.file} is rejected at ${m.expect?.field}`, async () => {
    const errors = await admit(structuredClone(m.obj));
    const hit = errors.find((e) => e.field === m.expect!.field && e.message.includes(m.expect!.fragment));
    assert.ok(hit, `expected ${m.expect!.field}: ${m.expect!.fragment}\n got ${JSON.stringify(errors, null, 1)}`);
  });
}

test('legacy keys convert to the same spec as the model: form (goldens)', async () => {
  const byFile = new Map(valid.map((m) => [m.file, m.obj]));
  for (const key of ['sklearn', 'xgboost', 'lightgbm', 'pmml', 'tensorflow', 'pytorch']) {
    const legacy = structuredClone(byFile.get(`${key}-legacy.yaml`)!);
    const model = structuredClone(byFile.get(`${key}-model.yaml`)!);
    await admit(legacy);
    await admit(model);
    assert.deepEqual(legacy.spec, model.spec, key);
    assert.equal(legacy.metadata.annotations.modelFormat, key);
  }
  const onnx = structuredClone(byFile.get('onnx-legacy.yaml')!);
  await admit(onnx);
  assert.deepEqual(onnx.spec.predictor, { model: { modelFormat: { name: 'onnx' }, storageUri: 'gs://kfserving-examples/models/onnx', protocolVersion: 'v2' } });
  const triton = structuredClone(byFile.get('triton-legacy.yaml')!);
  await admit(triton);
  assert.deepEqual(triton.spec.predictor.model.resources, { limits: { cpu: '1', memory: '8Gi' }, requests: { cpu: '1', memory: '8Gi' } });
  assert.equal(triton.spec.predictor.model.protocolVersion, 'v2');
});

test('runtime selection for the sample InferenceServices (built-ins plus my-mlserver)', async () => {
  const got: Record<string, string> = {};
  for (const m of valid.filter((x) => x.obj.kind === 'InferenceService')) {
    const obj = structuredClone(m.obj);
    await admit(obj);
    const r = selectRuntime(obj, runtimes, BUILTIN_CLUSTER_SERVING_RUNTIMES);
    got[m.file] = 'error' in r ? r.error.reason : `${r.name}/${r.protocolVersion}`;
  }
  assert.equal(got['sklearn-model.yaml'], 'kserve-sklearnserver/v1');
  assert.equal(got['sklearn-legacy.yaml'], 'kserve-sklearnserver/v1');
  assert.equal(got['xgboost-model.yaml'], 'kserve-xgbserver/v1');
  assert.equal(got['lightgbm-legacy.yaml'], 'kserve-lgbserver/v1');
  assert.equal(got['pmml-model.yaml'], 'kserve-pmmlserver/v1');
  assert.equal(got['onnx-legacy.yaml'], 'kserve-tritonserver/v2');
  assert.equal(got['onnx-model.yaml'], 'kserve-tritonserver/v2');
  assert.equal(got['model-version-runtime.yaml'], 'kserve-xgbserver/v2');
  assert.equal(got['tensorflow-model.yaml'], 'NoSupportingRuntime');
  assert.equal(got['custom-container.yaml'], 'NoSupportingRuntime');
});
