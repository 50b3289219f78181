import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BrokenModel, IdentityModel, RecordRowSumModel, RowSumModel } from '../testing/models.ts';
import { type TestServer, startHttpTestServer } from '../testing/harness.ts';

let s: TestServer;
before(async () => {
  s = await startHttpTestServer(
    [
      () => new RowSumModel('rowsum'),
      () => new RecordRowSumModel('records'),
      () => new IdentityModel('echo'),
      () => new IdentityModel('slow', [], 300),
      () => new BrokenModel('broken', 'weights file is corrupt'),
    ],
    { maxBodyBytes: 64 * 1024, maxInflight: 4 },
  );
});
after(() => s.close());

async function call(method: string, path: string, body?: string | Uint8Array, headers: Record<string, string> = {}): Promise<{ status: number; json: any; headers: Headers; raw: Uint8Array }> {
  const r = await fetch(s.url + path, { method, body, headers: { 'content-type': 'application/json', ...headers } });
  const raw = new Uint8Array(await r.arrayBuffer());
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(raw).toString('utf8'));
  } catch {
    json = undefined;
  }
  return { status: r.status, json, headers: r.headers, raw };
}

describe('V1', () => {
  test('GET / and model list/status', async () => {
    assert.deepEqual((await call('GET', '/')).json, { status: 'alive' });
    const list = await call('GET', '/v1/models');
    assert.deepEqual(list.json.models.sort(), ['broken', 'echo', 'records', 'rowsum', 'slow']);
    assert.deepEqual((await call('GET', '/v1/models/rowsum')).json, { name: 'rowsum', ready: true });
    const nf = await call('GET', '/v1/models/nope');
    assert.equal(nf.status, 404);
    assert.deepEqual(nf.json, { error: 'Model with name nope does not exist.' });
    const br = await call('GET', '/v1/models/broken');
    assert.equal(br.status, 503);
    assert.match(br.json.error, /Model with name broken is not ready.*weights file is corrupt/);
  });

  test('predict with instances computes on the data', async () => {
    const r = await call('POST', '/v1/models/rowsum:predict', JSON.stringify({ instances: [[1, 2, 3, 4], [0.5, 0.5, 9, 0]] }));
    assert.equal(r.status, 200);
    assert.deepEqual(r.json, { predictions: [{ sum: 10, argmax: 3 }, { sum: 10, argmax: 2 }] });
  });

  test("a model's own V1 row decoder takes records keyed by feature name (KServe's dict rows)", async () => {
    const r = await call('POST', '/v1/models/records:predict', JSON.stringify({ instances: [{ a: 1, b: 2, c: 3, d: 4 }, [0.5, 0.5, 9, 0]] }));
    assert.equal(r.status, 200);
    assert.deepEqual(r.json, { predictions: [{ sum: 10, argmax: 3 }, { sum: 10, argmax: 2 }] });
    const cols = await call('POST', '/v1/models/records:predict', JSON.stringify({ inputs: [{ d: 1, a: 2 }] }));
    assert.deepEqual(cols.json, { predictions: [{ sum: 'NaN', argmax: 0 }] }, 'missing features are NaN');
    const bad = await call('POST', '/v1/models/records:predict', JSON.stringify({ instances: [{ a: 1, sepal: 2 }] }));
    assert.equal(bad.status, 400);
    assert.match(bad.json.error, /instances\[0\]\.sepal.*one of the features a, b, c, d/);
  });

  test('predict with inputs, nested identity keeps shape', async () => {
    const r = await call('POST', '/v1/models/echo:predict', JSON.stringify({ inputs: [[1, 2], [3, 4]] }));
    assert.deepEqual(r.json, { predictions: [[1, 2], [3, 4]] });
  });

  test('explain is 501', async () => {
    const r = await call('POST', '/v1/models/rowsum:explain', JSON.stringify({ instances: [[1, 2, 3, 4]] }));
    assert.equal(r.status, 501);
    assert.match(r.json.error, /explain/);
  });

  test('bad V1 input gets 400 naming the field', async () => {
    let r = await call('POST', '/v1/models/rowsum:predict', '{"instances": [[1,2,3,4],[1,2]]}');
    assert.equal(r.status, 400);
    assert.match(r.json.error, /instances\[1\]/);
    r = await call('POST', '/v1/models/rowsum:predict', '{"instances": [[1,2,3]]}');
    assert.equal(r.status, 400);
    assert.match(r.json.error, /shape.*\[1\].*got 3.*expected 4/);
    r = await call('POST', '/v1/models/rowsum:predict', '{"instances": 5}');
    assert.equal(r.status, 400);
    assert.match(r.json.error, /instances: got 5, expected a list/);
    r = await call('POST', '/v1/models/rowsum:predict', '{"instances": [[1,2,"x",4]]');
    assert.equal(r.status, 400);
    assert.match(r.json.error, /invalid JSON/);
  });
});

describe('V2 REST', () => {
  test('server metadata, health, model metadata and ready', async () => {
    const md = await call('GET', '/v2');
    assert.equal(md.json.name, 'kserve-ts');
    assert.ok(md.json.extensions.includes('model_repository_extension'));
    assert.deepEqual((await call('GET', '/v2/health/live')).json, { live: true });
    assert.deepEqual((await call('GET', '/v2/health/ready')).json, { ready: true });
    const mm = await call('GET', '/v2/models/rowsum');
    assert.deepEqual(mm.json.inputs, [{ name: 'x', datatype: 'FP32', shape: [-1, 4] }]);
    assert.deepEqual((await call('GET', '/v2/models/rowsum/ready')).json, { name: 'rowsum', ready: true });
    assert.equal((await call('GET', '/v2/models/broken/ready')).status, 503);
    assert.equal((await call('GET', '/v2/models/none/ready')).status, 404);
    assert.equal((await call('GET', '/v2/models/rowsum/versions/7')).status, 404);
  });

  test('infer with id echo, parameters and outputs selection', async () => {
    const body = { id: 'req-42', inputs: [{ name: 'x', shape: [2, 4], datatype: 'FP32', data: [[1, 2, 3, 4], [4, 3, 2, 1]] }], outputs: [{ name: 'argmax' }] };
    const r = await call('POST', '/v2/models/rowsum/infer', JSON.stringify(body));
    assert.equal(r.status, 200);
    assert.deepEqual(r.json, { model_name: 'rowsum', id: 'req-42', outputs: [{ name: 'argmax', datatype: 'INT64', shape: [2], data: [3, 0] }] });
    const noId = await call('POST', '/v2/models/rowsum/infer', JSON.stringify({ inputs: body.inputs }));
    assert.match(noId.json.id, /^[0-9a-f-]{36}$/);
    assert.deepEqual(noId.json.outputs.map((o: { name: string }) => o.name), ['sum', 'argmax']);
  });

  test('INT64 beyond 2^53 is exact in JSON both ways', async () => {
    const text = '{"inputs":[{"name":"big","shape":[3],"datatype":"INT64","data":[9223372036854775807,-9223372036854775808,9007199254740993]}]}';
    const r = await call('POST', '/v2/models/echo/infer', text);
    const body = Buffer.from(r.raw).toString('utf8');
    assert.match(body, /"data":\[9223372036854775807,-9223372036854775808,9007199254740993\]/);
  });

  test('binary extension: input and output, byte-for-byte', async () => {
    const x = new Float32Array([1, 2, 3, 4, 5, 6, 7, 8]);
    const header = JSON.stringify({
      inputs: [{ name: 'x', shape: [2, 4], datatype: 'FP32', parameters: { binary_data_size: 32 } }],
      outputs: [{ name: 'sum', parameters: { binary_data: true } }, { name: 'argmax', parameters: { binary_data: false } }],
    });
    const hb = Buffer.from(header);
    const body = Buffer.concat([hb, Buffer.from(x.buffer)]);
    const r = await call('POST', '/v2/models/rowsum/infer', body, { 'content-type': 'application/octet-stream', 'inference-header-content-length': String(hb.length) });
    assert.equal(r.status, 200);
    const hl = Number(r.headers.get('inference-header-content-length'));
    const head = JSON.parse(Buffer.from(r.raw.subarray(0, hl)).toString('utf8'));
    assert.deepEqual(head.outputs[0], { name: 'sum', datatype: 'FP32', shape: [2], parameters: { binary_data_size: 8 } });
    assert.deepEqual(head.outputs[1].data, [3, 3]);
    const sums = new Float32Array(r.raw.slice(hl).buffer);
    assert.deepEqual([...sums], [10, 26]);
  });

  test('binary_data_output makes every output binary', async () => {
    const hb = Buffer.from(JSON.stringify({ parameters: { binary_data_output: true }, inputs: [{ name: 's', shape: [2], datatype: 'BYTES', data: ['hi', ''] }] }));
    const r = await call('POST', '/v2/models/echo/infer', hb);
    const hl = Number(r.headers.get('inference-header-content-length'));
    assert.deepEqual([...r.raw.subarray(hl)], [2, 0, 0, 0, 0x68, 0x69, 0, 0, 0, 0]);
  });

  test('bad V2 input: 400s that name field, value and expectation', async () => {
    const cases: [string, RegExp][] = [
      ['{"inputs":[{"name":"x","shape":[2,4],"datatype":"FP32","data":[1,2,3]}]}', /inputs\[0\]\.data: got "3 elements", expected 8 elements/],
      ['{"inputs":[{"name":"x","shape":[1,4],"datatype":"FP64","data":[1,2,3,4]}]}', /inputs\[0\]\.datatype \(input x\): got "FP64", expected FP32/],
      ['{"inputs":[{"name":"y","shape":[1,4],"datatype":"FP32","data":[1,2,3,4]}]}', /inputs\[0\]\.name: got "y", expected one of the model's inputs: x/],
      ['{"inputs":[{"name":"x","shape":[1,4],"datatype":"FP99","data":[1,2,3,4]}]}', /inputs\[0\]\.datatype: got "FP99"/],
      ['{"inputs":[{"name":"x","shape":[1,4],"datatype":"FP32","data":[1,2,"a",4]}]}', /inputs\[0\]\.data\[2\]: got "a", expected a number \(FP32\)/],
      ['{"inputs":[{"name":"x","shape":[1,4],"datatype":"FP32","data":[1,2,3,4]}],"outputs":[{"name":"zzz"}]}', /outputs\[0\]\.name: got "zzz"/],
      ['{"inputs":[{"name":"x","shape":[1,-4],"datatype":"FP32","data":[1,2,3,4]}]}', /inputs\[0\]\.shape\[1\]: got -4/],
      ['not json', /invalid JSON/],
    ];
    for (const [body, re] of cases) {
      const r = await call('POST', '/v2/models/rowsum/infer', body);
      assert.equal(r.status, 400, body);
      assert.match(r.json.error, re);
    }
  });

  test('bad binary framing: 400', async () => {
    const hb = Buffer.from(JSON.stringify({ inputs: [{ name: 'x', shape: [1, 4], datatype: 'FP32', parameters: { binary_data_size: 16 } }] }));
    let r = await call('POST', '/v2/models/rowsum/infer', Buffer.concat([hb, Buffer.alloc(8)]), { 'inference-header-content-length': String(hb.length) });
    assert.equal(r.status, 400);
    assert.match(r.json.error, /binary_data_size: got 16, expected at most the 8 binary bytes/);
    r = await call('POST', '/v2/models/rowsum/infer', hb, { 'inference-header-content-length': '99999' });
    assert.equal(r.status, 400);
    assert.match(r.json.error, /Inference-Header-Content-Length/);
  });

  test('unknown model 404, unknown route 404, wrong method 405, oversized body 413', async () => {
    const nf = await call('POST', '/v2/models/nope/infer', '{"inputs":[]}');
    assert.equal(nf.status, 404);
    assert.equal(nf.json.error, 'Model with name nope does not exist.');
    assert.equal((await call('GET', '/v3/whatever')).status, 404);
    assert.equal((await call('GET', '/v2/models/rowsum/infer')).status, 405);
    const big = await call('POST', '/v2/models/rowsum/infer', 'x'.repeat(70 * 1024));
    assert.equal(big.status, 413);
    assert.match(big.json.error, /expected at most 65536 bytes/);
    assert.deepEqual((await call('GET', '/v2/health/live')).json, { live: true });
  });

  test('in-flight limit answers 503 when full, then recovers', async () => {
    const body = JSON.stringify({ inputs: [{ name: 'a', shape: [1], datatype: 'INT32', data: [1] }] });
    const rs = await Promise.all(Array.from({ length: 8 }, () => call('POST', '/v2/models/slow/infer', body)));
    const codes = rs.map((r) => r.status).sort();
    assert.equal(codes.filter((c) => c === 200).length, 4);
    assert.equal(codes.filter((c) => c === 503).length, 4);
    assert.match(rs.find((r) => r.status === 503)!.json.error, /overloaded.*4 requests/);
    assert.equal((await call('POST', '/v2/models/slow/infer', body)).status, 200);
  });
});

describe('repository extension', () => {
  test('index, unload, load', async () => {
    const idx = await call('POST', '/v2/repository/index', '{}');
    const broken = idx.json.find((e: { name: string }) => e.name === 'broken');
    assert.deepEqual(broken, { name: 'broken', state: 'FAILED', reason: 'weights file is corrupt' });
    assert.deepEqual((await call('POST', '/v2/repository/models/echo/unload')).json, { name: 'echo', unload: true });
    assert.equal((await call('GET', '/v2/models/echo/ready')).status, 503);
    const body = JSON.stringify({ inputs: [{ name: 'a', shape: [1], datatype: 'INT32', data: [1] }] });
    assert.equal((await call('POST', '/v2/models/echo/infer', body)).status, 503);
    assert.deepEqual((await call('POST', '/v2/repository/models/echo/load')).json, { name: 'echo', load: true });
    assert.equal((await call('POST', '/v2/models/echo/infer', body)).status, 200);
    assert.equal((await call('POST', '/v2/repository/models/nope/unload')).status, 404);
    const lf = await call('POST', '/v2/repository/models/broken/load');
    assert.equal(lf.status, 503);
    assert.match(lf.json.error, /broken failed to load: weights file is corrupt/);
    const ready = await call('POST', '/v2/repository/index', '{"ready": true}');
    assert.ok(ready.json.every((e: { state: string }) => e.state === 'READY'));
  });

  test('metrics use KServe names', async () => {
    const r = await fetch(`${s.url}/metrics`);
    const text = await r.text();
    assert.match(text, /request_predict_seconds_bucket\{le="[^"]+",model_name="rowsum"\}/);
    assert.match(text, /request_preprocess_seconds_count\{model_name="rowsum"\}/);
    assert.match(text, /request_postprocess_seconds_count\{model_name="rowsum"\}/);
  });
});
