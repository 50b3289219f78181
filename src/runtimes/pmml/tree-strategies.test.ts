/**
 * TreeModel missingValueStrategy (none, lastPrediction, nullPrediction, defaultChild) and
 * noTrueChildStrategy (returnNullPrediction, returnLastPrediction), PMML 4.4 TreeModel, on one
 * hand-made tree. The deciding node is read from its id (entityId):
 *
 *   0 "a" (True, defaultChild 1)
 *   ├─ 1 "b"  x < 5           (defaultChild 3)
 *   │   └─ 3 "c"  z > 0
 *   └─ 2 "c"  z > 10
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parsePmml } from './doc/parse-document.ts';
import { PmmlEvaluator } from './eval/evaluator.ts';

const doc = (strategy: string, noTrueChild = 'returnNullPrediction'): string => `<PMML xmlns="http://www.dmg.org/PMML-4_4" version="4.4">
<DataDictionary>
  <DataField name="x" optype="continuous" dataType="double"/><DataField name="z" optype="continuous" dataType="double"/>
  <DataField name="y" optype="categorical" dataType="string"><Value value="a"/><Value value="b"/><Value value="c"/></DataField>
</DataDictionary>
<TreeModel functionName="classification" missingValueStrategy="${strategy}" noTrueChildStrategy="${noTrueChild}">
  <MiningSchema><MiningField name="x"/><MiningField name="z"/><MiningField name="y" usageType="target"/></MiningSchema>
  <Output><OutputField name="id" feature="entityId" dataType="string"/></Output>
  <Node id="0" score="a" defaultChild="1"><True/>
    <Node id="1" score="b" defaultChild="3"><SimplePredicate field="x" operator="lessThan" value="5"/>
      <Node id="3" score="c"><SimplePredicate field="z" operator="greaterThan" value="0"/></Node>
    </Node>
    <Node id="2" score="c"><SimplePredicate field="z" operator="greaterThan" value="10"/></Node>
  </Node>
</TreeModel></PMML>`;

/** [prediction, deciding node id] for x, z. */
function walk(strategy: string, x: number | null, z: number | null, noTrueChild?: string): [unknown, unknown] {
  const r = new PmmlEvaluator(parsePmml(doc(strategy, noTrueChild))).evaluate((f) => (f === 'x' ? x : z));
  return [r['y'], r['id']];
}

test('with every value present the strategies agree: x = 1, z = 1 → node 3', () => {
  for (const s of ['none', 'lastPrediction', 'nullPrediction', 'defaultChild']) assert.deepEqual(walk(s, 1, 1), ['c', '3'], s);
});

test('x missing, z = 20: each missingValueStrategy at node 1\'s unknown predicate', () => {
  // none: the unknown predicate counts as false, so the next sibling, node 2 (z > 10), decides.
  assert.deepEqual(walk('none', null, 20), ['c', '2']);
  // lastPrediction: stop at the parent, node 0, and predict its score.
  assert.deepEqual(walk('lastPrediction', null, 20), ['a', '0']);
  // nullPrediction: no prediction at all.
  assert.deepEqual(walk('nullPrediction', null, 20), [null, null]);
  // defaultChild: node 0's defaultChild is 1, whose child 3 (z > 0) is true.
  assert.deepEqual(walk('defaultChild', null, 20), ['c', '3']);
});

test('none with every sibling false or unknown falls to noTrueChildStrategy', () => {
  // x missing, z = 5: node 1 unknown (skipped), node 2 false (5 ≤ 10): no true child of node 0.
  assert.deepEqual(walk('none', null, 5), [null, null]);
  assert.deepEqual(walk('none', null, 5, 'returnLastPrediction'), ['a', '0']);
});

test('noTrueChildStrategy: returnNullPrediction (the default) vs returnLastPrediction', () => {
  // x = 1, z = -1: node 1 true, its only child 3 false (−1 ≤ 0).
  assert.deepEqual(walk('none', 1, -1), [null, null]);
  assert.deepEqual(walk('none', 1, -1, 'returnLastPrediction'), ['b', '1']);
  // x = 7, z = 0: no child of the root is true; the last prediction is the root's.
  assert.deepEqual(walk('none', 7, 0, 'returnLastPrediction'), ['a', '0']);
});

test('defaultChild whose path then has no true child, and a missing value further down', () => {
  // x missing → node 1; z = -1 → node 3 false → no true child of 1.
  assert.deepEqual(walk('defaultChild', null, -1), [null, null]);
  assert.deepEqual(walk('defaultChild', null, -1, 'returnLastPrediction'), ['b', '1']);
  // x = 1, z missing: node 3's predicate unknown → node 1's defaultChild 3.
  assert.deepEqual(walk('defaultChild', 1, null), ['c', '3']);
  // lastPrediction with z missing at node 3 stops at node 1.
  assert.deepEqual(walk('lastPrediction', 1, null), ['b', '1']);
});
