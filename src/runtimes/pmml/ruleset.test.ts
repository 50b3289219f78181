/** RuleSetModel on a hand-made document (no JPMML fixture): the three selection criteria. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parsePmml } from './doc/parse-document.ts';
import { PmmlEvaluator } from './eval/evaluator.ts';

const doc = (criterion: string): string => `<PMML xmlns="http://www.dmg.org/PMML-4_4" version="4.4">
<DataDictionary>
  <DataField name="x" optype="continuous" dataType="double"/>
  <DataField name="y" optype="categorical" dataType="string"><Value value="a"/><Value value="b"/></DataField>
</DataDictionary>
<RuleSetModel functionName="classification">
  <MiningSchema><MiningField name="x"/><MiningField name="y" usageType="predicted"/></MiningSchema>
  <Output>
    <OutputField name="conf" feature="confidence"/>
    <OutputField name="rule" feature="entityId"/>
  </Output>
  <RuleSet defaultScore="b" defaultConfidence="0.1">
    <RuleSelectionMethod criterion="${criterion}"/>
    <SimpleRule id="r1" score="a" confidence="0.8" weight="2"><SimplePredicate field="x" operator="greaterThan" value="0"/></SimpleRule>
    <CompoundRule>
      <SimplePredicate field="x" operator="greaterThan" value="1"/>
      <SimpleRule id="r2" score="b" confidence="0.6" weight="2.5"><True/></SimpleRule>
      <SimpleRule id="r3" score="a" confidence="0.5" weight="1"><SimplePredicate field="x" operator="greaterThan" value="2"/></SimpleRule>
    </CompoundRule>
  </RuleSet>
</RuleSetModel>
</PMML>`;

const run = (criterion: string, x: number): Record<string, unknown> => new PmmlEvaluator(parsePmml(doc(criterion))).evaluate(() => x);

test('firstHit: the first fired rule', () => {
  assert.deepEqual(run('firstHit', 3), { y: 'a', conf: 0.8, rule: 'r1' });
  assert.deepEqual(run('firstHit', -1), { y: 'b', conf: 0.1, rule: null });
});

test('weightedSum: a totals 2 + 1 = 3 over b 2.5; confidence (0.8·2 + 0.5·1) / 3 fired', () => {
  const r = run('weightedSum', 3);
  assert.equal(r['y'], 'a');
  assert.ok(Math.abs((r['conf'] as number) - 0.7) < 1e-15);
  assert.equal(run('weightedSum', 1.5)['y'], 'b');
});

test('weightedMax: the heaviest fired rule', () => {
  assert.deepEqual(run('weightedMax', 3), { y: 'b', conf: 0.6, rule: 'r2' });
  assert.deepEqual(run('weightedMax', 0.5), { y: 'a', conf: 0.8, rule: 'r1' });
});
