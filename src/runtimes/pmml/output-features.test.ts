/**
 * Output features predictedDisplayValue, affinity (clusterAffinity) and decision on hand-made
 * documents; the distances and labels are worked by hand in the comments.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parsePmml } from './doc/parse-document.ts';
import { PmmlEvaluator } from './eval/evaluator.ts';

/** Two clusters, squared Euclidean: a at (0, 0), b at (3, 4). */
const CLUSTERS = `<PMML xmlns="http://www.dmg.org/PMML-4_4" version="4.4">
<DataDictionary><DataField name="x" optype="continuous" dataType="double"/><DataField name="z" optype="continuous" dataType="double"/></DataDictionary>
<ClusteringModel functionName="clustering" modelClass="centerBased" numberOfClusters="2">
  <MiningSchema><MiningField name="x"/><MiningField name="z"/></MiningSchema>
  <Output>
    <OutputField name="cluster" feature="predictedValue" dataType="string"/>
    <OutputField name="aff" feature="affinity" dataType="double"/>
    <OutputField name="affB" feature="clusterAffinity" value="b" dataType="double"/>
    <OutputField name="action" feature="decision" dataType="string">
      <Apply function="if"><Apply function="lessThan"><FieldRef field="aff"/><Constant>2</Constant></Apply><Constant>accept</Constant><Constant>review</Constant></Apply>
    </OutputField>
  </Output>
  <ComparisonMeasure kind="distance"><squaredEuclidean/></ComparisonMeasure>
  <ClusteringField field="x"/><ClusteringField field="z"/>
  <Cluster id="a" name="near"><Array n="2" type="real">0 0</Array></Cluster>
  <Cluster id="b" name="far"><Array n="2" type="real">3 4</Array></Cluster>
</ClusteringModel></PMML>`;
const cluster = (x: number | null, z: number | null): Record<string, unknown> =>
  new PmmlEvaluator(parsePmml(CLUSTERS)).evaluate((f) => (f === 'x' ? x : z));

test('affinity: the distance to the winning cluster, or to the one named by value', () => {
  // (1, 1): a at 1² + 1² = 2, b at (1−3)² + (1−4)² = 4 + 9 = 13 → a; 2 < 2 is false → review.
  assert.deepEqual(cluster(1, 1), { cluster: 'a', aff: 2, affB: 13, action: 'review' });
  // (3, 3): a at 9 + 9 = 18, b at 0 + 1 = 1 → b, affinity 1 → accept.
  assert.deepEqual(cluster(3, 3), { cluster: 'b', aff: 1, affB: 1, action: 'accept' });
  // (0, 1): a at 1 → accept; b at 9 + 9 = 18.
  assert.deepEqual(cluster(0, 1), { cluster: 'a', aff: 1, affB: 18, action: 'accept' });
});

test('affinity with a missing field: the sum scaled by Σ weights / Σ present weights', () => {
  // z missing, x = 1: a at 1² × 2/1 = 2, b at (1−3)² × 2 = 8 → a.
  assert.deepEqual(cluster(1, null), { cluster: 'a', aff: 2, affB: 8, action: 'review' });
});

/** Binary logit y = x for a, TargetValue displayValues, and a decision over the probability. */
const CLASSIFIER = (targets: string): string => `<PMML xmlns="http://www.dmg.org/PMML-4_4" version="4.4">
<DataDictionary><DataField name="x" optype="continuous" dataType="double"/>
  <DataField name="t" optype="categorical" dataType="string"><Value value="a"/><Value value="b"/></DataField></DataDictionary>
<RegressionModel functionName="classification" normalizationMethod="logit">
  <MiningSchema><MiningField name="x"/><MiningField name="t" usageType="predicted"/></MiningSchema>
  <Output>
    <OutputField name="shown" feature="predictedDisplayValue" dataType="string"/>
    <OutputField name="pa" feature="probability" value="a" dataType="double"/>
    <OutputField name="act" feature="decision" dataType="string">
      <Apply function="if"><Apply function="greaterThan"><FieldRef field="pa"/><Constant>0.9</Constant></Apply><Constant>approve</Constant><Constant>decline</Constant></Apply>
    </OutputField>
  </Output>
  ${targets}
  <RegressionTable intercept="0" targetCategory="a"><NumericPredictor name="x" coefficient="1"/></RegressionTable>
  <RegressionTable intercept="0" targetCategory="b"/>
</RegressionModel></PMML>`;
const classify = (targets: string, x: number): Record<string, unknown> => new PmmlEvaluator(parsePmml(CLASSIFIER(targets))).evaluate(() => x);
const DISPLAY = '<Targets><Target field="t"><TargetValue value="a" displayValue="Approved"/><TargetValue value="b" displayValue="Rejected"/></Target></Targets>';

test('predictedDisplayValue: the TargetValue displayValue of the prediction, else the value itself', () => {
  // x = 3: P(a) = 1 / (1 + e^−3) = 0.9526 → a, "Approved", above 0.9 → approve.
  const r = classify(DISPLAY, 3);
  assert.deepEqual([r['t'], r['shown'], r['act']], ['a', 'Approved', 'approve']);
  assert.equal(r['pa'], 1 / (1 + Math.exp(-3)));
  // x = 1: P(a) = 0.7311 → a, but not above 0.9 → decline.
  assert.deepEqual([classify(DISPLAY, 1)['shown'], classify(DISPLAY, 1)['act']], ['Approved', 'decline']);
  // x = −1: P(a) = 0.2689 → b, "Rejected".
  assert.deepEqual([classify(DISPLAY, -1)['t'], classify(DISPLAY, -1)['shown']], ['b', 'Rejected']);
  // No Targets: the display value is the predicted value's text.
  assert.equal(classify('', -1)['shown'], 'b');
});
