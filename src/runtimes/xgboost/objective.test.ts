/**
 * Objectives: base_score → margin and margin → output, as XGBoost 1.7.4 computes them (checked
 * against `Booster.predict` on models of every objective trained with python3-xgboost 1.7.4).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SUPPORTED_OBJECTIVES, applyTransform, objectiveByName } from './objective.ts';
import { parseBoosterBytes } from './model-file.ts';

test('base_score is mapped to margin space per objective', () => {
  const margin = (name: string, base: number): number => objectiveByName(name)!.toMargin(base);
  assert.equal(margin('binary:logistic', 0.5) + 0, 0);
  assert.ok(Math.abs(margin('reg:logistic', 0.3) - Math.log(0.3 / 0.7)) < 1e-12);
  // logitraw takes base_score as a margin as it is (XGBoost 1.7.4: predict(output_margin) = 0.2 + trees).
  assert.equal(margin('binary:logitraw', 0.2), 0.2);
  for (const name of ['count:poisson', 'reg:gamma', 'reg:tweedie', 'survival:cox']) assert.equal(margin(name, 2), Math.log(2));
  for (const name of ['reg:squarederror', 'multi:softmax', 'multi:softprob', 'rank:ndcg', 'binary:hinge']) assert.equal(margin(name, 0.5), 0.5);
});

test('transforms: sigmoid, exp, hinge, softmax, argmax (first maximum wins)', () => {
  const t = (name: string, m: number[], groups = 1): number[] => Array.from(applyTransform(objectiveByName(name)!.transform, Float32Array.from(m), groups));
  assert.deepEqual(t('binary:logistic', [0]), [0.5]);
  assert.deepEqual(t('count:poisson', [0]), [1]);
  assert.deepEqual(t('binary:hinge', [-0.1, 0, 0.1]), [0, 0, 1]);
  assert.deepEqual(t('multi:softmax', [1, 3, 3, 0, 0, -1], 3), [1, 0]);
  const p = t('multi:softprob', [0, 0, Math.log(2)], 3);
  assert.ok(Math.abs(p[2]! - 0.5) < 1e-7 && Math.abs(p[0]! - 0.25) < 1e-7);
  assert.deepEqual(t('rank:pairwise', [1.5]), [1.5]);
});

test('every objective the issue lists is supported; unknown ones are not', () => {
  for (const name of ['reg:squarederror', 'reg:logistic', 'reg:pseudohubererror', 'reg:absoluteerror', 'binary:logistic', 'binary:logitraw',
    'binary:hinge', 'multi:softprob', 'multi:softmax', 'count:poisson', 'reg:gamma', 'reg:tweedie', 'rank:pairwise', 'rank:ndcg', 'rank:map', 'survival:cox']) {
    assert.ok(SUPPORTED_OBJECTIVES.includes(name), name);
  }
  assert.equal(objectiveByName('toString'), undefined);
  assert.equal(objectiveByName('reg:unknown'), undefined);
});

test("XGBoost's JSON writer's bare NaN (categorical split_conditions) and vector base_score parse", () => {
  const doc = `{"version":[2,0,3],"learner":{"objective":{"name":"multi:softprob"},
    "learner_model_param":{"base_score":"[1E-1,2E-1]","num_class":"2","num_feature":"1","num_target":"1"},
    "gradient_booster":{"name":"gbtree","model":{"tree_info":[0],"trees":[{"tree_param":{"size_leaf_vector":"1"},
      "left_children":[1,-1,-1],"right_children":[2,-1,-1],"split_indices":[0,0,0],"split_conditions":[NaN,1.5,-Infinity],
      "default_left":[1,0,0],"split_type":[1,0,0],"categories_nodes":[0],"categories_segments":[0],"categories_sizes":[1],"categories":[3]}]}}}}`;
  const spec = parseBoosterBytes(Buffer.from(doc));
  assert.deepEqual(spec.baseScore, [0.1, 0.2]);
  assert.ok(Number.isNaN(spec.trees[0]!.condition[0]));
  assert.equal(spec.trees[0]!.condition[2], -Infinity);
  assert.deepEqual(Array.from(spec.trees[0]!.categories.get(0)!), [3]);
});
