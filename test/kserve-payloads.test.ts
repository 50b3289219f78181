/**
 * KServe's own e2e request bodies (fixtures/kserve-payloads) against the model server, with
 * KServe's expected answers: the iris payloads on the scikit-learn iris model exported to ONNX
 * (anchors/python-baselines), V1, v2 JSON, v2 binary output and gRPC; the MNIST V1 payloads.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createLogger } from '../src/core/logger.ts';
import { parseModelServerArgs } from '../src/dataplane/config.ts';
import { type RunningModelServer, startModelServer } from '../src/dataplane/model-server.ts';
import { grpcClient } from './support/oip-client.ts';

const shared = (p: string): string => fileURLToPath(new URL(`../../shared/${p}`, import.meta.url));
const payload = (name: string): string => readFileSync(shared(`fixtures/kserve-payloads/e2e-data/${name}`), 'utf8');

let server: RunningModelServer;
let base: string;

before(async () => {
  const { config } = parseModelServerArgs([
    '--model-dir', shared('anchors/python-baselines/models/sklearn-iris-onnx/model.onnx'),
    '--model-name', 'sklearn-iris', '--host', '127.0.0.1', '--http-port', '0', '--grpc-port', '0',
  ]);
  server = await startModelServer(config, createLogger({ level: 'silent' }));
  base = `http://127.0.0.1:${server.httpPort}`;
});
after(() => server.close());

async function post(path: string, body: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(base + path, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
}

test('iris_input.json (V1) → predictions [1, 1], as KServe e2e expects', async () => {
  const r = await post('/v1/models/sklearn-iris:predict', payload('iris_input.json'));
  assert.deepEqual(await r.json(), { predictions: [1, 1] });
});

test('iris_batch_input.json: every body answers', async () => {
  const bodies = JSON.parse(payload('iris_batch_input.json')) as unknown[];
  for (const b of bodies) {
    const r = await post('/v1/models/sklearn-iris:predict', JSON.stringify(b));
    assert.equal(r.status, 200);
    assert.equal(((await r.json()) as { predictions: number[] }).predictions.length, 2);
  }
});

test('iris_input_v2.json (nested data) → output-0 [1, 1]', async () => {
  const r = await post('/v2/models/sklearn-iris/infer', payload('iris_input_v2.json'));
  const body = (await r.json()) as { model_name: string; outputs: unknown[] };
  assert.equal(body.model_name, 'sklearn-iris');
  assert.deepEqual(body.outputs, [{ name: 'output-0', datatype: 'INT64', shape: [2], data: [1, 1] }]);
});

for (const file of ['iris_input_v2_binary.json', 'iris_input_v2_all_binary.json']) {
  test(`${file} → binary output-0 holding int64 [1, 1]`, async () => {
    const r = await post('/v2/models/sklearn-iris/infer', payload(file));
    assert.equal(r.status, 200);
    const buf = Buffer.from(await r.arrayBuffer());
    const hl = Number(r.headers.get('inference-header-content-length'));
    const head = JSON.parse(buf.subarray(0, hl).toString()) as { outputs: { name: string; parameters: { binary_data_size: number } }[] };
    assert.deepEqual(head.outputs[0]!.parameters, { binary_data_size: 16 });
    assert.deepEqual([buf.readBigInt64LE(hl), buf.readBigInt64LE(hl + 8)], [1n, 1n]);
  });
}

test('iris_input_v2_grpc.json through gRPC typed contents', async () => {
  const client = grpcClient(server.grpcPort!);
  try {
    const req = { model_name: 'sklearn-iris', ...(JSON.parse(payload('iris_input_v2_grpc.json')) as object) };
    const res = await new Promise<any>((resolve, reject) => client.raw.ModelInfer(req, (e: Error | null, r: unknown) => (e ? reject(e) : resolve(r))));
    assert.deepEqual(res.outputs[0].contents.int64_contents, ['1', '1']);
  } finally {
    client.close();
  }
});

test('mnist V1 payloads reach an MNIST model with the right shape checks', async () => {
  const mnist = shared('fixtures/onnx/models/mnist-8/model.onnx');
  const { config } = parseModelServerArgs(['--model-dir', mnist, '--model-name', 'mnist', '--host', '127.0.0.1', '--http-port', '0', '--enable-grpc', 'false']);
  const s = await startModelServer(config, createLogger({ level: 'silent' }));
  try {
    // mnist_input_bw_flat.json sends 784 flat values per instance; mnist-8 wants [1,1,28,28]: a clear 400.
    const r = await fetch(`http://127.0.0.1:${s.httpPort}/v1/models/mnist:predict`, { method: 'POST', body: payload('mnist_input_bw_flat.json') });
    assert.equal(r.status, 400);
    assert.match(((await r.json()) as { error: string }).error, /input Input3\): got \[1,784\], expected rank 4/);
  } finally {
    await s.close();
  }
});
