/** XgboostModel offloaded (as formats.ts serves JS evaluators): the worker's copy answers as the in-process model does. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { offload } from '../offload/offload-model.ts';
import { siblingModule } from '../worker-entry.ts';
import { XgboostModel, createXgboostModel } from './index.ts';
import { agaricusExpected, xgboostFixturesDir } from './testing/fixtures.ts';

test('1611 agaricus rows with missing values on the worker thread equal the in-process answers, margins too', async () => {
  const modelDir = join(xgboostFixturesDir(), 'agaricus-binary-logistic');
  const worker = offload(createXgboostModel, siblingModule(import.meta.url, 'index'), 'createXgboostModel', { name: 'a', modelDir }, { inlineBudgetUs: 0 });
  const local = new XgboostModel({ name: 'a', modelDir });
  await Promise.all([worker.load(), local.load()]);
  try {
    const want = agaricusExpected();
    const ctx = { headers: {} };
    for (const parameters of [undefined, { output_margin: true }]) {
      // FP64 in: preprocess (main thread) converts, the worker predicts.
      const raw = { modelName: 'a', inputs: [{ name: 'input-0', datatype: 'FP64' as const, shape: [want.rows, want.numFeature], data: Float64Array.from(want.x) }], ...(parameters ? { parameters } : {}) };
      const got = await worker.predict(await worker.preprocess(raw, ctx), ctx);
      const mine = local.predict(local.preprocess(raw, ctx));
      assert.deepEqual(got.outputs[0]!.shape, [want.rows]);
      assert.deepEqual([...(got.outputs[0]!.data as Float32Array)], [...(mine.outputs[0]!.data as Float32Array)]);
    }
    assert.equal(worker.cost.counts.worker, 2);
  } finally {
    await Promise.all([worker.unload(), local.unload()]);
  }
});
