/** LightgbmModel offloaded (as formats.ts serves JS evaluators): the worker's copy answers as the in-process model does. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { offload } from '../offload/offload-model.ts';
import { siblingModule } from '../worker-entry.ts';
import { LightgbmModel, createLightgbmModel } from './index.ts';
import { lightgbmFixturesDir, readTable } from './testing/fixtures.ts';

test('150 iris rows on the worker thread equal the in-process predictions; V1 records decode through the wrapper', async () => {
  const modelDir = join(lightgbmFixturesDir(), 'kserve-iris');
  const worker = offload(createLightgbmModel, siblingModule(import.meta.url, 'index'), 'createLightgbmModel', { name: 'iris', modelDir }, { inlineBudgetUs: 0 });
  const local = new LightgbmModel({ name: 'iris', modelDir });
  await Promise.all([worker.load(), local.load()]);
  try {
    const rows = readTable(join(modelDir, 'iris_with_dummy_label.csv')).map((r) => r.slice(1));
    const req = { modelName: 'iris', inputs: [{ name: 'input-0', datatype: 'FP64' as const, shape: [150, 4], data: Float64Array.from(rows.flat()) }] };
    const ctx = { headers: {} };
    const got = await worker.predict(req, ctx);
    assert.deepEqual(worker.cost.counts, { inline: 0, worker: 1 });
    assert.deepEqual([...(got.outputs[0]!.data as Float64Array)], [...(local.predict(req).outputs[0]!.data as Float64Array)]);
    assert.deepEqual(worker.decodeV1Instances!([{ 'sepal_length_(cm)': 5.1 }])[0]!.shape, [1, 4]);
  } finally {
    await Promise.all([worker.unload(), local.unload()]);
  }
});
