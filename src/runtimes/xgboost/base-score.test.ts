/**
 * XGBoost ≥ 2.0 vector base_score, as 2.x/3.x write it: learner_model_param.base_score is the
 * string "[1E-1,2E-1,7E-1]", one intercept per output group (class or target).
 *
 * The rule (upstream src/objective/*, `ObjFunction::ProbToMargin(linalg::Vector<float>*)`): the
 * objective's link is applied to each entry on its own, and margin[g] = link(base_score[g]) + Σ
 * leaves of group g's trees. multi:softprob/softmax do not override ProbToMargin (identity): their
 * base_score is already a margin (upstream's current multiclass InitEstimation stores centred log class
 * frequencies), so the vector is added as it is, then softmax. reg:squarederror is identity too;
 * reg:logistic maps each entry by logit, count:poisson by log. booster.ts implements exactly this.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { XgbBooster } from './booster.ts';
import { parseBoosterBytes } from './model-file.ts';

const leaf = (v: number): object => ({ tree_param: { size_leaf_vector: '1' }, left_children: [-1], right_children: [-1], split_indices: [0], split_conditions: [v], default_left: [0] });
/** x0 < threshold → left leaf, else right; missing goes left when defaultLeft. */
const stump = (threshold: number, left: number, right: number, defaultLeft: 0 | 1): object => ({
  tree_param: { size_leaf_vector: '1' },
  left_children: [1, -1, -1], right_children: [2, -1, -1], split_indices: [0, 0, 0],
  split_conditions: [threshold, left, right], default_left: [defaultLeft, 0, 0],
});

function booster(objective: string, baseScore: string, param: { num_class?: string; num_target?: string }, trees: object[], info: number[]): XgbBooster {
  const doc = {
    version: [2, 1, 3],
    learner: {
      objective: { name: objective },
      learner_model_param: { base_score: baseScore, num_feature: '1', num_class: '0', num_target: '1', ...param },
      gradient_booster: { name: 'gbtree', model: { trees, tree_info: info } },
    },
  };
  return new XgbBooster(parseBoosterBytes(Buffer.from(JSON.stringify(doc))));
}

const close = (got: ArrayLike<number>, want: number[], what: string): void => {
  assert.equal(got.length, want.length, what);
  for (let i = 0; i < want.length; i++) assert.ok(Math.abs(got[i]! - want[i]!) < 1e-6, `${what}[${i}]: ${got[i]} vs ${want[i]}`);
};
const softmax = (m: number[]): number[] => {
  const e = m.map((v) => Math.exp(v - Math.max(...m)));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
};
const x = Float32Array.from([0, 2, Number.NaN]);

test('multi:softprob: the vector base_score is added per class as a margin, then softmax', () => {
  const b = booster('multi:softprob', '[1E-1,2E-1,7E-1]', { num_class: '3' },
    [stump(0.5, 0.3, -0.2, 0), leaf(0.5), stump(1, 0.1, 0.4, 1)], [0, 1, 2]);
  // Row 0 (x=0):   [0.1+0.3, 0.2+0.5, 0.7+0.1] = [0.4, 0.7, 0.8]
  // Row 1 (x=2):   [0.1-0.2, 0.2+0.5, 0.7+0.4] = [-0.1, 0.7, 1.1]
  // Row 2 (NaN): tree 0 defaults right (-0.2), tree 2 left (0.1): [-0.1, 0.7, 0.8]
  const margins = [[0.4, 0.7, 0.8], [-0.1, 0.7, 1.1], [-0.1, 0.7, 0.8]];
  const m = b.predict(x, 3, true);
  assert.deepEqual(m.shape, [3, 3]);
  close(m.data, margins.flat(), 'margins');
  const p = b.predict(x, 3);
  assert.deepEqual(p.shape, [3, 3]);
  close(p.data, margins.flatMap(softmax), 'probabilities');
  // multi:softmax: the same margins, argmax per row → class 2 in every row.
  const ids = booster('multi:softmax', '[1E-1,2E-1,7E-1]', { num_class: '3' },
    [stump(0.5, 0.3, -0.2, 0), leaf(0.5), stump(1, 0.1, 0.4, 1)], [0, 1, 2]).predict(x, 3);
  assert.deepEqual(Array.from(ids.data), [2, 2, 2]);
});

test('multi-target regression: one intercept per target, identity link', () => {
  const b = booster('reg:squarederror', '[1E-1,-2.5E0]', { num_target: '2' },
    [stump(0.5, 1, 2, 1), stump(0.5, 10, 20, 0), leaf(-0.5)], [0, 1, 1]);
  // target 0: 0.1 + (x<0.5 ? 1 : 2), missing left; target 1: -2.5 + (x<0.5 ? 10 : 20) - 0.5, missing right.
  const want = [[1.1, 7], [2.1, 17], [1.1, 17]];
  const out = b.predict(x, 3);
  assert.deepEqual(out.shape, [3, 2]);
  close(out.data, want.flat(), 'values');
  close(b.predict(x, 3, true).data, want.flat(), 'margins (identity)');
});

test('multi-target reg:logistic: each intercept goes through logit on its own', () => {
  const b = booster('reg:logistic', '[2.5E-1,5E-1]', { num_target: '2' }, [stump(0.5, 1, -1, 0), leaf(0.25)], [0, 1]);
  const logit = (p: number): number => Math.log(p / (1 - p));
  const margins = [[logit(0.25) + 1, 0.25], [logit(0.25) - 1, 0.25], [logit(0.25) - 1, 0.25]];
  close(b.predict(x, 3, true).data, margins.flat(), 'margins');
  close(b.predict(x, 3).data, margins.flat().map((m) => 1 / (1 + Math.exp(-m))), 'probabilities');
  // A scalar base_score (pre-2.0 files, or "[5E-1]") applies to every group alike.
  const one = booster('reg:logistic', '[5E-1]', { num_target: '2' }, [stump(0.5, 1, -1, 0), leaf(0.25)], [0, 1]);
  close(one.predict(x, 1, true).data, [1, 0.25], 'scalar base_score margins');
});

test('a vector base_score whose length is not the number of output groups fails the load', () => {
  assert.throws(() => booster('multi:softprob', '[1E-1,2E-1]', { num_class: '3' }, [leaf(0)], [0]), /base_score: 2 values for 3 output groups/);
  assert.throws(() => booster('reg:logistic', '[0E0,5E-1]', { num_target: '2' }, [leaf(0)], [0]), /no finite margin/);
});
