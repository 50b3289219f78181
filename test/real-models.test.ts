/**
 * The three real models of fixtures/onnx/models served together from one multi-model directory
 * (`--model-dir fixtures/onnx/models`), called over REST binary, REST JSON and gRPC by the
 * independent client, with semantic checks: MNIST digit → 2, Silero VAD speech vs silence (the
 * int64 scalar `sr` input), PaddleOCR text line → "KServe 2026 ONNX". Also the expected-failures
 * folder as a model dir: every model fails with a clear reason and the server keeps serving.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { RunningModelServer } from '../src/dataplane/model-server.ts';
import type { Tensor } from '../src/protocol/tensor.ts';
import { listCases, loadDataset, onnxFixturesDir } from '../src/runtimes/onnx/testing/cases.ts';
import { compareOutputs } from '../src/runtimes/onnx/testing/compare.ts';
import { ctcGreedyDecode } from '../src/runtimes/onnx/testing/fixtures.ts';
import { grpcClient, inferBinary, inferJson } from './support/oip-client.ts';
import { serveModel } from './support/model-server.ts';

const fixtures = onnxFixturesDir();

const serve = async (dir: string): Promise<RunningModelServer> => (await serveModel(dir, { grpc: true })).s;

async function dataset(model: string, set: number): Promise<{ inputs: Tensor[]; expected: Tensor[] }> {
  const [c] = await listCases(join(fixtures, 'models')).then((cs) => cs.filter((x) => x.name === model));
  return loadDataset(c!.datasets[set]!);
}

const argmax = (a: Float32Array): number => a.reduce((best, v, i) => (v > a[best]! ? i : best), 0);

describe('real models, one multi-model server', () => {
  let s: RunningModelServer;
  let base: string;
  let grpc: ReturnType<typeof grpcClient>;
  before(async () => {
    s = await serve(join(fixtures, 'models'));
    base = `http://127.0.0.1:${s.httpPort}`;
    grpc = grpcClient(s.grpcPort!);
  });
  after(async () => {
    grpc.close();
    await s.close();
  });

  test('all three are READY with session metadata', async () => {
    const idx = (await (await fetch(`${base}/v2/repository/index`, { method: 'POST' })).json()) as { name: string; state: string }[];
    assert.deepEqual(idx.map((e) => [e.name, e.state]), [['mnist-8', 'READY'], ['paddleocr-rec-v4', 'READY'], ['silero-vad-v5', 'READY']]);
    const meta = (await (await fetch(`${base}/v2/models/silero-vad-v5`)).json()) as { inputs: unknown[]; platform: string };
    assert.equal(meta.platform, 'onnxruntime_onnx');
    assert.deepEqual(meta.inputs, [
      { name: 'input', datatype: 'FP32', shape: [-1, -1] },
      { name: 'state', datatype: 'FP32', shape: [2, -1, 128] },
      { name: 'sr', datatype: 'INT64', shape: [] },
    ]);
  });

  test('MNIST: the digit is 2 on every transport, logits match the reference', async () => {
    const { inputs, expected } = await dataset('mnist-8', 0);
    for (const run of [() => inferBinary(base, 'mnist-8', inputs), () => inferJson(base, 'mnist-8', inputs), () => grpc.infer('mnist-8', inputs)]) {
      const out = await run();
      assert.deepEqual(compareOutputs(expected, out), []);
      assert.equal(argmax(out[0]!.data as Float32Array), 2);
    }
  });

  test('Silero VAD: speech window ≫ silence window, int64 scalar sr over every transport', async () => {
    const speech = await dataset('silero-vad-v5', 0);
    const silence = await dataset('silero-vad-v5', 1);
    for (const run of [inferBinary.bind(null, base), inferJson.bind(null, base), (m: string, i: Tensor[], o?: string[]) => grpc.infer(m, i, o)]) {
      const p = await run('silero-vad-v5', speech.inputs, ['output', 'stateN']);
      const q = await run('silero-vad-v5', silence.inputs, ['output']);
      assert.deepEqual(compareOutputs(speech.expected, p), []);
      const ps = (p[0]!.data as Float32Array)[0]!;
      const qs = (q[0]!.data as Float32Array)[0]!;
      assert.ok(ps > 0.2 && qs < 0.01 && ps > 30 * qs, `speech ${ps} vs silence ${qs}`);
    }
  });

  test('PaddleOCR: greedy CTC decoding reads "KServe 2026 ONNX"', async () => {
    const { inputs, expected } = await dataset('paddleocr-rec-v4', 0);
    const keys = (await readFile(join(fixtures, 'models/paddleocr-rec-v4/ppocr_keys_v1.txt'), 'utf8')).split('\n');
    for (const run of [() => inferBinary(base, 'paddleocr-rec-v4', inputs), () => grpc.infer('paddleocr-rec-v4', inputs)]) {
      const [out] = await run();
      assert.deepEqual(compareOutputs(expected, [out!]), []);
      const [, steps, classes] = out!.shape;
      assert.equal(ctcGreedyDecode(out!.data as Float32Array, steps!, classes!, keys), 'KServe 2026 ONNX');
    }
  });
});

test('expected-failures as a model dir: each model fails with a clear reason, the server serves on', async () => {
  const s = await serve(join(fixtures, 'expected-failures'));
  try {
    const base = `http://127.0.0.1:${s.httpPort}`;
    const idx = (await (await fetch(`${base}/v2/repository/index`, { method: 'POST' })).json()) as { name: string; state: string; reason: string }[];
    const reasons = Object.fromEntries(idx.map((e) => [e.name, `${e.state}: ${e.reason}`]));
    assert.match(reasons.PROCESS_ABORT_int4_output__test_cast_FLOAT_to_INT4!, /^FAILED: .*output "output".*int4/);
    assert.match(reasons.run_error_int4_input__test_cast_INT4_to_FLOAT!, /^FAILED: .*input "input".*int4/);
    assert.match(reasons.load_error_bfloat16__test_cast_FLOAT_to_BFLOAT16!, /^FAILED: .*bfloat16/);
    assert.match(reasons.load_error_unregistered_op__test_adagrad!, /^FAILED: .*Adagrad/);
    assert.match(reasons.unsupported_io_sequence__test_identity_sequence!, /^FAILED: .*input "x".*not a tensor/i);
    assert.match(reasons.unsupported_io_optional__test_optional_get_element_optional_tensor!, /^FAILED: .*optional_input/);
    assert.match(reasons.invalid_models!, /^FAILED: .*(several|more than one|4) .*onnx/i);
    const live = await fetch(`${base}/v2/health/live`);
    assert.deepEqual(await live.json(), { live: true });
    const nr = await fetch(`${base}/v2/models/PROCESS_ABORT_int4_output__test_cast_FLOAT_to_INT4/infer`, { method: 'POST', body: '{"inputs":[]}' });
    assert.equal(nr.status, 503);
  } finally {
    await s.close();
  }
});
