/**
 * fast-check arbitraries for LightGBM ensembles and rows that hit every decision rule: numerical
 * splits of each missing type and default direction, categorical bitsets, linear leaves, random
 * forest averaging; feature values at and around thresholds, zero and ±kZeroThreshold, NaN,
 * negative and huge categories. Test-only.
 */
import fc from 'fast-check';
import { type EnsembleSpec, type TreeSpec, ZERO_THRESHOLD } from '../spec.ts';

export const FEATURES = 5;
const THRESHOLDS = [0, 1, -1, 2.5, ZERO_THRESHOLD, -ZERO_THRESHOLD, 1e-300, 3];

/** Values that sit on, between and around every threshold and rule. */
export const value = fc.oneof(
  fc.constantFrom(...THRESHOLDS, NaN, -0, 1e-36, -1e-36, -0.5, 31, 32, 33, 64, 95, 3e9, -3e9, Infinity, -Infinity),
  fc.integer({ min: -2, max: 100 }),
  fc.double({ noNaN: true, min: -10, max: 10 }),
);

export const rows = fc.array(fc.array(value, { minLength: FEATURES, maxLength: FEATURES }), { minLength: 1, maxLength: 8 });

/** A tree grown as LightGBM grows one: split leaves one at a time (leaf j → node n, children ~j and ~new). */
const tree = (linear: boolean): fc.Arbitrary<TreeSpec> =>
  fc.record({
    splits: fc.array(fc.record({
      leaf: fc.nat(), feature: fc.nat(FEATURES - 1), threshold: fc.constantFrom(...THRESHOLDS),
      categorical: fc.boolean(), missing: fc.nat(2), defaultLeft: fc.boolean(),
      words: fc.array(fc.integer({ min: 0, max: 0xffffffff }), { minLength: 1, maxLength: 3 }),
    }), { maxLength: 12 }),
    values: fc.array(fc.double({ noNaN: true, noDefaultInfinity: true, min: -5, max: 5 }), { minLength: 13, maxLength: 13 }),
    coeffs: fc.array(fc.array(fc.tuple(fc.nat(FEATURES - 1), fc.double({ noNaN: true, min: -2, max: 2 })), { maxLength: 2 }), { minLength: 13, maxLength: 13 }),
  }).map(({ splits, values, coeffs }) => {
    const n = splits.length;
    const t: TreeSpec = {
      numLeaves: n + 1, numCat: 0, splitFeature: new Int32Array(n), threshold: new Float64Array(n), decisionType: new Uint8Array(n),
      leftChild: new Int32Array(n), rightChild: new Int32Array(n), leafValue: Float64Array.from(values.slice(0, n + 1)),
      catBoundaries: new Int32Array(0), catThreshold: new Uint32Array(0), linear: undefined, shrinkage: 1,
    };
    const parentOf: { node: number; left: boolean }[] = [];
    const bounds = [0];
    const words: number[] = [];
    splits.forEach((s, node) => {
      const leaf = s.leaf % (node + 1);
      // Re-point the leaf's parent at this node; the old leaf becomes the left child.
      const p = parentOf[leaf];
      if (p) (p.left ? t.leftChild : t.rightChild)[p.node] = node;
      t.leftChild[node] = ~leaf;
      t.rightChild[node] = ~(node + 1);
      parentOf[leaf] = { node, left: true };
      parentOf[node + 1] = { node, left: false };
      t.splitFeature[node] = s.feature;
      t.decisionType[node] = (s.categorical ? 1 : 0) | (s.defaultLeft ? 2 : 0) | (s.missing << 2);
      if (s.categorical) {
        t.threshold[node] = t.numCat++;
        words.push(...s.words);
        bounds.push(words.length);
      } else t.threshold[node] = s.threshold;
    });
    if (t.numCat > 0) {
      t.catBoundaries = Int32Array.from(bounds);
      t.catThreshold = Uint32Array.from(words);
    }
    if (linear) {
      const per = coeffs.slice(0, n + 1);
      t.linear = {
        leafConst: Float64Array.from(values.slice(0, n + 1), (v) => v / 2),
        leafFeatures: per.map((c) => Int32Array.from(c, ([f]) => f)),
        leafCoeff: per.map((c) => Float64Array.from(c, ([, w]) => w)),
      };
    }
    return t;
  });

export const ensemble: fc.Arbitrary<EnsembleSpec> = fc
  .record({ k: fc.constantFrom(1, 3), iterations: fc.integer({ min: 1, max: 4 }), linear: fc.boolean(), averageOutput: fc.boolean() })
  .chain(({ k, iterations, linear, averageOutput }) =>
    fc.array(tree(linear), { minLength: k * iterations, maxLength: k * iterations }).map((trees) => ({
      version: 'v4', numClass: k, numTreePerIteration: k, labelIndex: 0, maxFeatureIdx: FEATURES - 1,
      objective: k === 1 ? 'regression' : `multiclass num_class:${k}`,
      featureNames: Array.from({ length: FEATURES }, (_, i) => `f${i}`), averageOutput, trees,
    })),
  );
