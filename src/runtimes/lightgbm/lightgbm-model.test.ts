/** LightgbmModel in process: load, metadata, KServe's asserted probabilities, raw scores, V1 rows, bad input. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ServingError } from '../../core/errors.ts';
import type { InferRequest } from '../../protocol/infer.ts';
import type { Tensor } from '../../protocol/tensor.ts';
import { LightgbmModel } from './lightgbm-model.ts';
import { lightgbmFixturesDir, readTable } from './testing/fixtures.ts';

const dir = lightgbmFixturesDir();
const iris = join(dir, 'kserve-iris');
const ctx = { headers: {} };
const payloads = join(dir, '../kserve-payloads/e2e-data');

async function loaded(modelDir: string): Promise<LightgbmModel> {
  const m = new LightgbmModel({ name: 'm', modelDir });
  await m.load();
  return m;
}

function req(t: Partial<Tensor> & Pick<Tensor, 'data' | 'shape'>, parameters?: InferRequest['parameters']): InferRequest {
  const r: InferRequest = { modelName: 'm', inputs: [{ name: 'input-0', datatype: 'FP64', ...t }] };
  if (parameters) r.parameters = parameters;
  return r;
}

function isInvalidInput(pattern: RegExp): (e: unknown) => boolean {
  return (e) => e instanceof ServingError && e.code === 'INVALID_INPUT' && pattern.test(e.message);
}

test('kserve-iris: metadata, feature names, and KServe test_model.py probabilities to the last digit', async () => {
  const m = await loaded(iris);
  assert.deepEqual(m.metadata().inputs, [{ name: 'input-0', datatype: 'FP64', shape: [-1, 4] }]);
  assert.deepEqual(m.metadata().outputs, [{ name: 'output-0', datatype: 'FP64', shape: [-1, 3] }]);
  assert.deepEqual(m.featureNames, ['sepal_length_(cm)', 'sepal_width_(cm)', 'petal_length_(cm)', 'petal_width_(cm)']);
  assert.equal(m.objective, 'multiclass');
  const rows = readTable(join(iris, 'kserve_probe.csv')).map((r) => r.slice(1));
  const out = m.predict(req({ shape: [4, 4], data: Float64Array.from(rows.flat()) }));
  assert.deepEqual(out.outputs[0]!.shape, [4, 3]);
  const got = [...(out.outputs[0]!.data as Float64Array)];
  // KServe's lgbserver test asserts these two rows exactly.
  assert.deepEqual(got.slice(0, 6), [3.7899802486733807e-06, 0.99969820741142035, 0.00029800260833088297, 5.2172911836629736e-05, 0.99973341723875997, 0.00021440984940336599]);
  const want = readTable(join(iris, 'probe_pred.txt')).flat();
  got.forEach((v, i) => assert.ok(Math.abs(v - want[i]!) <= 1e-9 * Math.abs(want[i]!), `value ${i}: ${v} vs ${want[i]}`));
});

test('raw_score: true gives margins; FP32 and INT32 inputs are converted to float64 in preprocess', async () => {
  const m = await loaded(iris);
  const raw = m.predict(req({ shape: [1, 4], data: new Float64Array([5.1, 3.5, 1.4, 0.2]) }, { raw_score: true }));
  const wantRaw = readTable(join(iris, 'iris_raw.txt'))[0]!;
  (raw.outputs[0]!.data as Float64Array).forEach((v, i) => assert.ok(Math.abs(v - wantRaw[i]!) <= 1e-9 * Math.abs(wantRaw[i]!)));
  assert.throws(() => m.predict(req({ shape: [1, 4], data: new Float64Array(4) }, { raw_score: 'yes' })), isInvalidInput(/raw_score/));
  const f32 = m.preprocess(req({ datatype: 'FP32', shape: [1, 4], data: new Float32Array([6.8, 2.8, 4.8, 1.6]) }), ctx);
  assert.equal(f32.inputs[0]!.datatype, 'FP64');
  const i32 = m.preprocess(req({ name: 'x', datatype: 'INT32', shape: [1, 4], data: new Int32Array([5, 3, 1, 0]) }), ctx);
  assert.deepEqual([...(i32.inputs[0]!.data as Float64Array)], [5, 3, 1, 0]);
  assert.equal(i32.inputs[0]!.name, 'input-0');
});

test('binary: one probability per row ([N], as Booster.predict), regression: one value per row', async () => {
  const bin = await loaded(join(dir, 'binary_classification'));
  assert.deepEqual(bin.metadata().outputs[0]!.shape, [-1]);
  const rows = readTable(join(dir, 'binary_classification/binary.test')).slice(0, 3).map((r) => r.slice(1));
  const out = bin.predict(req({ shape: [3, 28], data: Float64Array.from(rows.flat()) }));
  assert.deepEqual(out.outputs[0]!.shape, [3]);
  const want = readTable(join(dir, 'binary_classification/LightGBM_predict_result.txt')).slice(0, 3).flat();
  (out.outputs[0]!.data as Float64Array).forEach((v, i) => assert.ok(Math.abs(v - want[i]!) <= 1e-9 * want[i]!));
  const reg = await loaded(join(dir, 'regression/LightGBM_model.txt'));
  assert.equal(reg.objective, 'regression');
});

test('bad input: wrong feature count, wrong row length, BYTES, two inputs', async () => {
  const m = await loaded(iris);
  assert.throws(() => m.predict(req({ shape: [1, 3], data: new Float64Array(3) })), isInvalidInput(/inputs\[0\]\.shape.*4 features/));
  assert.throws(() => m.predict(req({ shape: [2, 4], data: new Float64Array(4) })), isInvalidInput(/8 for shape/));
  assert.throws(() => m.preprocess(req({ datatype: 'BYTES', shape: [1, 4], data: [new Uint8Array(1)] }), ctx), isInvalidInput(/BYTES/));
  const two: InferRequest = { modelName: 'm', inputs: [req({ shape: [1, 4], data: new Float64Array(4) }).inputs[0]!, req({ shape: [1, 4], data: new Float64Array(4) }).inputs[0]!] };
  assert.throws(() => m.predict(two), isInvalidInput(/one input/));
});

test('decodeV1Instances: KServe iris_input_v3/v4/v5 (named features) give class 0 for [5.1, 3.5, 1.4, 0.2]', async () => {
  const m = await loaded(iris);
  for (const [file, row] of [['iris_input_v3.json', [5.1, 3.5, 1.4, 0.2]], ['iris_input_v4.json', [5.1, 3.5, 1.4, 0.2]], ['iris_input_v5.json', [5.1, 3.5, 1.4, NaN]]] as const) {
    const body = JSON.parse(readFileSync(join(payloads, file), 'utf8')) as { inputs: unknown[] };
    const [t] = m.decodeV1Instances(body.inputs);
    assert.deepEqual(t!.shape, [1, 4], file);
    assert.deepEqual([...(t!.data as Float64Array)], row, file);
    const p = [...(m.predict(m.preprocess({ modelName: 'm', inputs: [t!] }, ctx)).outputs[0]!.data as Float64Array)];
    assert.equal(p.indexOf(Math.max(...p)), 0, file);
  }
});

test('decodeV1Instances: lists, column records, null/"NaN", and what is refused', async () => {
  const m = await loaded(iris);
  const [a] = m.decodeV1Instances([[6.8, 2.8, 4.8, 1.6], { 'petal_width_(cm)': null, 'sepal_length_(cm)': 'Infinity' }]);
  assert.deepEqual(a!.shape, [2, 4]);
  assert.deepEqual([...(a!.data as Float64Array)], [6.8, 2.8, 4.8, 1.6, Infinity, NaN, NaN, NaN]);
  const [cols] = m.decodeV1Instances([{ 'sepal_length_(cm)': [1, 2], 'sepal_width_(cm)': [3, 4] }]);
  assert.deepEqual(cols!.shape, [2, 4]);
  assert.throws(() => m.decodeV1Instances([{ petal_colour: 1 }]), isInvalidInput(/instances\[0\]\.petal_colour.*one of the model's features/));
  assert.throws(() => m.decodeV1Instances([[1, 2, 3]]), isInvalidInput(/instances\[0\].*4 features/));
  assert.throws(() => m.decodeV1Instances([[1, 2, 'x', 4]]), isInvalidInput(/instances\[0\]\[2\]/));
  assert.throws(() => m.decodeV1Instances([{ 'sepal_length_(cm)': [1, 2], 'sepal_width_(cm)': 3 }]), isInvalidInput(/all lists/));
  assert.throws(() => m.decodeV1Instances([[{ 'sepal_length_(cm)': 1 }, { 'sepal_length_(cm)': 2 }]]), isInvalidInput(/each feature once/));
  assert.throws(() => m.decodeV1Instances(['row']), isInvalidInput(/instances\[0\]/));
});

test('before load and after unload: MODEL_NOT_READY', async () => {
  const m = new LightgbmModel({ name: 'm', modelDir: iris });
  assert.throws(() => m.metadata(), (e: unknown) => e instanceof ServingError && e.code === 'MODEL_NOT_READY');
  await m.load();
  await m.unload();
  assert.equal(m.ready, false);
  assert.throws(() => m.predict(req({ shape: [1, 4], data: new Float64Array(4) })), (e: unknown) => e instanceof ServingError && e.code === 'MODEL_NOT_READY');
});
