/**
 * KServe's iris examples over every row of their fixture data, through a running `kserve-ts
 * model-server` (in process, port 0): the xgbserver booster (JSON, UBJSON and legacy binary) on
 * all 150 rows of xgboost/kserve-iris/expected_predictions.csv, V1 and V2 (classes, and margins
 * with `output_margin`); and the Spark decision tree (pmml/kserve/DecisionTreeIris-spark.pmml),
 * which has no upstream expected values: over V1 records and V2 per-field tensors it must give what
 * the in-process evaluator gives, classify iris.csv 150/150 (as spark.test.ts finds), with
 * `prediction` the index of the class and that class the most probable.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { RunningModelServer } from '../src/dataplane/model-server.ts';
import { parsePmml } from '../src/runtimes/pmml/doc/parse-document.ts';
import { PmmlEvaluator } from '../src/runtimes/pmml/eval/evaluator.ts';
import { readCsv } from '../src/runtimes/pmml/testing/fixtures.ts';
import { irisExpected } from '../src/runtimes/xgboost/testing/fixtures.ts';
import { postJson } from './support/http.ts';
import { type ServedModel, serveModel } from './support/model-server.ts';

const F = '../shared/fixtures';

const serve = (path: string): Promise<ServedModel> => serveModel(path, { name: 'iris' });

async function post(url: string, body: unknown): Promise<Record<string, unknown>> {
  const { status, json } = await postJson(url, body);
  assert.equal(status, 200, JSON.stringify(json).slice(0, 500));
  return json;
}

interface Out { name: string; datatype: string; shape: number[]; data: unknown[] }

const iris = irisExpected();
const rows = Array.from({ length: iris.rows }, (_, r) => Array.from(iris.x.subarray(r * 4, r * 4 + 4), (v) => Math.fround(v)));
// The CSV's decimals, not their float32 roundings, as a client would send them.
const csvRows = readFileSync(`${F}/xgboost/kserve-iris/expected_predictions.csv`, 'utf8').trim().split('\n').slice(1).map((l) => l.split(',').slice(1, 5).map(Number));

for (const file of ['model.json', 'model.ubj', 'model.bst']) {
  describe(`xgbserver example (xgboost/kserve-iris/${file}), all ${iris.rows} rows`, () => {
    let srv: { s: RunningModelServer; url: string };
    before(async () => (srv = await serve(`${F}/xgboost/kserve-iris/${file}`)));
    after(() => srv.s.close());

    test('V1 instances → predicted_class of every row', async () => {
      const res = await post(`${srv.url}/v1/models/iris:predict`, { instances: csvRows });
      assert.deepEqual(res.predictions, iris.classes);
    });

    test('V2 FP32 [150, 4] → output-0 FP32 [150] with predicted_class of every row', async () => {
      const res = await post(`${srv.url}/v2/models/iris/infer`, { inputs: [{ name: 'input-0', datatype: 'FP32', shape: [iris.rows, 4], data: rows.flat() }] });
      const out = (res.outputs as Out[])[0]!;
      assert.equal(out.datatype, 'FP32');
      assert.deepEqual(out.shape, [iris.rows]);
      assert.deepEqual(out.data, iris.classes);
    });

    test('V2 with output_margin → margin_0..margin_9 of every row (float32 exact)', async () => {
      const res = await post(`${srv.url}/v2/models/iris/infer`, {
        inputs: [{ name: 'input-0', datatype: 'FP32', shape: [iris.rows, 4], data: rows.flat() }],
        parameters: { output_margin: true },
      });
      const out = (res.outputs as Out[])[0]!;
      assert.deepEqual(out.shape, [iris.rows, 10]);
      const bad = out.data.map((v, i) => [i, Number(v), iris.margins[i]!] as const).filter(([, g, w]) => Math.fround(g) !== Math.fround(w));
      assert.deepEqual(bad.slice(0, 5), []);
    });

    test('V1 with parameters.output_margin → the same margins; bad parameters → 400 naming them', async () => {
      const res = await post(`${srv.url}/v1/models/iris:predict`, { instances: rows, parameters: { output_margin: true } });
      const got = (res.predictions as number[][]).flat();
      assert.equal(got.length, iris.rows * 10);
      assert.deepEqual(got.map((v, i) => [i, v]).filter(([i, v]) => Math.fround(v!) !== Math.fround(iris.margins[i!]!)).slice(0, 5), []);
      const { status, json } = await postJson(`${srv.url}/v1/models/iris:predict`, { instances: rows.slice(0, 1), parameters: { output_margin: [true] } });
      assert.equal(status, 400);
      assert.match(String(json.error), /parameters\.output_margin/);
    });
  });
}

describe('Spark decision tree (pmml/kserve/DecisionTreeIris-spark.pmml) over iris.csv', () => {
  const path = `${F}/pmml/kserve/DecisionTreeIris-spark.pmml`;
  const labels = ['Iris-setosa', 'Iris-versicolor', 'Iris-virginica'];
  const data = readCsv(`${F}/xgboost/kserve-iris/iris.csv`);
  const col = (row: (string | null)[], f: string): string | null => row[data.header.indexOf(f)] ?? null;
  const ev = new PmmlEvaluator(parsePmml(readFileSync(path, 'utf8')));
  const want = data.rows.map((row) => ev.evaluate((f) => col(row, f)));
  const names = ['Species', 'prediction', ...labels.map((l) => `probability(${l})`)];
  let srv: { s: RunningModelServer; url: string };
  let fields: string[];
  before(async () => {
    srv = await serve(path);
    const meta = (await (await fetch(`${srv.url}/v2/models/iris`)).json()) as { parameters: { input_fields: string } };
    fields = meta.parameters.input_fields.split(',');
  });
  after(() => srv.s.close());

  /** The records' agreement with iris.csv and with themselves, then with the evaluator. */
  function check(records: Record<string, unknown>[]): void {
    assert.equal(records.length, data.rows.length);
    records.forEach((rec, i) => {
      const label = String(rec['Species']);
      assert.equal(label, col(data.rows[i]!, 'Species'), `row ${i} Species`);
      assert.equal(rec['prediction'], labels.indexOf(label), `row ${i} prediction`);
      const probs = labels.map((l) => rec[`probability(${l})`] as number);
      assert.equal(Math.max(...probs), probs[labels.indexOf(label)], `row ${i} probabilities ${probs.join(', ')}`);
      assert.deepEqual(Object.keys(rec), names);
      for (const n of names) assert.equal(rec[n], want[i]![n], `row ${i} ${n} vs the evaluator`);
    });
  }

  test('metadata: the three active fields in MiningSchema order', () => {
    assert.deepEqual(fields, ['Sepal_Length', 'Petal_Length', 'Petal_Width']);
  });

  test('V1 records keyed by field name → 150/150 Species, as the evaluator', async () => {
    const instances = data.rows.map((row) => Object.fromEntries(fields.map((f) => [f, Number(col(row, f))])));
    check((await post(`${srv.url}/v1/models/iris:predict`, { instances })).predictions as Record<string, unknown>[]);
  });

  test('V1 lists in MiningSchema order → the same records', async () => {
    const instances = data.rows.map((row) => fields.map((f) => Number(col(row, f))));
    check((await post(`${srv.url}/v1/models/iris:predict`, { instances })).predictions as Record<string, unknown>[]);
  });

  test('V2 one FP64 tensor per field → one output per column, [150], BYTES/FP64', async () => {
    const inputs = fields.map((f) => ({ name: f, datatype: 'FP64', shape: [data.rows.length], data: data.rows.map((row) => Number(col(row, f))) }));
    const outs = (await post(`${srv.url}/v2/models/iris/infer`, { inputs })).outputs as Out[];
    assert.deepEqual(outs.map((o) => [o.name, o.datatype, o.shape]), names.map((n) => [n, n === 'Species' ? 'BYTES' : 'FP64', [data.rows.length]]));
    check(data.rows.map((_, i) => Object.fromEntries(outs.map((o) => [o.name, o.data[i]]))));
  });

  test('V2 input-0 FP32 [150, 3] → the same answers', async () => {
    const inputs = [{ name: 'input-0', datatype: 'FP32', shape: [data.rows.length, 3], data: data.rows.flatMap((row) => fields.map((f) => Number(col(row, f)))) }];
    const outs = (await post(`${srv.url}/v2/models/iris/infer`, { inputs })).outputs as Out[];
    // float32 inputs may move a value across a split threshold; the class must not change.
    const records = data.rows.map((_, i) => Object.fromEntries(outs.map((o) => [o.name, o.data[i]])));
    records.forEach((rec, i) => assert.equal(rec['Species'], col(data.rows[i]!, 'Species'), `row ${i}`));
  });
});
