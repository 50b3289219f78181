/**
 * The PMML runtime through a real REST server (port 0): KServe's pmmlserver payloads give KServe's
 * asserted answers in V1 and V2; V1 records keyed by field name and bad input answer as documented.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type TestServer, startHttpTestServer } from '../src/dataplane/testing/harness.ts';
import { createPmmlModel } from '../src/runtimes/pmml/index.ts';
import { pmmlFixturesDir } from '../src/runtimes/pmml/testing/fixtures.ts';

const payload = (name: string): Promise<string> => readFile(join(pmmlFixturesDir(), '../kserve-payloads/e2e-data', name), 'utf8');

async function post(url: string, body: string): Promise<{ status: number; json: Record<string, unknown> }> {
  const r = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
  return { status: r.status, json: (await r.json()) as Record<string, unknown> };
}

describe('PMML runtime through the REST server (kserve/model.pmml)', () => {
  let srv: TestServer;
  before(async () => {
    srv = await startHttpTestServer([() => createPmmlModel({ name: 'pmml-iris', modelDir: join(pmmlFixturesDir(), 'kserve') })]);
  });
  after(() => srv.close());

  test('V1 pmml_input.json → the record KServe asserts', async () => {
    const r = await post(`${srv.url}/v1/models/pmml-iris:predict`, await payload('pmml_input.json'));
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.deepEqual(r.json.predictions, [{ Species: 'setosa', Probability_setosa: 1, Probability_versicolor: 0, Probability_virginica: 0, Node_Id: '2' }]);
  });

  test('V2 pmml-input-v2.json (FP32) → one output per result field', async () => {
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

  test('V1 records keyed by field name', async () => {
    const body = JSON.stringify({ instances: [{ Sepal_Length: 6.3, Sepal_Width: 3.3, Petal_Length: 6.0, Petal_Width: 2.5 }] });
    const r = await post(`${srv.url}/v1/models/pmml-iris:predict`, body);
    assert.equal(r.status, 200, JSON.stringify(r.json));
    const [row] = r.json.predictions as Record<string, unknown>[];
    assert.equal(row?.['Species'], 'virginica');
    assert.equal(row?.['Node_Id'], '7');
  });

  test('bad input → 400 naming the field', async () => {
    const unknown = await post(`${srv.url}/v1/models/pmml-iris:predict`, JSON.stringify({ instances: [{ Colour: 'red' }] }));
    assert.equal(unknown.status, 400);
    assert.match(String(unknown.json.error), /Colour/);
    const short = await post(`${srv.url}/v1/models/pmml-iris:predict`, JSON.stringify({ instances: [[5.1, 3.5]] }));
    assert.equal(short.status, 400);
    assert.match(String(short.json.error), /one per active field/);
    const text = await post(`${srv.url}/v1/models/pmml-iris:predict`, JSON.stringify({ instances: [['wide', 3.5, 1.4, 0.2]] }));
    assert.equal(text.status, 400);
    assert.match(String(text.json.error), /Sepal_Length/);
  });
});
