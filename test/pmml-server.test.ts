/**
 * The PMML runtime through a real REST server (port 0): V1 records keyed by field name and bad
 * input answer as documented. (KServe's pmmlserver payloads and their asserted answers:
 * tree-pmml-runtimes.e2e.test.ts, through the model server.)
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type TestServer, startHttpTestServer } from '../src/dataplane/testing/harness.ts';
import { createPmmlModel } from '../src/runtimes/pmml/index.ts';
import { pmmlFixturesDir } from '../src/runtimes/pmml/testing/fixtures.ts';
import { postJson } from './support/http.ts';


const post = postJson;

describe('PMML runtime through the REST server (kserve/model.pmml)', () => {
  let srv: TestServer;
  before(async () => {
    srv = await startHttpTestServer([() => createPmmlModel({ name: 'pmml-iris', modelDir: join(pmmlFixturesDir(), 'kserve') })]);
  });
  after(() => srv.close());

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
