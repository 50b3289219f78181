/**
 * Property tests: random ensembles (every decision rule, categorical bitsets, linear leaves,
 * averaging) evaluate identically, bit for bit, through the compiled evaluator and the reference
 * walk, and survive a write → parse round trip unchanged.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { compileEnsemble, predictRaw } from './compile.ts';
import { parseLightgbmModel } from './parse-model.ts';
import { referenceRaw } from './reference.ts';
import { FEATURES, ensemble, rows } from './testing/arbitrary.ts';
import { writeModelText } from './testing/write-model.ts';

test('compiled evaluator == reference walk, raw and averaged', () => {
  fc.assert(
    fc.property(ensemble, rows, fc.boolean(), (spec, xs, raw) => {
      const c = compileEnsemble(spec);
      const out = new Float64Array(xs.length * c.k);
      predictRaw(c, Float64Array.from(xs.flat()), xs.length, out, raw);
      const want = xs.flatMap((r) => referenceRaw(spec, r, raw));
      assert.deepStrictEqual([...out], want);
    }),
    { numRuns: 400 },
  );
});

test('writeModelText → parseLightgbmModel gives back the same ensemble', () => {
  fc.assert(
    fc.property(ensemble, rows, (spec, xs) => {
      const back = parseLightgbmModel(writeModelText(spec));
      assert.equal(back.trees.length, spec.trees.length);
      assert.equal(back.averageOutput, spec.averageOutput);
      const got = xs.flatMap((r) => referenceRaw(back, r, false));
      assert.deepStrictEqual(got, xs.flatMap((r) => referenceRaw(spec, r, false)));
    }),
    { numRuns: 200 },
  );
});

test('categorical: NaN, negatives and values past INT_MAX go right; -0.5 is category 0', () => {
  const spec = parseLightgbmModel(writeModelText({
    version: 'v4', numClass: 1, numTreePerIteration: 1, labelIndex: 0, maxFeatureIdx: FEATURES - 1, objective: 'regression',
    featureNames: Array.from({ length: FEATURES }, (_, i) => `f${i}`), averageOutput: false,
    trees: [{
      numLeaves: 2, numCat: 1, splitFeature: Int32Array.of(0), threshold: Float64Array.of(0), decisionType: Uint8Array.of(1),
      leftChild: Int32Array.of(-1), rightChild: Int32Array.of(-2), leafValue: Float64Array.of(1, 2),
      catBoundaries: Int32Array.of(0, 2), catThreshold: Uint32Array.of(1, 1), linear: undefined, shrinkage: 1,
    }],
  }));
  const c = compileEnsemble(spec);
  const at = (v: number): number => {
    const out = new Float64Array(1);
    predictRaw(c, Float64Array.of(v, 0, 0, 0, 0), 1, out, true);
    return out[0]!;
  };
  // Bitset words [1, 1]: categories 0 and 32 go left.
  assert.deepEqual([0, -0.5, 0.9, 32, 32.7].map(at), [1, 1, 1, 1, 1]);
  assert.deepEqual([1, 31, 33, 64, -1, NaN, 3e9, -3e9, Infinity].map(at), [2, 2, 2, 2, 2, 2, 2, 2, 2]);
});
