/**
 * RegressionModel normalizationMethod simplemax, cloglog, loglog, cauchit (PMML 4.4
 * RegressionModel), checked against the formulas worked by hand:
 *   simplemax  p_i = y_i / Σ_j y_j
 *   cloglog    p = 1 − exp(−exp(y))
 *   loglog     p = exp(−exp(−y))
 *   cauchit    p = ½ + atan(y) / π
 * For classification the link applies to each table but the last, which takes 1 − Σ others.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parsePmml } from './doc/parse-document.ts';
import { PmmlEvaluator } from './eval/evaluator.ts';

const doc = (fn: string, norm: string, tables: string, output = ''): string => `<PMML xmlns="http://www.dmg.org/PMML-4_4" version="4.4">
<DataDictionary>
  <DataField name="x" optype="continuous" dataType="double"/>
  <DataField name="y" optype="continuous" dataType="double"/>
  <DataField name="t" optype="categorical" dataType="string"><Value value="a"/><Value value="b"/><Value value="c"/></DataField>
</DataDictionary>
<RegressionModel functionName="${fn}" normalizationMethod="${norm}">
  <MiningSchema><MiningField name="x"/><MiningField name="${fn === 'regression' ? 'y' : 't'}" usageType="predicted"/></MiningSchema>
  ${output}${tables}
</RegressionModel></PMML>`;
const PROBS = '<Output><OutputField name="pa" feature="probability" value="a"/><OutputField name="pb" feature="probability" value="b"/><OutputField name="pc" feature="probability" value="c"/></Output>';
/** A table y = intercept + slope·x for category `cat`. */
const table = (cat: string, intercept: number, slope = 0): string =>
  `<RegressionTable intercept="${intercept}" targetCategory="${cat}"><NumericPredictor name="x" coefficient="${slope}"/></RegressionTable>`;
const score = (text: string, x: number): Record<string, unknown> => new PmmlEvaluator(parsePmml(text)).evaluate(() => x);
const near = (a: unknown, b: number, what: string): void => assert.ok(typeof a === 'number' && Math.abs(a - b) < 1e-15, `${what}: ${String(a)} vs ${b}`);

test('simplemax: y = 1, 2·x, 3 at x = 1 → 1/6, 2/6, 3/6; predicts c', () => {
  const r = score(doc('classification', 'simplemax', table('a', 1) + table('b', 0, 2) + table('c', 3), PROBS), 1);
  assert.equal(r['t'], 'c');
  near(r['pa'], 1 / 6, 'pa');
  near(r['pb'], 2 / 6, 'pb');
  near(r['pc'], 3 / 6, 'pc');
});

test('cloglog, binary: y_a = 0 → p_a = 1 − e^−1 = 0.63212…, p_b = e^−1', () => {
  const r = score(doc('classification', 'cloglog', table('a', 0, 1) + table('b', 0), PROBS), 0);
  near(r['pa'], 1 - Math.exp(-1), 'pa');
  near(r['pa'], 0.6321205588285577, 'pa literal');
  near(r['pb'], Math.exp(-1), 'pb');
  assert.equal(r['t'], 'a');
});

test('loglog, binary: y_a = 0 → p_a = e^−1 = 0.36787…, p_b = 1 − e^−1; y_a = ln 2 → e^−½', () => {
  const text = doc('classification', 'loglog', table('a', 0, 1) + table('b', 0), PROBS);
  const r = score(text, 0);
  near(r['pa'], 0.36787944117144233, 'pa');
  near(r['pb'], 1 - Math.exp(-1), 'pb');
  assert.equal(r['t'], 'b');
  // exp(−exp(−ln 2)) = exp(−½) = 0.60653…
  near(score(text, Math.LN2)['pa'], Math.exp(-0.5), 'pa at ln 2');
});

test('cauchit, binary: y_a = 1 → ½ + (π/4)/π = 0.75; y_a = −1 → 0.25', () => {
  const text = doc('classification', 'cauchit', table('a', 0, 1) + table('b', 0), PROBS);
  near(score(text, 1)['pa'], 0.75, 'pa at 1');
  near(score(text, 1)['pb'], 0.25, 'pb at 1');
  near(score(text, -1)['pa'], 0.25, 'pa at −1');
});

test('three categories with a link: two linked tables, the last gets the rest', () => {
  // cauchit: y_a = 1 → 0.75, y_b = −1 → 0.25, so c gets 1 − 0.75 − 0.25 = 0.
  const r = score(doc('classification', 'cauchit', table('a', 0, 1) + table('b', 0, -1) + table('c', 9), PROBS), 1);
  near(r['pa'], 0.75, 'pa');
  near(r['pb'], 0.25, 'pb');
  near(r['pc'], 0, 'pc');
});

test('regression function: the link is applied to the single linear predictor', () => {
  const reg = (norm: string, x: number): unknown => score(doc('regression', norm, '<RegressionTable intercept="0"><NumericPredictor name="x" coefficient="1"/></RegressionTable>'), x)['y'];
  near(reg('cloglog', 0), 1 - Math.exp(-1), 'cloglog');
  near(reg('loglog', 0), Math.exp(-1), 'loglog');
  near(reg('cauchit', 1), 0.75, 'cauchit');
  near(reg('cloglog', Math.log(Math.LN2)), 0.5, 'cloglog at ln ln 2'); // 1 − exp(−ln 2) = ½
});
