/**
 * XgboostModel behind a real REST server (port 0): KServe's V1 e2e payload, V2 JSON with
 * margins on request, missing values as "NaN", other input dtypes, and bad input as 400s.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { type TestServer, startHttpTestServer } from '../src/dataplane/testing/harness.ts';
import { XgboostModel } from '../src/runtimes/xgboost/xgboost-model.ts';
import { agaricusExpected, irisExpected, xgboostFixturesDir } from '../src/runtimes/xgboost/testing/fixtures.ts';
import { postJson } from './support/http.ts';

const dir = xgboostFixturesDir();
let server: TestServer;

before(async () => {
  server = await startHttpTestServer([
    () => new XgboostModel({ name: 'iris', modelDir: join(dir, 'kserve-iris/model.json') }),
    () => new XgboostModel({ name: 'agaricus', modelDir: join(dir, 'agaricus-binary-logistic') }),
  ]);
});
after(async () => { await server.close(); });

const post = (path: string, body: unknown): ReturnType<typeof postJson> => postJson(server.url + path, body);

interface V2Out { name: string; datatype: string; shape: number[]; data: number[] }
const v2 = (model: string, data: unknown[], shape: number[], datatype = 'FP32', parameters?: Record<string, unknown>): Promise<{ status: number; json: Record<string, unknown> }> =>
  post(`/v2/models/${model}/infer`, { inputs: [{ name: 'input-0', datatype, shape, data }], ...(parameters ? { parameters } : {}) });

test("V1: KServe's e2e iris_input.json gives [1, 1]", async () => {
  const body: unknown = JSON.parse(await readFile(join(dir, '../kserve-payloads/e2e-data/iris_input.json'), 'utf8'));
  const r = await post('/v1/models/iris:predict', body);
  assert.equal(r.status, 200);
  assert.deepEqual(r.json['predictions'], [1, 1]);
});

test('V2 metadata: input-0 FP32 [-1, 4], output-0 FP32 [-1]', async () => {
  const meta = (await (await fetch(`${server.url}/v2/models/iris`)).json()) as { inputs: unknown; outputs: unknown; platform: string };
  assert.equal(meta.platform, 'xgboost');
  assert.deepEqual(meta.inputs, [{ name: 'input-0', datatype: 'FP32', shape: [-1, 4] }]);
  assert.deepEqual(meta.outputs, [{ name: 'output-0', datatype: 'FP32', shape: [-1] }]);
});

test('V2 JSON: classes, then margins with output_margin, equal to the fixture', async () => {
  const want = irisExpected(dir);
  const rows = Array.from(want.x.subarray(0, 12));
  const r = await v2('iris', rows, [3, 4]);
  assert.equal(r.status, 200);
  const out = (r.json['outputs'] as V2Out[])[0]!;
  assert.deepEqual({ ...out, data: out.data }, { name: 'output-0', datatype: 'FP32', shape: [3], data: want.classes.slice(0, 3) });
  const m = await v2('iris', rows, [3, 4], 'FP32', { output_margin: true });
  const mo = (m.json['outputs'] as V2Out[])[0]!;
  assert.deepEqual(mo.shape, [3, 10]);
  mo.data.forEach((v, i) => assert.equal(Math.fround(v), Math.fround(want.margins[i]!)));
});

test('FP64 and INT32 inputs are converted; another input name is accepted', async () => {
  const f64 = await v2('iris', [6.8, 2.8, 4.8, 1.4], [1, 4], 'FP64');
  assert.deepEqual((f64.json['outputs'] as V2Out[])[0]!.data, [1]);
  const i32 = await post('/v2/models/iris/infer', { inputs: [{ name: 'predict', datatype: 'INT32', shape: [1, 4], data: [5, 3, 1, 0] }] });
  assert.equal(i32.status, 200, JSON.stringify(i32.json));
});

test('missing values: "NaN" in JSON takes the default branch (agaricus)', async () => {
  const want = agaricusExpected(dir);
  const n = 4;
  const data = Array.from(want.x.subarray(0, n * want.numFeature), (v) => (Number.isNaN(v) ? 'NaN' : v));
  const r = await v2('agaricus', data, [n, want.numFeature]);
  assert.equal(r.status, 200, JSON.stringify(r.json));
  (r.json['outputs'] as V2Out[])[0]!.data.forEach((p, i) => assert.ok(Math.abs(p - want.probabilities[i]!) < 1e-6));
});

test('missing values: float NaN in the V2 binary extension (agaricus, binary out)', async () => {
  const want = agaricusExpected(dir);
  const n = 8;
  const raw = Buffer.from(want.x.buffer, 0, n * want.numFeature * 4);
  const header = Buffer.from(JSON.stringify({
    inputs: [{ name: 'input-0', datatype: 'FP32', shape: [n, want.numFeature], parameters: { binary_data_size: raw.length } }],
    outputs: [{ name: 'output-0', parameters: { binary_data: true } }],
  }));
  const res = await fetch(`${server.url}/v2/models/agaricus/infer`, {
    method: 'POST', body: Buffer.concat([header, raw]), headers: { 'inference-header-content-length': String(header.length) },
  });
  assert.equal(res.status, 200);
  const body = Buffer.from(await res.arrayBuffer());
  const json = Number(res.headers.get('inference-header-content-length'));
  const bin = body.subarray(json);
  const probs = new Float32Array(bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength));
  assert.equal(probs.length, n);
  probs.forEach((p, i) => assert.ok(Math.abs(p - want.probabilities[i]!) < 1e-6));
});

test('bad input is a 400 naming what was wrong', async () => {
  const few = await v2('iris', [1, 2, 3], [1, 3]);
  assert.equal(few.status, 400);
  assert.match(String(few.json['error']), /shape.*4/);
  const bytes = await v2('iris', ['a', 'b', 'c', 'd'], [1, 4], 'BYTES');
  assert.equal(bytes.status, 400);
  assert.match(String(bytes.json['error']), /datatype.*BYTES/);
  const flag = await v2('iris', [1, 2, 3, 4], [1, 4], 'FP32', { output_margin: 'maybe' });
  assert.equal(flag.status, 400);
  assert.match(String(flag.json['error']), /output_margin/);
  const v1 = await post('/v1/models/iris:predict', { instances: [[1, 2, 3]] });
  assert.equal(v1.status, 400);
  assert.match(String(v1.json['error']), /4/);
});
