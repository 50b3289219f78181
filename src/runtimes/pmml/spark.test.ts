/**
 * kserve/DecisionTreeIris-spark.pmml (JPMML-SparkML, PMML 4.4) has no upstream expected values:
 * it must load (isFinalResult="false" helper field, prefixed InlineTable columns) and classify
 * its training data, ../xgboost/kserve-iris/iris.csv, consistently: `prediction` is the index of
 * `Species` and the probability of the predicted class is the highest.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parsePmml } from './doc/parse-document.ts';
import { PmmlEvaluator } from './eval/evaluator.ts';
import { pmmlFixturesDir, readCsv } from './testing/fixtures.ts';

test('Spark decision tree: helper output hidden, MapValues over data:input, 150/150 on iris.csv', () => {
  const ev = new PmmlEvaluator(parsePmml(readFileSync(join(pmmlFixturesDir(), 'kserve/DecisionTreeIris-spark.pmml'), 'utf8')));
  assert.deepEqual(ev.columns.map((c) => c.name), [
    'Species', 'prediction', 'probability(Iris-setosa)', 'probability(Iris-versicolor)', 'probability(Iris-virginica)',
  ]);
  const iris = readCsv(join(pmmlFixturesDir(), '../xgboost/kserve-iris/iris.csv'));
  const labels = ['Iris-setosa', 'Iris-versicolor', 'Iris-virginica'];
  let right = 0;
  for (const row of iris.rows) {
    const rec = ev.evaluate((f) => row[iris.header.indexOf(f)] ?? null);
    const label = String(rec['Species']);
    assert.equal(rec['prediction'], labels.indexOf(label));
    const probs = labels.map((l) => rec[`probability(${l})`] as number);
    assert.equal(Math.max(...probs), probs[labels.indexOf(label)]);
    if (label === row[iris.header.indexOf('Species')]) right++;
  }
  assert.equal(right, 150);
});
