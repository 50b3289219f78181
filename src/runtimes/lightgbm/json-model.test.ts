/**
 * The JSON dump (`dump_model()`): a small dump written by hand, with a categorical and a
 * NaN-missing split, evaluates as its text form does; bad dumps fail naming the JSON path.
 * (Checked once against LightGBM 4.7's own dumps of the three fixtures: bit-identical raw scores.)
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { LightgbmModel } from './lightgbm-model.ts';
import { compileEnsemble, predictRaw } from './compile.ts';
import { isLightgbmJson, parseLightgbmJson } from './json-model.ts';
import { LightgbmFormatError } from './text-format.ts';

const leaf = (i: number, v: number): object => ({ leaf_index: i, leaf_value: v });
const dump = (root: object, extra: object = {}): string => JSON.stringify({
  name: 'tree', version: 'v4', num_class: 1, num_tree_per_iteration: 1, label_index: 0, max_feature_idx: 1,
  objective: 'regression', average_output: false, feature_names: ['c', 'x'],
  tree_info: [{ tree_index: 0, num_leaves: 3, num_cat: 1, shrinkage: 1, tree_structure: root, ...extra }],
});

// c in {1, 3, 33} → leaf 0 (1.0); otherwise x NaN → left (leaf 1, 2.0), x <= 0.5 → leaf 1, else leaf 2 (3.0).
const model = dump({
  split_index: 0, split_feature: 0, threshold: '1||3||33', decision_type: '==', default_left: false, missing_type: 'NaN',
  left_child: leaf(0, 1),
  right_child: {
    split_index: 1, split_feature: 1, threshold: 0.5, decision_type: '<=', default_left: true, missing_type: 'NaN',
    left_child: leaf(1, 2), right_child: leaf(2, 3),
  },
});

test('a hand-written dump: categories 1, 3, 33 go left; NaN follows default_left; x <= 0.5 goes left', () => {
  assert.ok(isLightgbmJson(model));
  const spec = parseLightgbmJson(model);
  assert.deepEqual([...spec.trees[0]!.catThreshold], [0b1010, 0b10]);
  const c = compileEnsemble(spec);
  const rows = [[1, 9], [33, 9], [2, NaN], [2, 0.5], [2, 0.6], [NaN, 0], [-1, 9], [64, 9]];
  const out = new Float64Array(rows.length);
  predictRaw(c, Float64Array.from(rows.flat()), rows.length, out, true);
  assert.deepEqual([...out], [1, 1, 2, 2, 3, 2, 3, 3]);
});

test('bad dumps name the JSON path', () => {
  const bad = (text: string, re: RegExp): void => assert.throws(() => parseLightgbmJson(text), (e: unknown) => e instanceof LightgbmFormatError && re.test(e.message));
  bad('{"tree_info": [', /not valid JSON/);
  bad(dump(leaf(0, 1)), /tree_info\[0\]: leaf_value: "missing" is not a number|tree_info\[0\]/);
  bad(dump({ split_index: 0, split_feature: 0, threshold: 1, decision_type: '<=', missing_type: 'Sometimes', left_child: leaf(0, 1), right_child: leaf(1, 2) }), /missing_type: "Sometimes"/);
  bad(dump({ split_index: 0, split_feature: 0, threshold: 1, decision_type: '<=', left_child: leaf(0, 1), right_child: leaf(0, 2) }), /leaf_index 0 is out of range or repeated/);
  bad(dump({ split_index: 0, split_feature: 7, threshold: 1, decision_type: '<=', left_child: leaf(0, 1), right_child: { leaf_index: 1, leaf_value: 1, leaf_coeff: [1] } }), /linear trees are not supported in JSON dumps/);
});

test('a model dir holding a JSON dump loads and predicts', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lgbm-json-'));
  try {
    writeFileSync(join(dir, 'model.json'), model);
    const m = new LightgbmModel({ name: 'j', modelDir: dir });
    await m.load();
    assert.deepEqual(m.featureNames, ['c', 'x']);
    const out = m.predict({ modelName: 'j', inputs: [{ name: 'input-0', datatype: 'FP64', shape: [1, 2], data: Float64Array.of(3, 1) }] });
    assert.deepEqual([...(out.outputs[0]!.data as Float64Array)], [1]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
