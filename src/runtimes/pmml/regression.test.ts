/** RegressionModel features the JPMML fixtures do not reach: exponents, PredictorTerm, links. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parsePmml } from './doc/parse-document.ts';
import { PmmlEvaluator } from './eval/evaluator.ts';

const doc = (fn: string, norm: string, tables: string, target = 'y', output = ''): string => `<PMML xmlns="http://www.dmg.org/PMML-4_4" version="4.4">
<DataDictionary>
  <DataField name="x" optype="continuous" dataType="double"/><DataField name="z" optype="continuous" dataType="double"/>
  <DataField name="c" optype="categorical" dataType="string"><Value value="a"/><Value value="b"/></DataField>
  <DataField name="y" optype="continuous" dataType="double"/>
  <DataField name="t" optype="categorical" dataType="string"><Value value="a"/><Value value="b"/></DataField>
</DataDictionary>
<RegressionModel functionName="${fn}" normalizationMethod="${norm}">
  <MiningSchema><MiningField name="x"/><MiningField name="z"/><MiningField name="c"/><MiningField name="${target}" usageType="predicted"/></MiningSchema>
  ${output}${tables}
</RegressionModel></PMML>`;

const TABLE = `<RegressionTable intercept="1" targetCategory="a">
  <NumericPredictor name="x" exponent="2" coefficient="2"/>
  <CategoricalPredictor name="c" value="a" coefficient="5"/>
  <PredictorTerm coefficient="0.5"><FieldRef field="x"/><FieldRef field="z"/></PredictorTerm>
</RegressionTable>`;
const row = { x: 3, z: 4, c: 'a' } as const;
const score = (text: string, r: Record<string, number | string | null> = row): Record<string, unknown> => new PmmlEvaluator(parsePmml(text)).evaluate((f) => r[f] ?? null);

test('1 + 2·3² + 5 (c = a) + 0.5·3·4 = 30; exp link gives e^30', () => {
  assert.equal(score(doc('regression', 'none', TABLE))['y'], 30);
  assert.equal(score(doc('regression', 'exp', TABLE))['y'], Math.exp(30));
  assert.equal(score(doc('regression', 'none', TABLE), { ...row, z: null })['y'], null);
});

test('binary logit: y = −28 + 18 + 5 + 6 = 1 → P(a) = 1 / (1 + e^−1), b the rest', () => {
  const tables = TABLE.replace('intercept="1"', 'intercept="-28"') + '<RegressionTable intercept="0" targetCategory="b"/>';
  const probs = '<Output><OutputField name="pa" feature="probability" value="a"/><OutputField name="pb" feature="probability" value="b"/></Output>';
  const text = doc('classification', 'logit', tables, 't', probs);
  const rec = score(text);
  assert.equal(rec['t'], 'a');
  assert.equal(rec['pa'], 1 / (1 + Math.exp(-1)));
  assert.equal(rec['pb'], 1 - 1 / (1 + Math.exp(-1)));
});
