/**
 * Random-forest mode, linear trees and zero-as-missing through LightgbmModel, on small models
 * written by hand (worked numbers in each test).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { InferRequest } from '../../protocol/infer.ts';
import { LightgbmModel } from './lightgbm-model.ts';
import type { EnsembleSpec, TreeSpec } from './spec.ts';
import { ZERO_THRESHOLD } from './spec.ts';
import { writeModelText } from './testing/write-model.ts';

const tmp = mkdtempSync(join(tmpdir(), 'lgbm-modes-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** A stump on feature 0: x <= threshold → leaf 0, else leaf 1. */
function stump(leaves: [number, number], threshold: number, decisionType: number): TreeSpec {
  return {
    numLeaves: 2, numCat: 0, splitFeature: Int32Array.of(0), threshold: Float64Array.of(threshold), decisionType: Uint8Array.of(decisionType),
    leftChild: Int32Array.of(-1), rightChild: Int32Array.of(-2), leafValue: Float64Array.from(leaves),
    catBoundaries: new Int32Array(0), catThreshold: new Uint32Array(0), linear: undefined, shrinkage: 1,
  };
}

async function modelOf(spec: Partial<EnsembleSpec> & Pick<EnsembleSpec, 'trees'>): Promise<LightgbmModel> {
  const dir = mkdtempSync(join(tmp, 'm-'));
  writeFileSync(join(dir, 'model.txt'), writeModelText({
    version: 'v4', numClass: 1, numTreePerIteration: 1, labelIndex: 0, maxFeatureIdx: 1, objective: 'regression',
    featureNames: ['a', 'b'], averageOutput: false, ...spec,
  }));
  const m = new LightgbmModel({ name: 'm', modelDir: dir });
  await m.load();
  return m;
}

const run = (m: LightgbmModel, rows: number[][], raw = false): number[] => {
  const req: InferRequest = { modelName: 'm', inputs: [{ name: 'input-0', datatype: 'FP64', shape: [rows.length, 2], data: Float64Array.from(rows.flat()) }] };
  if (raw) req.parameters = { raw_score: true };
  return [...(m.predict(req).outputs[0]!.data as Float64Array)];
};

test('average_output: binary RF of 2 trees → sigmoid of the mean; raw_score is the sum (LightGBM PredictRaw)', async () => {
  // x = 0: leaves 1 and 3 → mean 2 → sigmoid(2) = 0.8808; raw 4.
  const m = await modelOf({ objective: 'binary sigmoid:1', averageOutput: true, trees: [stump([1, -1], 0.5, 0), stump([3, -3], 0.5, 0)] });
  assert.deepEqual(run(m, [[0, 0]]), [1 / (1 + Math.exp(-2))]);
  assert.deepEqual(run(m, [[0, 0]], true), [4]);
});

test('linear tree: leaf_const + coeff·x, and the plain leaf value when a feature it uses is NaN', async () => {
  const t = stump([10, 20], 0.5, 0);
  t.linear = { leafConst: Float64Array.of(1, 2), leafFeatures: [Int32Array.of(1), Int32Array.of()], leafCoeff: [Float64Array.of(0.5), Float64Array.of()] };
  const m = await modelOf({ trees: [t] });
  // Row [0, 4]: left leaf, 1 + 0.5·4 = 3. Row [0, NaN]: NaN in feature 1 → leaf_value 10. Row [1, 4]: right leaf, const 2.
  assert.deepEqual(run(m, [[0, 4], [0, NaN], [1, 4]]), [3, 10, 2]);
});

test('a one-leaf tree may leave out its empty split arrays (a constant model)', async () => {
  const dir = mkdtempSync(join(tmp, 'c-'));
  const text = 'tree\nversion=v4\nnum_class=1\nnum_tree_per_iteration=1\nlabel_index=0\nmax_feature_idx=1\nobjective=poisson\n' +
    'feature_names=a b\n\nTree=0\nnum_leaves=1\nnum_cat=0\nleaf_value=0.5\nshrinkage=1\n\n\nend of trees\n';
  writeFileSync(join(dir, 'model.txt'), text);
  const m = new LightgbmModel({ name: 'm', modelDir: dir });
  await m.load();
  assert.deepEqual(run(m, [[1, 2], [NaN, NaN]]), [Math.exp(0.5), Math.exp(0.5)]);
});

test('missing types: None treats NaN as 0; Zero sends |x| <= kZeroThreshold (float 1e-35) and NaN the default way; NaN type sends only NaN', async () => {
  // Threshold -1: every non-missing value in these rows goes right (leaf value 2) by the comparison.
  const none = await modelOf({ trees: [stump([1, 2], -1, 0)] });
  const zeroLeft = await modelOf({ trees: [stump([1, 2], -1, (1 << 2) | 2)] });
  const nanLeft = await modelOf({ trees: [stump([1, 2], -1, (2 << 2) | 2)] });
  const xs = [[NaN, 0], [0, 0], [ZERO_THRESHOLD, 0], [1e-35, 0], [1.1e-35, 0], [-1e-36, 0], [5, 0]];
  assert.deepEqual(run(none, xs), [2, 2, 2, 2, 2, 2, 2]);
  assert.deepEqual(run(zeroLeft, xs), [1, 1, 1, 1, 2, 1, 2]);
  assert.deepEqual(run(nanLeft, xs), [1, 2, 2, 2, 2, 2, 2]);
});
