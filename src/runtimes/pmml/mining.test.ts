/**
 * MiningModel segmentation methods on hand-made documents (the JPMML fixtures only cover
 * majorityVote, average and sum): the expected numbers are worked out in the comments.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parsePmml } from './doc/parse-document.ts';
import { PmmlEvaluator } from './eval/evaluator.ts';

const HEAD = `<PMML xmlns="http://www.dmg.org/PMML-4_4" version="4.4"><DataDictionary>
<DataField name="x" optype="continuous" dataType="double"/>
<DataField name="y" optype="continuous" dataType="double"/>
<DataField name="c" optype="categorical" dataType="string"><Value value="a"/><Value value="b"/></DataField>
</DataDictionary>`;

const reg = (intercept: number, extra = ''): string =>
  `<RegressionModel functionName="regression"><MiningSchema><MiningField name="x"/>${extra}</MiningSchema><RegressionTable intercept="${intercept}"/></RegressionModel>`;
const leaf = (score: string, pa: number): string =>
  `<TreeModel functionName="classification"><MiningSchema><MiningField name="x"/></MiningSchema><Node score="${score}"><True/>` +
  `<ScoreDistribution value="a" recordCount="${pa * 100}"/><ScoreDistribution value="b" recordCount="${(1 - pa) * 100}"/></Node></TreeModel>`;
const seg = (weight: number, model: string, pred = '<True/>'): string => `<Segment weight="${weight}">${pred}${model}</Segment>`;

function mining(fn: string, target: string, method: string, segments: string, output = ''): PmmlEvaluator {
  const text = `${HEAD}<MiningModel functionName="${fn}"><MiningSchema><MiningField name="x"/><MiningField name="${target}" usageType="predicted"/></MiningSchema>${output}` +
    `<Segmentation multipleModelMethod="${method}">${segments}</Segmentation></MiningModel></PMML>`;
  return new PmmlEvaluator(parsePmml(text));
}

const positive = '<SimplePredicate field="x" operator="greaterThan" value="0"/>';
const REGRESSION = seg(1, reg(1), positive) + seg(2, reg(2)) + seg(1, reg(6));

test('regression: sum 9, average 3, weightedAverage (1 + 4 + 6) / 4, median 2, max 6, selectFirst', () => {
  const y = (method: string, x: number): unknown => mining('regression', 'y', method, REGRESSION).evaluate(() => x)['y'];
  assert.equal(y('sum', 1), 9);
  assert.equal(y('average', 1), 3);
  assert.equal(y('weightedAverage', 1), 2.75);
  assert.equal(y('median', 1), 2);
  assert.equal(y('max', 1), 6);
  assert.equal(y('selectFirst', 1), 1);
  // x ≤ 0: the first segment does not take part.
  assert.equal(y('selectFirst', -1), 2);
  assert.equal(y('median', -1), 4);
});

const CLASSES = seg(1, leaf('a', 0.9)) + seg(3, leaf('b', 0.4)) + seg(1, leaf('b', 0.45));
const PROBS = '<Output><OutputField name="pa" feature="probability" value="a"/><OutputField name="pb" feature="probability" value="b"/></Output>';

test('classification: votes, weighted votes, averaged, median and max probabilities', () => {
  const r = (method: string): [unknown, number, number] => {
    const rec = mining('classification', 'c', method, CLASSES, PROBS).evaluate(() => 1);
    return [rec['c'], rec['pa'] as number, rec['pb'] as number];
  };
  const close = (got: [unknown, number, number], want: [string, number, number]): void => {
    assert.equal(got[0], want[0]);
    assert.ok(Math.abs(got[1] - want[1]) < 1e-12 && Math.abs(got[2] - want[2]) < 1e-12, `${String(got)} vs ${String(want)}`);
  };
  close(r('majorityVote'), ['b', 1 / 3, 2 / 3]);
  close(r('weightedMajorityVote'), ['b', 0.2, 0.8]);
  close(r('average'), ['a', (0.9 + 0.4 + 0.45) / 3, (0.1 + 0.6 + 0.55) / 3]);
  close(r('weightedAverage'), ['a', (0.9 + 1.2 + 0.45) / 5, (0.1 + 1.8 + 0.55) / 5]);
  close(r('median'), ['b', 0.45, 0.55]);
  close(r('max'), ['a', 0.9, 0.1]);
});

test('modelChain: a segment reads the previous segment\'s output field', () => {
  const first = `<RegressionModel functionName="regression"><MiningSchema><MiningField name="x"/></MiningSchema>` +
    `<Output><OutputField name="s1" feature="predictedValue"/></Output><RegressionTable intercept="1"><NumericPredictor name="x" coefficient="1"/></RegressionTable></RegressionModel>`;
  const second = `<RegressionModel functionName="regression"><MiningSchema><MiningField name="s1"/></MiningSchema>` +
    `<RegressionTable intercept="0"><NumericPredictor name="s1" coefficient="10"/></RegressionTable></RegressionModel>`;
  const ev = mining('regression', 'y', 'modelChain', seg(1, first) + seg(1, second));
  assert.equal(ev.evaluate(() => 2)['y'], 30);
});
