/**
 * TreeModel missingValuePenalty, worked by hand: each missing level (a defaultChild taken, a
 * surrogate decided by its alternative) multiplies the ScoreDistribution confidence of the
 * predicted category by the penalty, as JPMML does.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parsePmml } from './doc/parse-document.ts';
import { PmmlEvaluator } from './eval/evaluator.ts';

const xml = (penalty: string): string => `<?xml version="1.0"?>
<PMML xmlns="http://www.dmg.org/PMML-4_4" version="4.4"><Header/>
<DataDictionary numberOfFields="3">
  <DataField name="x" optype="continuous" dataType="double"/>
  <DataField name="z" optype="continuous" dataType="double"/>
  <DataField name="y" optype="categorical" dataType="string"><Value value="a"/><Value value="b"/></DataField>
</DataDictionary>
<TreeModel functionName="classification" missingValueStrategy="defaultChild" missingValuePenalty="${penalty}">
  <MiningSchema><MiningField name="x"/><MiningField name="z"/><MiningField name="y" usageType="target"/></MiningSchema>
  <Output><OutputField name="pred" feature="predictedValue"/><OutputField name="conf" feature="confidence"/></Output>
  <Node id="0" defaultChild="1"><True/>
    <Node id="2" score="b">
      <CompoundPredicate booleanOperator="surrogate">
        <SimplePredicate field="x" operator="greaterOrEqual" value="5"/>
        <SimplePredicate field="z" operator="greaterOrEqual" value="100"/>
      </CompoundPredicate>
      <ScoreDistribution value="a" recordCount="0" confidence="0.3"/><ScoreDistribution value="b" recordCount="5" confidence="0.7"/>
    </Node>
    <Node id="1" defaultChild="3"><SimplePredicate field="x" operator="lessThan" value="5"/>
      <Node id="3" score="a"><SimplePredicate field="z" operator="lessThan" value="0"/>
        <ScoreDistribution value="a" recordCount="8" confidence="0.9"/><ScoreDistribution value="b" recordCount="2" confidence="0.1"/>
      </Node>
      <Node id="4" score="b"><SimplePredicate field="z" operator="greaterOrEqual" value="0"/>
        <ScoreDistribution value="a" recordCount="1" confidence="0.2"/><ScoreDistribution value="b" recordCount="4" confidence="0.8"/>
      </Node>
    </Node>
  </Node>
</TreeModel></PMML>`;

function score(penalty: string, x: string | null, z: string | null): Record<string, unknown> {
  const ev = new PmmlEvaluator(parsePmml(xml(penalty)));
  return ev.evaluate((f: string) => (f === 'x' ? x : f === 'z' ? z : null));
}

test('no missing value: the confidence as written', () => {
  assert.deepEqual([score('0.8', '1', '-1').pred, score('0.8', '1', '-1').conf], ['a', 0.9]);
  assert.deepEqual([score('0.8', '7', '-1').pred, score('0.8', '7', '-1').conf], ['b', 0.7]);
});

test('one defaultChild taken: × 0.8; two: × 0.8²', () => {
  const one = score('0.8', '1', null);
  assert.equal(one.pred, 'a');
  assert.ok(Math.abs((one.conf as number) - 0.72) < 1e-12, String(one.conf));
  const two = score('0.8', null, null);
  assert.equal(two.pred, 'a');
  assert.ok(Math.abs((two.conf as number) - 0.576) < 1e-12, String(two.conf));
});

test('a surrogate decided by its alternative counts as a missing level, whether it decides true or false', () => {
  const r = score('0.8', null, '150');
  assert.equal(r.pred, 'b');
  assert.ok(Math.abs((r.conf as number) - 0.56) < 1e-12, String(r.conf));
  // x missing, z = -1: node 2's alternative decides false (one level), node 1 is taken as the
  // root's defaultChild (a second), node 3 is true: 0.9 × 0.8².
  const f = score('0.8', null, '-1');
  assert.equal(f.pred, 'a');
  assert.ok(Math.abs((f.conf as number) - 0.576) < 1e-12, String(f.conf));
});

test('the default penalty (1) leaves confidences alone; a penalty outside [0, 1] is refused at load', () => {
  assert.equal(score('1', null, null).conf, 0.9);
  assert.throws(() => new PmmlEvaluator(parsePmml(xml('1.5'))), /missingValuePenalty="1.5"/);
});
