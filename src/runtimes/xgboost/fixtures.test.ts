/** Every XGBoost fixture reproduces the outputs XGBoost 1.7.4 gave (shared/fixtures/xgboost/README.md). */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { XgbBooster } from './booster.ts';
import { parseBoosterBytes } from './model-file.ts';
import { agaricusExpected, irisExpected, xgboostFixturesDir } from './testing/fixtures.ts';

const dir = xgboostFixturesDir();
const load = (rel: string): XgbBooster => new XgbBooster(parseBoosterBytes(readFileSync(join(dir, rel))));

function maxDiff(got: ArrayLike<number>, want: readonly number[]): number {
  assert.equal(got.length, want.length);
  let d = 0;
  for (let i = 0; i < want.length; i++) d = Math.max(d, Math.abs(got[i]! - want[i]!));
  return d;
}

for (const file of ['model.json', 'model.ubj', 'model.bst']) {
  test(`kserve-iris ${file}: classes and margins equal XGBoost's exactly`, () => {
    const b = load(`kserve-iris/${file}`);
    const want = irisExpected(dir);
    assert.equal(b.spec.trees.length, 100);
    const classes = b.predict(want.x, want.rows);
    assert.deepEqual(classes.shape, [want.rows]);
    assert.deepEqual(Array.from(classes.data), want.classes);
    const margins = b.predict(want.x, want.rows, true);
    assert.deepEqual(margins.shape, [want.rows, 10]);
    // Float32 accumulation in file order reproduces XGBoost bit for bit.
    assert.equal(maxDiff(margins.data, want.margins), 0);
  });
}

test('kserve-iris: the three formats parse to the same trees', () => {
  const [a, b, c] = ['model.json', 'model.ubj', 'model.bst'].map((f) => load(`kserve-iris/${f}`).spec);
  for (const other of [b!, c!]) {
    assert.deepEqual(other.trees, a!.trees);
    assert.deepEqual(Array.from(other.treeGroup), Array.from(a!.treeGroup));
    assert.deepEqual(other.baseScore, a!.baseScore);
  }
});

test("kserve-iris: KServe's unit and e2e assertions", () => {
  const b = load('kserve-iris/model.json');
  assert.deepEqual(Array.from(b.predict(Float32Array.of(5.1, 3.5, 1.4, 0.2), 1).data), [0]);
  assert.deepEqual(Array.from(b.predict(Float32Array.of(6.8, 2.8, 4.8, 1.4, 6.0, 3.4, 4.5, 1.6), 2).data), [1, 1]);
});

test('agaricus: absent LIBSVM features are missing (NaN), probabilities and margins match', () => {
  const b = load('agaricus-binary-logistic/agaricus.model.json');
  const want = agaricusExpected(dir, b.numFeature);
  const p = b.predict(want.x, want.rows);
  assert.deepEqual(p.shape, [want.rows]);
  assert.ok(maxDiff(p.data, want.probabilities) < 1e-6, `probabilities differ by ${maxDiff(p.data, want.probabilities)}`);
  assert.ok(maxDiff(b.predict(want.x, want.rows, true).data, want.margins) < 1e-6);
});

test('agaricus: the same rows zero-filled give the zero-filled predictions (missing is not zero)', () => {
  const b = load('agaricus-binary-logistic/agaricus.model.json');
  const want = agaricusExpected(dir, b.numFeature);
  const zeros = want.x.map((v) => (Number.isNaN(v) ? 0 : v));
  const p = b.predict(zeros, want.rows);
  assert.ok(maxDiff(p.data, want.zeroFilled) < 1e-6, `differ by ${maxDiff(p.data, want.zeroFilled)}`);
  assert.ok(maxDiff(p.data, want.probabilities) > 0.5, 'zero-filled rows should differ from missing ones');
});
