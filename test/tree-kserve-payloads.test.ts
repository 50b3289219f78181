/**
 * KServe's e2e payloads for its tree and PMML servers, sent as they are to a running `kserve-ts
 * model-server` (in process, port 0) over gRPC and the V2 binary extension, with KServe's asserted
 * answers (test/e2e/predictor/test_xgboost.py, test_pmml.py, test_lightgbm.py):
 * - pmml_input_v2_grpc.json on pmml/kserve/model.pmml: outputs [b"setosa"], [1.0], [0.0], [0.0];
 * - iris_input_v2_grpc.json on xgboost/kserve-iris: `outputs[0].contents.fp32_contents == [1.0, 1.0]`,
 *   and the binary-output payloads give the same FP32 [1, 1];
 * - the same payloads on lightgbm/kserve-iris: KServe's e2e runs them on another model (values
 *   8.79e-06, 0.99923, ...; fixtures README), so what holds here is its argmax [1, 1] and this
 *   model's LightGBM CLI probabilities for the two rows (iris rows 77 and 86; the second is also
 *   lgbserver's test_model.py assertion).
 * (V1 and V2 JSON with these models: tree-pmml-runtimes.e2e.test.ts.)
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { RunningModelServer } from '../src/dataplane/model-server.ts';
import { grpcClient } from './support/oip-client.ts';
import { type ServedModel, serveModel } from './support/model-server.ts';

const F = '../shared/fixtures';
const payload = (name: string): string => readFileSync(`${F}/kserve-payloads/e2e-data/${name}`, 'utf8');

interface GrpcOut { name: string; datatype: string; shape: string[]; contents: Record<string, unknown[]> }
interface GrpcRes { outputs: GrpcOut[]; raw_output_contents: Buffer[] }

const serve = (path: string, name: string): Promise<ServedModel> => serveModel(path, { name, grpc: true });

/** ModelInfer with a KServe gRPC payload file's `inputs` as they are (typed `contents`). */
async function grpcInfer(s: RunningModelServer, model: string, file: string): Promise<GrpcRes> {
  const client = grpcClient(s.grpcPort!);
  try {
    const req = { model_name: model, inputs: (JSON.parse(payload(file)) as { inputs: unknown[] }).inputs };
    return await new Promise<GrpcRes>((resolve, reject) => client.raw.ModelInfer(req, (e: Error | null, r: GrpcRes) => (e ? reject(e) : resolve(r))));
  } finally {
    client.close();
  }
}

/** An output's values as KServe's InferResponse reads them: typed contents, or raw contents when sent. */
function values(res: GrpcRes, i: number): unknown[] {
  const o = res.outputs[i]!;
  const raw = res.raw_output_contents[i];
  if (raw) {
    if (o.datatype === 'FP64') return Array.from(new Float64Array(new Uint8Array(raw).buffer));
    if (o.datatype === 'FP32') return Array.from(new Float32Array(new Uint8Array(raw).buffer));
    throw new Error(`raw ${o.datatype} not read here`);
  }
  if (o.datatype === 'BYTES') return (o.contents['bytes_contents'] as Buffer[]).map((b) => Buffer.from(b).toString('utf8'));
  return o.datatype === 'FP64' ? o.contents['fp64_contents']! : o.contents['fp32_contents']!;
}

/** POST a binary-output payload; the header and the output's bytes. */
async function postBinary(url: string, body: string): Promise<{ head: { outputs: { name: string; datatype: string; shape: number[]; parameters: { binary_data_size: number } }[] }; bytes: Buffer }> {
  const r = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
  const buf = Buffer.from(await r.arrayBuffer());
  assert.equal(r.status, 200, buf.toString().slice(0, 300));
  const hl = Number(r.headers.get('inference-header-content-length'));
  return { head: JSON.parse(buf.subarray(0, hl).toString()), bytes: buf.subarray(hl) };
}

describe('pmmlserver example (pmml/kserve/model.pmml) over gRPC', () => {
  let srv: { s: RunningModelServer; url: string };
  before(async () => (srv = await serve(`${F}/pmml/kserve`, 'pmml')));
  after(() => srv.s.close());

  test('pmml_input_v2_grpc.json → [b"setosa"], [1.0], [0.0], [0.0] (test_pmml.py), Node_Id "2"', async () => {
    const res = await grpcInfer(srv.s, 'pmml', 'pmml_input_v2_grpc.json');
    assert.deepEqual(res.outputs.map((o) => [o.name, o.datatype, o.shape]), [
      ['Species', 'BYTES', ['1']], ['Probability_setosa', 'FP64', ['1']], ['Probability_versicolor', 'FP64', ['1']],
      ['Probability_virginica', 'FP64', ['1']], ['Node_Id', 'BYTES', ['1']],
    ]);
    assert.deepEqual([0, 1, 2, 3, 4].map((i) => values(res, i)), [['setosa'], [1], [0], [0], ['2']]);
  });
});

for (const file of ['model.json', 'model.ubj', 'model.bst']) {
  describe(`xgbserver example (xgboost/kserve-iris/${file})`, () => {
    let srv: { s: RunningModelServer; url: string };
    before(async () => (srv = await serve(`${F}/xgboost/kserve-iris/${file}`, 'xgboost')));
    after(() => srv.s.close());

    test('iris_input_v2_grpc.json → outputs[0].contents.fp32_contents == [1.0, 1.0] (test_xgboost.py)', async () => {
      const res = await grpcInfer(srv.s, 'xgboost', 'iris_input_v2_grpc.json');
      assert.deepEqual(res.outputs[0]!.contents['fp32_contents'], [1, 1]);
      assert.deepEqual(res.outputs[0]!.shape, ['2']);
    });

    for (const p of ['iris_input_v2_binary.json', 'iris_input_v2_all_binary.json']) {
      test(`${p} → binary output-0 FP32 [1.0, 1.0]`, async () => {
        const { head, bytes } = await postBinary(`${srv.url}/v2/models/xgboost/infer`, payload(p));
        assert.deepEqual(head.outputs.map((o) => [o.name, o.datatype, o.shape, o.parameters.binary_data_size]), [['output-0', 'FP32', [2], 8]]);
        assert.deepEqual([bytes.readFloatLE(0), bytes.readFloatLE(4)], [1, 1]);
      });
    }
  });
}

describe('lgbserver example (lightgbm/kserve-iris)', () => {
  // LightGBM CLI probabilities for [6.8,2.8,4.8,1.4] and [6.0,3.4,4.5,1.6] (probe_pred.txt rows 3 and 2).
  const want = [3.1410025763010305e-06, 0.99987270256416205, 0.00012415643326159256, 5.2172911836629736e-05, 0.99973341723875997, 0.00021440984940336599];
  const close = (got: number[]): void => {
    assert.equal(got.length, want.length);
    got.forEach((v, i) => assert.ok(Math.abs(v - want[i]!) <= 1e-12 * Math.max(1, Math.abs(want[i]!)), `[${i}] ${v} vs ${want[i]!}`));
    assert.deepEqual([0, 1].map((r) => { const row = got.slice(r * 3, r * 3 + 3); return row.indexOf(Math.max(...row)); }), [1, 1]);
  };
  let srv: { s: RunningModelServer; url: string };
  before(async () => (srv = await serve(`${F}/lightgbm/kserve-iris`, 'lightgbm')));
  after(() => srv.s.close());

  test('iris_input_v2_grpc.json → [2, 3] probabilities, argmax [1, 1]', async () => {
    const res = await grpcInfer(srv.s, 'lightgbm', 'iris_input_v2_grpc.json');
    assert.deepEqual(res.outputs[0]!.shape, ['2', '3']);
    close(values(res, 0).map(Number));
  });

  for (const p of ['iris_input_v2_binary.json', 'iris_input_v2_all_binary.json']) {
    test(`${p} → binary output-0 FP64 [2, 3], the same probabilities`, async () => {
      const { head, bytes } = await postBinary(`${srv.url}/v2/models/lightgbm/infer`, payload(p));
      assert.deepEqual(head.outputs.map((o) => [o.name, o.datatype, o.shape, o.parameters.binary_data_size]), [['output-0', 'FP64', [2, 3], 48]]);
      close(Array.from({ length: 6 }, (_, i) => bytes.readDoubleLE(i * 8)));
    });
  }
});
