/**
 * LightgbmModel behind a real REST server (port 0): KServe's V1 payloads (plain rows and the
 * named-feature records lgbserver takes), V2 JSON with raw scores on request, and bad input as 400s.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { type TestServer, startHttpTestServer } from '../src/dataplane/testing/harness.ts';
import { LightgbmModel } from '../src/runtimes/lightgbm/lightgbm-model.ts';
import { lightgbmFixturesDir, readTable } from '../src/runtimes/lightgbm/testing/fixtures.ts';
import { postJson } from './support/http.ts';

const dir = lightgbmFixturesDir();
const payloads = join(dir, '../kserve-payloads/e2e-data');
let server: TestServer;

before(async () => {
  server = await startHttpTestServer([
    () => new LightgbmModel({ name: 'iris', modelDir: join(dir, 'kserve-iris') }),
    () => new LightgbmModel({ name: 'binary', modelDir: join(dir, 'binary_classification') }),
  ]);
});
after(async () => {
  await server.close();
});

const post = (path: string, body: unknown): ReturnType<typeof postJson> => postJson(server.url + path, body);

interface V2Out { name: string; datatype: string; shape: number[]; data: number[] }
const v2 = (model: string, data: unknown[], shape: number[], datatype = 'FP64', parameters?: Record<string, unknown>): Promise<{ status: number; json: Record<string, unknown> }> =>
  post(`/v2/models/${model}/infer`, { inputs: [{ name: 'input-0', datatype, shape, data }], ...(parameters ? { parameters } : {}) });

const argmax = (p: number[]): number => p.indexOf(Math.max(...p));

test("V1 instances: KServe's lgbserver test rows give its asserted probabilities exactly", async () => {
  const r = await post('/v1/models/iris:predict', { instances: [[6.8, 2.8, 4.8, 1.6], [6.0, 3.4, 4.5, 1.6]] });
  assert.equal(r.status, 200);
  assert.deepEqual(r.json['predictions'], [
    [3.7899802486733807e-06, 0.99969820741142035, 0.00029800260833088297],
    [5.2172911836629736e-05, 0.99973341723875997, 0.00021440984940336599],
  ]);
});

test("V1 KServe's iris_input.json: class 1 for both rows", async () => {
  const r = await post('/v1/models/iris:predict', JSON.parse(await readFile(join(payloads, 'iris_input.json'), 'utf8')));
  assert.deepEqual((r.json['predictions'] as number[][]).map(argmax), [1, 1]);
});

for (const file of ['iris_input_v3.json', 'iris_input_v4.json', 'iris_input_v5.json']) {
  test(`V1 ${file} (named features): argmax of predictions[0] is 0, as KServe's e2e test asserts`, async () => {
    const r = await post('/v1/models/iris:predict', JSON.parse(await readFile(join(payloads, file), 'utf8')));
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.equal(argmax((r.json['predictions'] as number[][])[0]!), 0);
  });
}

test("V2 JSON: KServe's iris_input_v2.json (FP32) → [2, 3] FP64 probabilities, class 1 twice", async () => {
  const r = await post('/v2/models/iris/infer', JSON.parse(await readFile(join(payloads, 'iris_input_v2.json'), 'utf8')));
  assert.equal(r.status, 200, JSON.stringify(r.json));
  const out = (r.json['outputs'] as V2Out[])[0]!;
  assert.deepEqual([out.name, out.datatype, out.shape], ['output-0', 'FP64', [2, 3]]);
  assert.deepEqual([argmax(out.data.slice(0, 3)), argmax(out.data.slice(3))], [1, 1]);
});

test('V2 metadata, and parameters.raw_score: true returns the CLI raw scores', async () => {
  const meta = (await (await fetch(`${server.url}/v2/models/iris`)).json()) as { inputs: unknown; outputs: unknown; platform: string };
  assert.equal(meta.platform, 'lightgbm');
  assert.deepEqual(meta.inputs, [{ name: 'input-0', datatype: 'FP64', shape: [-1, 4] }]);
  const rows = readTable(join(dir, 'kserve-iris/iris_with_dummy_label.csv')).slice(0, 3).map((r) => r.slice(1));
  const want = readTable(join(dir, 'kserve-iris/iris_raw.txt')).slice(0, 3).flat();
  const r = await v2('iris', rows.flat(), [3, 4], 'FP64', { raw_score: true });
  const out = (r.json['outputs'] as V2Out[])[0]!;
  out.data.forEach((v, i) => assert.ok(Math.abs(v - want[i]!) <= 1e-9 * Math.abs(want[i]!), `${v} vs ${want[i]}`));
});

test('V2 binary model: one probability per row, shape [N]', async () => {
  const rows = readTable(join(dir, 'binary_classification/binary.test')).slice(0, 2).map((r) => r.slice(1));
  const r = await v2('binary', rows.flat(), [2, 28]);
  const out = (r.json['outputs'] as V2Out[])[0]!;
  assert.deepEqual(out.shape, [2]);
  const want = readTable(join(dir, 'binary_classification/LightGBM_predict_result.txt')).slice(0, 2).flat();
  out.data.forEach((v, i) => assert.ok(Math.abs(v - want[i]!) <= 1e-9 * want[i]!));
});

test('bad input is a 400 naming it: feature count, BYTES, unknown feature name, raw_score value', async () => {
  const few = await v2('iris', [1, 2, 3], [1, 3]);
  assert.equal(few.status, 400);
  assert.match(String(few.json['error']), /shape.*expected 4/);
  const bytes = await v2('iris', ['a', 'b', 'c', 'd'], [1, 4], 'BYTES');
  assert.equal(bytes.status, 400);
  assert.match(String(bytes.json['error']), /BYTES/);
  const unknown = await post('/v1/models/iris:predict', { instances: [{ petal_colour: 1 }] });
  assert.equal(unknown.status, 400);
  assert.match(String(unknown.json['error']), /petal_colour/);
  const raw = await v2('iris', [1, 2, 3, 4], [1, 4], 'FP64', { raw_score: 2 });
  assert.equal(raw.status, 400);
  assert.match(String(raw.json['error']), /raw_score/);
});
