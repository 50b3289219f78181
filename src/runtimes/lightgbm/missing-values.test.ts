/**
 * Missing values in JSON requests reach the LightGBM evaluator as NaN: V1 rows take null and "NaN"
 * (lists and named-feature records), V2 JSON takes "NaN" (our JSON codec's spelling). Requests go
 * through the real codecs (protocol/v1.ts, protocol/v2-json.ts) and the model's preprocess and
 * predict, as the data plane calls them. (What NaN then means — missing, or 0 under
 * missing_type None — is the evaluator's business, checked in modes.test.ts.)
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import type { InferRequest } from '../../protocol/infer.ts';
import { decodeV1Request } from '../../protocol/v1.ts';
import { decodeV2Request } from '../../protocol/v2-json.ts';
import { LightgbmModel } from './lightgbm-model.ts';
import { lightgbmFixturesDir } from './testing/fixtures.ts';

const ctx = { headers: {} };

async function irisModel(): Promise<LightgbmModel> {
  const m = new LightgbmModel({ name: 'm', modelDir: join(lightgbmFixturesDir(), 'kserve-iris') });
  await m.load();
  return m;
}

const run = (m: LightgbmModel, req: InferRequest): number[] =>
  Array.from(m.predict(m.preprocess({ ...req, parameters: { raw_score: true } }, ctx), ctx).outputs[0]!.data as Float64Array);

const tensor = (rows: number[][]): InferRequest => ({ modelName: 'm', inputs: [{ name: 'input-0', datatype: 'FP64', shape: [rows.length, 4], data: Float64Array.from(rows.flat()) }] });

const v1 = (m: LightgbmModel, instances: unknown[]): InferRequest =>
  ({ modelName: 'm', inputs: decodeV1Request({ instances }, m.metadata().inputs, m.decodeV1Instances.bind(m)) });

test('V1 rows: null and "NaN" are NaN, in lists and in named-feature records', async () => {
  const m = await irisModel();
  const want = run(m, tensor([[5.1, Number.NaN, Number.NaN, 0.2]]));
  assert.deepEqual(run(m, v1(m, [[5.1, null, 'NaN', 0.2]])), want);
  assert.deepEqual(run(m, v1(m, [[5.1, 'NaN', null, 0.2]])), want);
  const record = { 'sepal_length_(cm)': 5.1, 'sepal_width_(cm)': null, 'petal_length_(cm)': 'NaN', 'petal_width_(cm)': 0.2 };
  assert.deepEqual(run(m, v1(m, [record])), want);
  await m.unload();
});

test('V2 JSON: "NaN" is NaN', async () => {
  const m = await irisModel();
  const req = decodeV2Request({ inputs: [{ name: 'input-0', datatype: 'FP64', shape: [1, 4], data: [5.1, 'NaN', 'NaN', 0.2] }] }, 'm');
  assert.deepEqual(run(m, req), run(m, tensor([[5.1, Number.NaN, Number.NaN, 0.2]])));
  await m.unload();
});
