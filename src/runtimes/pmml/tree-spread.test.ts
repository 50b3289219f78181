/**
 * TreeModel missingValueStrategy weightedConfidence and aggregateNodes (rules and sources in
 * eval/tree-spread.ts) on one hand-made classification tree, record counts in brackets:
 *
 *   0 True
 *   ├─ 1  x < 5   [60]
 *   │   ├─ 3  z < 0   leaf yes 30 / no 10   (0.75 / 0.25)
 *   │   └─ 4  z >= 0  leaf yes 10 / no 10   (0.5 / 0.5)
 *   └─ 2  z > 5   [40] leaf yes 15 / no 25  (0.375 / 0.625)
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parsePmml } from './doc/parse-document.ts';
import { PmmlEvaluator } from './eval/evaluator.ts';

const doc = (strategy: string, opts: { fn?: string; conf2?: string } = {}): string => `<PMML xmlns="http://www.dmg.org/PMML-4_4" version="4.4">
<DataDictionary>
  <DataField name="x" optype="continuous" dataType="double"/><DataField name="z" optype="continuous" dataType="double"/>
  <DataField name="y" optype="categorical" dataType="string"><Value value="yes"/><Value value="no"/></DataField>
</DataDictionary>
<TreeModel functionName="${opts.fn ?? 'classification'}" missingValueStrategy="${strategy}" missingValuePenalty="0.5">
  <MiningSchema><MiningField name="x"/><MiningField name="z"/><MiningField name="y" usageType="target"/></MiningSchema>
  <Output>
    <OutputField name="p" feature="probability" value="yes" dataType="double"/>
    <OutputField name="conf" feature="confidence" dataType="double"/>
    <OutputField name="id" feature="entityId" dataType="string"/>
  </Output>
  <Node id="0"><True/>
    <Node id="1" recordCount="60"><SimplePredicate field="x" operator="lessThan" value="5"/>
      <Node id="3"><SimplePredicate field="z" operator="lessThan" value="0"/>
        <ScoreDistribution value="yes" recordCount="30"/><ScoreDistribution value="no" recordCount="10"/></Node>
      <Node id="4"><SimplePredicate field="z" operator="greaterOrEqual" value="0"/>
        <ScoreDistribution value="yes" recordCount="10"/><ScoreDistribution value="no" recordCount="10"/></Node>
    </Node>
    <Node id="2" recordCount="40"><SimplePredicate field="z" operator="greaterThan" value="5"/>
      <ScoreDistribution value="yes" recordCount="15"${opts.conf2 === undefined ? '' : ` confidence="${opts.conf2}"`}/>
      <ScoreDistribution value="no" recordCount="25"${opts.conf2 === undefined ? '' : ` confidence="${String(1 - Number(opts.conf2))}"`}/></Node>
  </Node>
</TreeModel></PMML>`;

/** [prediction, P(yes), confidence, entityId] for x, z. */
function score(strategy: string, x: number | null, z: number | null, conf2?: string): [unknown, number, number, unknown] {
  const r = new PmmlEvaluator(parsePmml(doc(strategy, conf2 === undefined ? {} : { conf2 }))).evaluate((f) => (f === 'x' ? x : z));
  return [r['y'], r['p'] as number, r['conf'] as number, r['id']];
}

function near(got: [unknown, number, number, unknown], want: [unknown, number, number, unknown]): void {
  assert.equal(got[0], want[0]);
  assert.ok(Math.abs(got[1] - want[1]) < 1e-12, `P(yes) ${got[1]} vs ${want[1]}`);
  assert.ok(Math.abs(got[2] - want[2]) < 1e-12, `confidence ${got[2]} vs ${want[2]}`);
  assert.equal(got[3], want[3]);
}

const BOTH = ['weightedConfidence', 'aggregateNodes'];

test('every value present: both walk to one leaf, which decides as usual', () => {
  // x = 1, z = -1 → node 3: yes 0.75; no ScoreDistribution confidence, so no confidence output.
  for (const s of BOTH) assert.deepEqual(score(s, 1, -1), ['yes', 0.75, null, '3'], s);
});

test('x missing, z = 10: node 1 unknown, node 2 true — the two strategies differ', () => {
  // weightedConfidence: node 1 scored recursively → z = 10 → leaf 4 (0.5 / 0.5); node 2 0.375 / 0.625.
  // Weights 60 / (60 + 40) = 0.6 and 0.4: yes = 0.6·0.5 + 0.4·0.375 = 0.45, no = 0.55 → "no".
  near(score('weightedConfidence', null, 10), ['no', 0.45, 0.55, null]);
  // aggregateNodes: leaves 4 and 2: yes 10 + 15 = 25, no 10 + 25 = 35 → yes 25/60, no 35/60 → "no".
  near(score('aggregateNodes', null, 10), ['no', 25 / 60, 35 / 60, null]);
});

test('x missing, z = -1: node 2 is false and excluded; weights renormalise over node 1 alone', () => {
  // Only node 1 is reachable → leaf 3: yes 0.75 (pmml4s would weight it 60/100 = 0.6 → 0.45).
  near(score('weightedConfidence', null, -1), ['yes', 0.75, 0.75, null]);
  // aggregateNodes: leaf 3 alone: 30 / 40.
  near(score('aggregateNodes', null, -1), ['yes', 0.75, 0.75, null]);
});

test('x and z missing: applied recursively at node 1 and at the root', () => {
  // weightedConfidence: node 1 = (40·0.75 + 20·0.5) / 60 = 2/3 yes (leaf counts 40 and 20);
  // root = 0.6·2/3 + 0.4·0.375 = 0.4 + 0.15 = 0.55 yes, 0.45 no.
  near(score('weightedConfidence', null, null), ['yes', 0.55, 0.55, null]);
  // aggregateNodes: leaves 3, 4, 2: yes 30 + 10 + 15 = 55, no 10 + 10 + 25 = 45.
  near(score('aggregateNodes', null, null), ['yes', 0.55, 0.55, null]);
});

test('x = 1, z missing: the spread starts below node 1', () => {
  // Leaves 3 and 4: weighted (40·0.75 + 20·0.5)/60 = 2/3; aggregated (30 + 10)/(40 + 20) = 2/3.
  for (const s of BOTH) near(score(s, 1, null), ['yes', 2 / 3, 2 / 3, null]);
});

test('weightedConfidence: the winner is by ScoreDistribution confidence, probabilities combine apart', () => {
  // Leaf 2 confidences yes 0.1 / no 0.9 (leaves 3, 4 fall back to their probabilities). x, z missing:
  // confidence yes = 0.6·2/3 + 0.4·0.1 = 0.44, no = 0.6·1/3 + 0.4·0.9 = 0.56 → "no", confidence 0.56,
  // while P(yes) stays 0.55. missingValuePenalty (0.5 here) is not applied under these strategies.
  near(score('weightedConfidence', null, null, '0.1'), ['no', 0.55, 0.56, null]);
});

test('regression TreeModels with either strategy are refused at load, naming the element and line', () => {
  for (const s of BOTH) {
    assert.throws(() => parsePmml(doc(s, { fn: 'regression' })), new RegExp(`<TreeModel> at line 6 \\(missingValueStrategy="${s}" with functionName="regression"`));
  }
});
