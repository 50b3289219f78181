/**
 * Property tests: random ensembles evaluate identically through the compiled flat-array
 * evaluator and the reference walk over the parsed trees, and survive a JSON and a UBJSON round
 * trip through the parsers unchanged.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { XgbBooster } from './booster.ts';
import { parseBoosterBytes } from './model-file.ts';
import { referenceMargins } from './reference.ts';
import { EDGE_VALUES, randomBooster, toJsonDocument } from './testing/random-booster.ts';
import { encodeUbjson } from './testing/ubjson-encode.ts';

/** Feature values: thresholds exactly, values a float32 ulp away, NaN, categories, anything. */
const feature = fc.oneof(
  fc.constantFrom(...EDGE_VALUES, Number.NaN, 40, 63, -0.5),
  fc.constantFrom(...EDGE_VALUES).map((v) => v + 1e-9),
  fc.double({ min: -10, max: 10, noNaN: true }),
);

const batch = fc.record({ seed: fc.integer(), cells: fc.array(feature, { minLength: 0, maxLength: 60 }) });

function rowsFor(numFeature: number, cells: number[]): { x: Float32Array; rows: number } {
  const rows = Math.floor(cells.length / numFeature);
  return { x: Float32Array.from(cells.slice(0, rows * numFeature)), rows };
}

test('compiled evaluator == reference walk on random ensembles', () => {
  fc.assert(fc.property(batch, ({ seed, cells }) => {
    const spec = randomBooster(seed);
    const b = new XgbBooster(spec);
    const { x, rows } = rowsFor(spec.numFeature, cells);
    const got = b.predict(x, rows, true).data;
    for (let r = 0; r < rows; r++) {
      const want = referenceMargins(spec, b.baseMargin, x.subarray(r * spec.numFeature, (r + 1) * spec.numFeature));
      assert.deepEqual(Array.from(got.subarray(r * b.groups, (r + 1) * b.groups)), want, `row ${r}`);
    }
  }), { numRuns: 400 });
});

test('JSON and UBJSON round trips parse to the same predictions', () => {
  fc.assert(fc.property(batch, ({ seed, cells }) => {
    const spec = randomBooster(seed);
    const doc = toJsonDocument(spec);
    const fromJson = new XgbBooster(parseBoosterBytes(Buffer.from(JSON.stringify(doc))));
    const fromUbj = new XgbBooster(parseBoosterBytes(encodeUbjson(doc)));
    const direct = new XgbBooster(spec);
    const { x, rows } = rowsFor(spec.numFeature, cells);
    const want = Array.from(direct.predict(x, rows).data);
    assert.deepEqual(Array.from(fromJson.predict(x, rows).data), want);
    assert.deepEqual(Array.from(fromUbj.predict(x, rows).data), want);
  }), { numRuns: 200 });
});

test('probabilities = softmax of margins; class ids = argmax of margins', () => {
  fc.assert(fc.property(batch, ({ seed, cells }) => {
    const spec = { ...randomBooster(seed), objective: 'multi:softprob' };
    spec.numClass = Math.max(spec.numClass, 2);
    const b = new XgbBooster({ ...spec, treeGroup: spec.treeGroup.map((g) => g % spec.numClass), linearWeights: spec.linearWeights && new Float32Array((spec.numFeature + 1) * spec.numClass) });
    const { x, rows } = rowsFor(spec.numFeature, cells);
    const m = b.predict(x, rows, true).data;
    const p = b.predict(x, rows).data;
    const ids = new XgbBooster({ ...b.spec, objective: 'multi:softmax' }).predict(x, rows).data;
    for (let r = 0; r < rows; r++) {
      const row = Array.from(m.subarray(r * b.groups, (r + 1) * b.groups));
      const max = Math.max(...row);
      const e = row.map((v) => Math.exp(v - max));
      const s = e.reduce((a, c) => a + c, 0);
      e.forEach((v, g) => assert.ok(Math.abs(v / s - p[r * b.groups + g]!) < 1e-6));
      assert.equal(ids[r], row.indexOf(max));
    }
  }), { numRuns: 200 });
});
