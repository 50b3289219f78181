/**
 * KServe's own e2e assertions for its xgbserver, lgbserver and pmmlserver examples, through a real
 * `kserve-ts model-server` (in process, port 0), called with plain fetch and hand-written bodies
 * (KServe's payload files as they are), the format detected from the model files.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import type { RunningModelServer } from '../src/dataplane/model-server.ts';
import { postJson } from './support/http.ts';
import { type ServedModel, serveModel } from './support/model-server.ts';

const F = '../shared/fixtures';
const payload = (name: string): Promise<string> => readFile(`${F}/kserve-payloads/e2e-data/${name}`, 'utf8');

const serve = (dir: string, name: string): Promise<ServedModel> => serveModel(dir, { name, grpc: true });

const post = postJson;

// KServe's example ships the same booster as JSON, UBJSON and legacy binary; each is served alone.
for (const file of ['model.json', 'model.ubj', 'model.bst']) {
  describe(`xgbserver example (xgboost/kserve-iris/${file})`, () => {
    let srv: { s: RunningModelServer; url: string };
    before(async () => (srv = await serve(`${F}/xgboost/kserve-iris/${file}`, 'xgb-iris')));
    after(() => srv.s.close());

    test('V1 iris_input.json → predictions [1, 1] (test_xgboost.py)', async () => {
      const r = await post(`${srv.url}/v1/models/xgb-iris:predict`, await payload('iris_input.json'));
      assert.equal(r.status, 200, JSON.stringify(r.json));
      assert.deepEqual(r.json.predictions, [1, 1]);
    });

    test('V2 iris_input_v2.json → output data [1.0, 1.0]', async () => {
      const r = await post(`${srv.url}/v2/models/xgb-iris/infer`, await payload('iris_input_v2.json'));
      assert.equal(r.status, 200, JSON.stringify(r.json));
      const out = (r.json.outputs as { data: number[]; shape: number[] }[])[0]!;
      assert.deepEqual(out.data, [1, 1]);
      assert.deepEqual(out.shape, [2]);
    });
  });
}

describe('lgbserver example (lightgbm/kserve-iris)', () => {
  let srv: { s: RunningModelServer; url: string };
  before(async () => (srv = await serve(`${F}/lightgbm/kserve-iris`, 'lgb-iris')));
  after(() => srv.s.close());

  test("V1 rows give lgbserver's asserted probabilities (test_model.py)", async () => {
    const r = await post(`${srv.url}/v1/models/lgb-iris:predict`, JSON.stringify({ instances: [[6.8, 2.8, 4.8, 1.6], [6.0, 3.4, 4.5, 1.6]] }));
    assert.equal(r.status, 200, JSON.stringify(r.json));
    const p = r.json.predictions as number[][];
    const want = [[3.7899802486733807e-06, 0.99969820741142035, 0.00029800260833088297], [5.2172911836629736e-05, 0.99973341723875997, 0.00021440984940336599]];
    p.forEach((row, i) => row.forEach((v, j) => assert.ok(Math.abs(v - want[i]![j]!) < 1e-12, `row ${i} class ${j}: ${v} vs ${want[i]![j]!}`)));
  });

  for (const file of ['iris_input_v3.json', 'iris_input_v4.json', 'iris_input_v5.json']) {
    test(`V1 named-feature ${file} → argmax of predictions[0] is 0 (test_lightgbm.py)`, async () => {
      const r = await post(`${srv.url}/v1/models/lgb-iris:predict`, await payload(file));
      assert.equal(r.status, 200, JSON.stringify(r.json));
      const row = (r.json.predictions as number[][])[0]!;
      assert.equal(row.indexOf(Math.max(...row)), 0);
    });
  }
});

describe('pmmlserver example (pmml/kserve)', () => {
  let srv: { s: RunningModelServer; url: string };
  before(async () => (srv = await serve(`${F}/pmml/kserve`, 'pmml-iris')));
  after(() => srv.s.close());

  test('V1 pmml_input.json → the record KServe asserts', async () => {
    const r = await post(`${srv.url}/v1/models/pmml-iris:predict`, await payload('pmml_input.json'));
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.deepEqual(r.json.predictions, [{ Species: 'setosa', Probability_setosa: 1, Probability_versicolor: 0, Probability_virginica: 0, Node_Id: '2' }]);
  });

  test('V2 pmml-input-v2.json → one output per output field', async () => {
    const r = await post(`${srv.url}/v2/models/pmml-iris/infer`, await payload('pmml-input-v2.json'));
    assert.equal(r.status, 200, JSON.stringify(r.json));
    const outs = Object.fromEntries((r.json.outputs as { name: string; datatype: string; data: unknown[] }[]).map((o) => [o.name, [o.datatype, o.data]]));
    assert.deepEqual(outs, {
      Species: ['BYTES', ['setosa']],
      Probability_setosa: ['FP64', [1]],
      Probability_versicolor: ['FP64', [0]],
      Probability_virginica: ['FP64', [0]],
      Node_Id: ['BYTES', ['2']],
    });
  });
});
