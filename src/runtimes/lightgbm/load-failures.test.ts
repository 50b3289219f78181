/**
 * Malformed, truncated and unsupported model files fail the load with MODEL_LOAD_FAILED and a
 * reason naming the file and line, never a crash or a hang.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ServingError } from '../../core/errors.ts';
import { LightgbmModel } from './lightgbm-model.ts';
import { parseLightgbmModel } from './parse-model.ts';
import { lightgbmFixturesDir } from './testing/fixtures.ts';
import { LightgbmFormatError } from './text-format.ts';

const iris = readFileSync(join(lightgbmFixturesDir(), 'kserve-iris/model.bst'), 'utf8');
const tmp = mkdtempSync(join(tmpdir(), 'lgbm-fail-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

async function loadError(text: string | undefined, file = 'model.bst'): Promise<string> {
  const dir = mkdtempSync(join(tmp, 'm-'));
  if (text !== undefined) writeFileSync(join(dir, file), text);
  const m = new LightgbmModel({ name: 'm', modelDir: dir });
  try {
    await m.load();
  } catch (e) {
    assert.ok(e instanceof ServingError && e.code === 'MODEL_LOAD_FAILED', String(e));
    return e.message;
  }
  assert.fail('the load succeeded');
}

/** The iris model with one line replaced (first match of `from`). */
const edit = (from: string, to: string): string => {
  assert.ok(iris.includes(from), from);
  return iris.replace(from, to);
};

const cases: [string, () => string | undefined, RegExp][] = [
  ['no model file', () => undefined, /no LightGBM model file/],
  ['not a LightGBM model', () => '{"learner": {}}', /model\.bst: line 1: expected "tree"/],
  ['unsupported version', () => edit('version=v3', 'version=v9'), /line 2: version=v9 is not supported \(supported: v3, v4\)/],
  ['unsupported objective', () => edit('objective=multiclass num_class:3', 'objective=custom_thing'), /objective "custom_thing" is not supported/],
  ['a word in leaf_value', () => edit('leaf_value=-0.91361228866810984', 'leaf_value=oops'), /line 21: leaf_value: "oops" is not a number/],
  ['too few leaf values', () => edit('leaf_value=-0.91361228866810984 ', 'leaf_value='), /line 21: leaf_value: 2 values, expected 3/],
  ['child out of range', () => edit('left_child=1 -1', 'left_child=7 -1'), /line 19: left_child: 7 \(node 0\) is out of range/],
  ['a cycle', () => edit('left_child=1 -1', 'left_child=1 0'), /node \d is reached twice/],
  ['feature out of range', () => edit('split_feature=2 1', 'split_feature=2 9'), /line 15: split_feature: feature 9 \(node 1\) is outside \[0, 3\]/],
  ['bad decision type', () => edit('decision_type=2 2', 'decision_type=2 12'), /line 18: decision_type: 12/],
  ['missing leaf_value', () => edit('leaf_value=-0.91361228866810984 -1.1986122886681099 -0.89861228866810983\n', ''), /line 12: tree section has no leaf_value= line/],
  ['trees out of order', () => edit('Tree=1\n', 'Tree=5\n'), /expected Tree=1, got Tree=5/],
  ['no end of trees', () => iris.slice(0, iris.indexOf('end of trees')), /no "end of trees" line after 300 trees: the file is truncated/],
  ['a class short', () => iris.replace(/Tree=299\n[\s\S]*?\n\n\n/, ''), /299 trees is not a multiple of num_tree_per_iteration=3/],
];

for (const [name, text, want] of cases) {
  test(`load fails: ${name}`, async () => {
    assert.match(await loadError(text()), want);
  });
}

test('every truncation of the iris model is a LightgbmFormatError naming a line, or a complete model', () => {
  const end = iris.indexOf('end of trees') + 'end of trees'.length;
  for (let cut = 0; cut < iris.length; cut += 53) {
    try {
      parseLightgbmModel(iris.slice(0, cut));
      assert.ok(cut >= end, `cut at ${cut} parsed`);
    } catch (e) {
      assert.ok(e instanceof LightgbmFormatError, `cut at ${cut}: ${String(e)}`);
      assert.match(e.message, /^line \d+: |trees|no trees/);
    }
  }
});
