/** Format detection from the real fixtures' files (extensions, and first bytes where shared). */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { detectFormat } from './detect-format.ts';

const F = '../shared/fixtures';

test('each fixture model is recognised', async () => {
  assert.equal(await detectFormat('examples/models/iris'), 'onnx');
  assert.equal(await detectFormat(`${F}/xgboost/kserve-iris/model.json`), 'xgboost');
  assert.equal(await detectFormat(`${F}/xgboost/kserve-iris/model.ubj`), 'xgboost');
  assert.equal(await detectFormat(`${F}/xgboost/kserve-iris/model.bst`), 'xgboost');
  assert.equal(await detectFormat(`${F}/lightgbm/kserve-iris/model.bst`), 'lightgbm', "KServe's lgbserver model.bst is a LightGBM text model");
  assert.equal(await detectFormat(`${F}/lightgbm/kserve-iris`), 'lightgbm');
  assert.equal(await detectFormat(`${F}/pmml/kserve`), 'pmml');
});

test('JSON that is not an XGBoost model, unknown files and missing paths identify nothing', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kserve-ts-detect-'));
  try {
    await writeFile(join(dir, 'dump.json'), '{"name": "tree", "version": "v4", "num_class": 1, "tree_info": []}');
    assert.equal(await detectFormat(join(dir, 'dump.json')), 'lightgbm');
    await rm(join(dir, 'dump.json'));
    await writeFile(join(dir, 'config.json'), '{"instances": [[1, 2]]}');
    await writeFile(join(dir, 'README.md'), '# model');
    assert.equal(await detectFormat(dir), undefined);
    assert.equal(await detectFormat(join(dir, 'absent')), undefined);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
