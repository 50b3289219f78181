/**
 * OutputField segmentId in a MiningModel (PMML 4.4 Output): the feature is computed from the
 * result of the Segment with that id; a segment that was not evaluated (predicate not true, or
 * after selectFirst's pick) gives missing. Segments without an id are numbered from 1.
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

const reg = (intercept: number): string =>
  `<RegressionModel functionName="regression"><MiningSchema><MiningField name="x"/></MiningSchema><RegressionTable intercept="${intercept}"/></RegressionModel>`;
const leaf = (score: string, pa: number): string =>
  `<TreeModel functionName="classification"><MiningSchema><MiningField name="x"/></MiningSchema><Node id="n${score}" score="${score}"><True/>` +
  `<ScoreDistribution value="a" recordCount="${pa * 100}"/><ScoreDistribution value="b" recordCount="${(1 - pa) * 100}"/></Node></TreeModel>`;
const positive = '<SimplePredicate field="x" operator="greaterThan" value="0"/>';

function text(fn: string, target: string, method: string, segments: string, output: string): string {
  return `${HEAD}<MiningModel functionName="${fn}"><MiningSchema><MiningField name="x"/><MiningField name="${target}" usageType="predicted"/></MiningSchema><Output>${output}</Output>` +
    `<Segmentation multipleModelMethod="${method}">${segments}</Segmentation></MiningModel></PMML>`;
}

// Segment 1 (x > 0) predicts 1, segment 2 predicts 2, segment "last" predicts 6.
const REGRESSION = `<Segment>${positive}${reg(1)}</Segment><Segment><True/>${reg(2)}</Segment><Segment id="last"><True/>${reg(6)}</Segment>`;
const REG_OUT = '<OutputField name="s1" feature="predictedValue" segmentId="1"/><OutputField name="s3" feature="predictedValue" segmentId="last"/>';

test('regression sum: each segment\'s own prediction; a segment whose predicate is false gives missing', () => {
  const m = new PmmlEvaluator(parsePmml(text('regression', 'y', 'sum', REGRESSION, REG_OUT)));
  // x = 1: all three take part: y = 1 + 2 + 6 = 9.
  const a = m.evaluate(() => 1);
  assert.deepEqual([a['y'], a['s1'], a['s3']], [9, 1, 6]);
  // x = -1: segment 1 is not evaluated: y = 2 + 6 = 8, s1 missing.
  const b = m.evaluate(() => -1);
  assert.deepEqual([b['y'], b['s1'], b['s3']], [8, null, 6]);
});

test('selectFirst: segments after the chosen one are not evaluated', () => {
  const m = new PmmlEvaluator(parsePmml(text('regression', 'y', 'selectFirst', REGRESSION, REG_OUT)));
  const a = m.evaluate(() => 1); // segment 1 chosen
  assert.deepEqual([a['y'], a['s1'], a['s3']], [1, 1, null]);
  const b = m.evaluate(() => -1); // segment 2 chosen
  assert.deepEqual([b['y'], b['s1'], b['s3']], [2, null, null]);
});

test('classification majorityVote: a segment\'s probability and entityId', () => {
  // Trees vote a (P(a) = 0.75), b (P(a) = 0.25), a (P(a) = 0.6) → c = a with 2/3 of the votes.
  const segs = `<Segment id="t1"><True/>${leaf('a', 0.75)}</Segment><Segment id="t2"><True/>${leaf('b', 0.25)}</Segment><Segment id="t3"><True/>${leaf('a', 0.6)}</Segment>`;
  const out = '<OutputField name="pa" feature="probability" value="a" dataType="double"/>' +
    '<OutputField name="pa2" feature="probability" value="a" segmentId="t2" dataType="double"/>' +
    '<OutputField name="node2" feature="entityId" segmentId="t2" dataType="string"/>' +
    '<OutputField name="c2" feature="predictedValue" segmentId="t2" dataType="string"/>';
  const r = new PmmlEvaluator(parsePmml(text('classification', 'c', 'majorityVote', segs, out))).evaluate(() => 1);
  assert.equal(r['c'], 'a');
  assert.ok(Math.abs((r['pa'] as number) - 2 / 3) < 1e-12);
  assert.deepEqual([r['pa2'], r['node2'], r['c2']], [0.25, 'nb', 'b']);
});

test('refused at load: a segmentId naming no segment, and segmentId outside a MiningModel', () => {
  const bad = '<OutputField name="s" feature="predictedValue" segmentId="9"/>';
  assert.throws(() => parsePmml(text('regression', 'y', 'sum', REGRESSION, bad)), /<OutputField> at line 5: segmentId="9" names no Segment/);
  const tree = `${HEAD}<TreeModel functionName="regression"><MiningSchema><MiningField name="x"/></MiningSchema>` +
    '<Output><OutputField name="s" feature="predictedValue" segmentId="1"/></Output><Node score="1"><True/></Node></TreeModel></PMML>';
  assert.throws(() => parsePmml(tree), /<OutputField> at line 5: segmentId is for the Output of a MiningModel/);
});
