/** Each objective's ConvertOutput, as LightGBM defines it, and the load error for one it does not know. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UnsupportedObjectiveError, objectiveOf } from './objective.ts';

const convert = (saved: string | undefined, raw: number[]): number[] => {
  const out = Float64Array.from(raw);
  objectiveOf(saved).convert?.(out, 0, raw.length);
  return [...out];
};
const sigmoid = (x: number, s = 1): number => 1 / (1 + Math.exp(-s * x));

test('regression family is the identity; `sqrt` (reg_sqrt) squares back with the sign', () => {
  for (const name of ['regression', 'regression_l1', 'huber', 'fair', 'quantile', 'mape']) {
    assert.deepEqual(convert(name, [-1.5, 2]), [-1.5, 2], name);
    assert.equal(objectiveOf(name).classifier, false);
  }
  assert.deepEqual(convert('regression sqrt', [-1.5, 2]), [-2.25, 4]);
});

test('poisson, gamma and tweedie use the exp link', () => {
  for (const name of ['poisson', 'gamma', 'tweedie tweedie_variance_power:1.5']) assert.deepEqual(convert(name, [0, 1]), [1, Math.E], name);
});

test('binary and multiclassova: sigmoid with the saved sigmoid parameter; cross_entropy: plain sigmoid', () => {
  assert.deepEqual(convert('binary sigmoid:1', [0.3]), [sigmoid(0.3)]);
  assert.deepEqual(convert('binary sigmoid:2.5', [0.3]), [sigmoid(0.3, 2.5)]);
  assert.deepEqual(convert('multiclassova num_class:3 sigmoid:2', [1, -1, 0]), [sigmoid(1, 2), sigmoid(-1, 2), 0.5]);
  assert.deepEqual(convert('cross_entropy', [0.3]), [sigmoid(0.3)]);
  assert.deepEqual(convert('cross_entropy_lambda', [0]), [Math.log(2)]);
  assert.ok(objectiveOf('binary sigmoid:1').classifier);
});

test('multiclass: softmax, max-shifted, sums to 1', () => {
  const p = convert('multiclass num_class:3', [1000, 999, 0]);
  assert.ok(Math.abs(p.reduce((a, b) => a + b) - 1) < 1e-15);
  assert.ok(p.every((v) => Number.isFinite(v)));
  assert.ok(Math.abs(p[0]! / p[1]! - Math.E) < 1e-12);
});

test('ranking and a custom objective (no objective line) give raw scores', () => {
  assert.deepEqual(convert('lambdarank', [2.5]), [2.5]);
  assert.deepEqual(convert('rank_xendcg', [2.5]), [2.5]);
  assert.equal(objectiveOf(undefined).name, 'custom');
  assert.deepEqual(convert(undefined, [2.5]), [2.5]);
});

test('an unknown objective or a bad sigmoid is an UnsupportedObjectiveError naming it', () => {
  assert.throws(() => objectiveOf('survival_cox'), (e: unknown) => e instanceof UnsupportedObjectiveError && /"survival_cox" is not supported/.test(e.message));
  assert.throws(() => objectiveOf('binary sigmoid:-1'), /sigmoid must be a positive number/);
});
