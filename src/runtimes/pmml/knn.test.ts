/** NearestNeighborModel on a hand-made document (no JPMML fixture). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parsePmml } from './doc/parse-document.ts';
import { PmmlEvaluator } from './eval/evaluator.ts';

const doc = (fn: string, target: string, method: string): string => `<PMML xmlns="http://www.dmg.org/PMML-4_4" version="4.4">
<DataDictionary>
  <DataField name="x" optype="continuous" dataType="double"/>
  <DataField name="y" optype="continuous" dataType="double"/>
  <DataField name="c" optype="categorical" dataType="string"><Value value="a"/><Value value="b"/></DataField>
</DataDictionary>
<NearestNeighborModel functionName="${fn}" numberOfNeighbors="3" ${method} instanceIdVariable="id">
  <MiningSchema><MiningField name="x"/><MiningField name="${target}" usageType="predicted"/></MiningSchema>
  <Output><OutputField name="nearest" feature="entityId"/></Output>
  <TrainingInstances>
    <InstanceFields><InstanceField field="id" column="id"/><InstanceField field="x" column="x"/><InstanceField field="y" column="y"/><InstanceField field="c" column="c"/></InstanceFields>
    <InlineTable>
      <row><id>i1</id><x>0</x><y>10</y><c>a</c></row>
      <row><id>i2</id><x>1</x><y>20</y><c>b</c></row>
      <row><id>i3</id><x>2</x><y>30</y><c>b</c></row>
      <row><id>i4</id><x>10</x><y>100</y><c>a</c></row>
    </InlineTable>
  </TrainingInstances>
  <ComparisonMeasure kind="distance"><euclidean/></ComparisonMeasure>
  <KNNInputs><KNNInput field="x"/></KNNInputs>
</NearestNeighborModel>
</PMML>`;

const run = (fn: string, target: string, method: string, x: number): Record<string, unknown> =>
  new PmmlEvaluator(parsePmml(doc(fn, target, method))).evaluate(() => x);

test('regression: average and median of the 3 nearest (x = 0.9 → i2, i1, i3)', () => {
  assert.deepEqual(run('regression', 'y', 'continuousScoringMethod="average"', 0.9), { y: 20, nearest: 'i2' });
  assert.deepEqual(run('regression', 'y', 'continuousScoringMethod="median"', 9), { y: 30, nearest: 'i4' });
});

test('classification: majority vote b (2 of 3)', () => {
  assert.deepEqual(run('classification', 'c', 'categoricalScoringMethod="majorityVote"', 0.9), { c: 'b', nearest: 'i2' });
});
