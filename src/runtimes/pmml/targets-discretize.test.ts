/**
 * Targets (rescaling, clamping, castInteger, defaultValue, priors) and Discretize (bins with each
 * Interval closure, defaultValue, mapMissingTo, dataType), on hand-made documents; the expected
 * values are worked from the PMML 4.4 spec in the comments.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parsePmml } from './doc/parse-document.ts';
import { PmmlEvaluator } from './eval/evaluator.ts';

const FIELDS = `<DataDictionary>
  <DataField name="x" optype="continuous" dataType="double"/>
  <DataField name="y" optype="continuous" dataType="double"/>
  <DataField name="t" optype="categorical" dataType="string"><Value value="a"/><Value value="b"/></DataField>
</DataDictionary>`;

/** Regression y = x with the given Target attributes and TargetValues. */
const regression = (attrs: string, values = ''): string => `<PMML xmlns="http://www.dmg.org/PMML-4_4" version="4.4">${FIELDS}
<RegressionModel functionName="regression">
  <MiningSchema><MiningField name="x"/><MiningField name="y" usageType="predicted"/></MiningSchema>
  <Targets><Target field="y" ${attrs}>${values}</Target></Targets>
  <RegressionTable intercept="0"><NumericPredictor name="x" coefficient="1"/></RegressionTable>
</RegressionModel></PMML>`;
const y = (text: string, x: number | null): unknown => new PmmlEvaluator(parsePmml(text)).evaluate(() => x)['y'];

test('Targets: × rescaleFactor + rescaleConstant', () => {
  // 2.5 × 10 + 1 = 26; −1 × 10 + 1 = −9.
  const text = regression('rescaleFactor="10" rescaleConstant="1"');
  assert.equal(y(text, 2.5), 26);
  assert.equal(y(text, -1), -9);
});

test('Targets: min/max clamp the raw prediction, before rescaling', () => {
  // min 0, max 5: 7.3 → 5 → 5 × 10 + 1 = 51; −2 → 0 → 1; 3 → 31.
  const text = regression('min="0" max="5" rescaleFactor="10" rescaleConstant="1"');
  assert.equal(y(text, 7.3), 51);
  assert.equal(y(text, -2), 1);
  assert.equal(y(text, 3), 31);
});

test('Targets: castInteger round (half away from zero), floor, ceiling, after rescaling', () => {
  // 2.34 × 10 + 1 = 24.4 → 24; 0.25 × 10 + 0 = 2.5 → 3; −2.5 → −3.
  assert.equal(y(regression('rescaleFactor="10" rescaleConstant="1" castInteger="round"'), 2.34), 24);
  assert.equal(y(regression('rescaleFactor="10" castInteger="round"'), 0.25), 3);
  assert.equal(y(regression('rescaleFactor="10" castInteger="round"'), -0.25), -3);
  assert.equal(y(regression('castInteger="floor"'), -1.5), -2);
  assert.equal(y(regression('castInteger="ceiling"'), 1.2), 2);
});

test('Targets: without a prediction, the TargetValue defaultValue, as written', () => {
  assert.equal(y(regression('rescaleFactor="10" min="0" max="1"', '<TargetValue defaultValue="42.5"/>'), null), 42.5);
  assert.equal(y(regression('rescaleFactor="10"'), null), null);
});

test('Targets: priorProbability answers a classification with no prediction', () => {
  // A tree with noTrueChild → no prediction; priors a 0.3, b 0.7 → predict b, P(a) = 0.3.
  const text = `<PMML xmlns="http://www.dmg.org/PMML-4_4" version="4.4">${FIELDS}
<TreeModel functionName="classification">
  <MiningSchema><MiningField name="x"/><MiningField name="t" usageType="target"/></MiningSchema>
  <Output><OutputField name="pa" feature="probability" value="a"/><OutputField name="pb" feature="probability" value="b"/>
    <OutputField name="shown" feature="predictedDisplayValue"/></Output>
  <Targets><Target field="t"><TargetValue value="a" priorProbability="0.3" displayValue="Alpha"/><TargetValue value="b" priorProbability="0.7" displayValue="Beta"/></Target></Targets>
  <Node score="a"><True/><Node score="a"><SimplePredicate field="x" operator="lessThan" value="0"/></Node></Node>
</TreeModel></PMML>`;
  const score = (x: number): Record<string, unknown> => new PmmlEvaluator(parsePmml(text)).evaluate(() => x);
  assert.deepEqual(score(5), { t: 'b', pa: 0.3, pb: 0.7, shown: 'Beta' });
  assert.deepEqual(score(-1), { t: 'a', pa: null, pb: null, shown: 'Alpha' }); // a leaf without ScoreDistribution: no probabilities
});

/** Output d = Discretize(x), bins (−∞, 0] low, (0, 10) mid, [10, 20) high, [20, 30] top. */
const discretize = (attrs: string, type = 'string'): string => `<PMML xmlns="http://www.dmg.org/PMML-4_4" version="4.4">${FIELDS}
<RegressionModel functionName="regression">
  <MiningSchema><MiningField name="x"/><MiningField name="y" usageType="predicted"/></MiningSchema>
  <Output><OutputField name="d" feature="transformedValue" dataType="${type}"><Discretize field="x" ${attrs}>
    <DiscretizeBin binValue="${type === 'string' ? 'low' : '1'}"><Interval closure="openClosed" rightMargin="0"/></DiscretizeBin>
    <DiscretizeBin binValue="${type === 'string' ? 'mid' : '2'}"><Interval closure="openOpen" leftMargin="0" rightMargin="10"/></DiscretizeBin>
    <DiscretizeBin binValue="${type === 'string' ? 'high' : '3'}"><Interval closure="closedOpen" leftMargin="10" rightMargin="20"/></DiscretizeBin>
    <DiscretizeBin binValue="${type === 'string' ? 'top' : '4'}"><Interval closure="closedClosed" leftMargin="20" rightMargin="30"/></DiscretizeBin>
  </Discretize></OutputField></Output>
  <RegressionTable intercept="0"/>
</RegressionModel></PMML>`;
const d = (text: string, x: number | null): unknown => new PmmlEvaluator(parsePmml(text)).evaluate(() => x)['d'];

test('Discretize: each closure decides its boundary', () => {
  const text = discretize('defaultValue="out" mapMissingTo="none"');
  const cases: [number, string][] = [[-5, 'low'], [0, 'low'], [1e-9, 'mid'], [9.99, 'mid'], [10, 'high'], [19.5, 'high'], [20, 'top'], [30, 'top']];
  for (const [x, bin] of cases) assert.equal(d(text, x), bin, String(x));
});

test('Discretize: defaultValue outside every bin, mapMissingTo for missing, else missing', () => {
  assert.equal(d(discretize('defaultValue="out" mapMissingTo="none"'), 30.5), 'out');
  assert.equal(d(discretize('defaultValue="out" mapMissingTo="none"'), null), 'none');
  assert.equal(d(discretize(''), 31), null);
  assert.equal(d(discretize(''), null), null);
});

test('Discretize: dataType makes integer bins numbers', () => {
  const text = discretize('dataType="integer" defaultValue="0"', 'integer');
  assert.equal(d(text, 15), 3);
  assert.equal(d(text, 99), 0);
});
