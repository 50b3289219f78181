/** Every LightGBM fixture reproduces the LightGBM CLI's outputs through the compiled evaluator and the reference walk. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { compileEnsemble, predictRaw } from './compile.ts';
import { objectiveOf } from './objective.ts';
import { parseLightgbmModel } from './parse-model.ts';
import { referenceRaw } from './reference.ts';
import { lightgbmCases, relDiff } from './testing/fixtures.ts';

for (const c of lightgbmCases()) {
  test(`${c.name}: ${c.rows.length} rows match the CLI's raw scores and predictions within 1e-9 relative`, () => {
    const spec = parseLightgbmModel(readFileSync(c.model, 'utf8'));
    const compiled = compileEnsemble(spec);
    const obj = objectiveOf(spec.objective);
    const n = compiled.numFeatures;
    const k = compiled.k;
    const x = new Float64Array(c.rows.length * n);
    c.rows.forEach((r, i) => x.set(r.slice(0, n), i * n));
    const raw = new Float64Array(c.rows.length * k);
    predictRaw(compiled, x, c.rows.length, raw, true);
    const pred = new Float64Array(c.rows.length * k);
    predictRaw(compiled, x, c.rows.length, pred, false);
    let worst = 0;
    for (let i = 0; i < c.rows.length; i++) {
      obj.convert?.(pred, i * k, k);
      const ref = referenceRaw(spec, c.rows[i]!, true);
      for (let j = 0; j < k; j++) {
        assert.equal(raw[i * k + j], ref[j], `row ${i} class ${j}: compiled vs reference`);
        worst = Math.max(worst, relDiff(raw[i * k + j]!, c.raw[i]![j]!), relDiff(pred[i * k + j]!, c.pred[i]![j]!));
      }
    }
    assert.ok(worst <= 1e-9, `worst relative difference ${worst}`);
  });
}
