/**
 * Missing values in JSON requests reach the evaluator as NaN (the default branch), never 0: V1
 * rows take null and "NaN", V2 JSON takes "NaN" (our JSON codec's spelling). Requests go through
 * the real codecs (protocol/v1.ts, protocol/v2-json.ts) and the model's preprocess/predict, as
 * the data plane calls them.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { ServingError } from '../../core/errors.ts';
import type { InferRequest } from '../../protocol/infer.ts';
import { decodeV1Request } from '../../protocol/v1.ts';
import { decodeV2Request } from '../../protocol/v2-json.ts';
import { XgboostModel } from './xgboost-model.ts';
import { xgboostFixturesDir } from './testing/fixtures.ts';

const ctx = { headers: {} };

async function irisModel(): Promise<XgboostModel> {
  const m = new XgboostModel({ name: 'm', modelDir: join(xgboostFixturesDir(), 'kserve-iris', 'model.json') });
  await m.load();
  return m;
}

function run(m: XgboostModel, req: InferRequest, margin = false): number[] {
  const r = m.preprocess(margin ? { ...req, parameters: { output_margin: true } } : req, ctx);
  return Array.from(m.predict(r, ctx).outputs[0]!.data as Float32Array);
}

/** What the evaluator itself gives for the row, NaN as missing. */
const direct = (m: XgboostModel, row: number[]): number[] => Array.from(m.evaluator!.predict(Float32Array.from(row), 1, true).data);

function v1(m: XgboostModel, instances: unknown[]): InferRequest {
  return { modelName: 'm', inputs: decodeV1Request({ instances }, m.metadata().inputs, m.decodeV1Instances.bind(m)) };
}

test('V1 rows: null and "NaN" are missing values, and differ from 0', async () => {
  const m = await irisModel();
  const want = direct(m, [5.1, Number.NaN, Number.NaN, 0.2]);
  const zero = direct(m, [5.1, 0, 0, 0.2]);
  assert.notDeepEqual(want, zero, 'the fixture must tell missing from 0 for this row');
  assert.deepEqual(run(m, v1(m, [[5.1, null, 'NaN', 0.2]]), true), want);
  assert.deepEqual(run(m, v1(m, [[5.1, 'NaN', null, 0.2], [5.1, 0, 0, 0.2]]), true), [...want, ...zero]);
  // Classes come out too (multi:softmax on this fixture), and a plain row is unchanged.
  assert.equal(run(m, v1(m, [[5.1, 3.5, 1.4, 0.2]]))[0], 0);
  await m.unload();
});

test('V1 rows: wrong length and non-numbers are INVALID_INPUT naming the place', async () => {
  const m = await irisModel();
  const invalid = (pattern: RegExp) => (e: unknown): boolean => e instanceof ServingError && e.code === 'INVALID_INPUT' && pattern.test(e.message);
  assert.throws(() => v1(m, [[1, 2, 3]]), invalid(/instances\[0\].*4 features/));
  assert.throws(() => v1(m, [[1, 2, 'x', 4]]), invalid(/instances\[0\]\[2\]/));
  assert.throws(() => v1(m, [1, 2, 3, 4]), invalid(/instances\[0\].*a list of 4 numbers/));
  await m.unload();
});

test('V2 JSON: "NaN" is a missing value', async () => {
  const m = await irisModel();
  const req = decodeV2Request({ inputs: [{ name: 'input-0', datatype: 'FP32', shape: [1, 4], data: [5.1, 'NaN', 'NaN', 0.2] }] }, 'm');
  assert.deepEqual(run(m, req, true), direct(m, [5.1, Number.NaN, Number.NaN, 0.2]));
  await m.unload();
});
