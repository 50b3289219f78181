/**
 * OnnxModel with real models: the iris anchor, MNIST, Silero VAD (stateful, int64 scalar input),
 * PaddleOCR (CTC text recognition); concurrency, input errors, data types at the edges, and the
 * main event loop staying free while a big batch runs. Lifecycle: onnx-lifecycle.test.ts; load
 * failures and the CUDA fallback: onnx-load-failures.test.ts.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as ort from 'onnxruntime-node';
import { ServingError } from '../../core/errors.ts';
import type { InferRequest } from '../../protocol/infer.ts';
import type { Tensor } from '../../protocol/tensor.ts';
import { ONNX_PLATFORM, OnnxModel } from './onnx-model.ts';
import { type ConformanceCase, listCases, loadDataset, onnxFixturesDir } from './testing/cases.ts';
import { compareOutputs } from './testing/compare.ts';
import { ctcGreedyDecode, dynamicBatchMnist, irisInput, mnistDigits, readIrisRows, readWavMono16, realModelDirs } from './testing/fixtures.ts';

const fixtures = onnxFixturesDir(process.env.KSERVE_TS_ONNX_FIXTURES);
const dirs = realModelDirs(fixtures);

const req = (modelName: string, inputs: Tensor[], outputs?: string[]): InferRequest =>
  outputs ? { modelName, inputs, outputs: outputs.map((name) => ({ name })) } : { modelName, inputs };

function argmax(a: Float32Array, from = 0, to = a.length): number {
  let best = from;
  for (let i = from + 1; i < to; i++) if (a[i]! > a[best]!) best = i;
  return best - from;
}

/** `p` may throw or return a rejected promise (predict is synchronous for inline runs). */
async function rejectsWith(p: () => unknown, code: string, pattern: RegExp): Promise<void> {
  await assert.rejects(async () => p(), (err: unknown) => {
    assert.ok(err instanceof ServingError, `expected a ServingError, got ${String(err)}`);
    assert.equal(err.code, code);
    assert.match(err.message, pattern);
    return true;
  });
}

/**
 * Runs `work` while a 1 ms interval timer ticks; returns the largest gap seen between ticks
 * (counting the stretch from the last tick to the end), i.e. the longest the loop was held.
 */
async function maxTimerGap<T>(work: () => Promise<T>): Promise<{ value: T; gapMs: number }> {
  let last = performance.now();
  let gap = 0;
  const tick = (): void => {
    const now = performance.now();
    gap = Math.max(gap, now - last);
    last = now;
  };
  const iv = setInterval(tick, 1);
  try {
    const value = await work();
    tick();
    return { value, gapMs: gap };
  } finally {
    clearInterval(iv);
  }
}

/** The case of fixtures/onnx/models/<name>. */
async function modelCase(name: string): Promise<ConformanceCase> {
  const c = (await listCases(join(fixtures, 'models'))).find((x) => x.name === name);
  assert.ok(c, `fixtures/onnx/models/${name}`);
  return c;
}

const mnistBatch = (n: number): Promise<Tensor> => mnistDigits(fixtures, n);

describe('iris (anchor model)', () => {
  const model = new OnnxModel({ name: 'iris', modelDir: dirs.iris, workers: 2 });
  before(() => model.load());
  after(() => model.unload());

  test('metadata comes from the session, with -1 for the symbolic batch dim', () => {
    assert.deepEqual(model.metadata(), {
      name: 'iris',
      platform: ONNX_PLATFORM,
      inputs: [{ name: 'input-0', datatype: 'FP32', shape: [-1, 4] }],
      outputs: [{ name: 'output-0', datatype: 'INT64', shape: [-1] }],
    });
    assert.equal(model.ready, true);
    assert.equal(model.executionProvider, 'cpu');
  });

  test('predicts the labels sklearn predicts for all 100 test rows (one batch)', async () => {
    const rows = await readIrisRows(dirs.iris);
    const res = await model.predict(req('iris', [irisInput(rows)]));
    assert.equal(res.outputs.length, 1);
    const out = res.outputs[0]!;
    assert.equal(out.name, 'output-0');
    assert.equal(out.datatype, 'INT64');
    assert.deepEqual(out.shape, [100]);
    assert.deepEqual(Array.from(out.data as BigInt64Array, Number), rows.map((r) => r.label));
  });

  test('100 concurrent single-row requests over 2 workers each get their own answer', async () => {
    const rows = await readIrisRows(dirs.iris);
    assert.equal(model.pool?.threadIds().length, 2);
    const results = await Promise.all(rows.map((r) => model.predict(req('iris', [irisInput([r])]))));
    assert.deepEqual(results.map((r) => Number((r.outputs[0]!.data as BigInt64Array)[0])), rows.map((r) => r.label));
  });

  test('an empty batch (a 0 dim) gives an empty output', async () => {
    const res = await model.predict(req('iris', [{ name: 'input-0', datatype: 'FP32', shape: [0, 4], data: new Float32Array(0) }]));
    assert.deepEqual(res.outputs[0]!.shape, [0]);
    assert.equal(res.outputs[0]!.data.length, 0);
  });

  test('a tensor viewing part of a bigger buffer is sent as just its own elements', async () => {
    const rows = await readIrisRows(dirs.iris);
    const big = new Float32Array(1 << 16);
    big.set(rows[50]!.features, 1000);
    const res = await model.predict(req('iris', [{ name: 'input-0', datatype: 'FP32', shape: [1, 4], data: big.subarray(1000, 1004) }]));
    assert.equal(Number((res.outputs[0]!.data as BigInt64Array)[0]), rows[50]!.label);
    assert.equal(big.byteLength, 1 << 18, 'the caller keeps its buffer');
  });

  test('an output requested twice comes back twice (one buffer, transferred once)', async () => {
    const rows = await readIrisRows(dirs.iris);
    const res = await model.predict(req('iris', [irisInput(rows)], ['output-0', 'output-0']));
    assert.deepEqual(res.outputs.map((o) => [o.name, o.shape]), [['output-0', [100]], ['output-0', [100]]]);
  });

  test('bad requests are INVALID_INPUT (400) naming the problem', async () => {
    const f32 = (shape: number[]): Tensor => ({ name: 'input-0', datatype: 'FP32', shape, data: new Float32Array(shape.reduce((a, b) => a * b, 1)) });
    await rejectsWith(() => model.predict(req('iris', [f32([1, 5])])), 'INVALID_INPUT', /ONNX Runtime rejected the request: [\s\S]*input-0[\s\S]*Got: 5 Expected: 4/);
    await rejectsWith(() => model.predict(req('iris', [{ ...f32([1, 4]), datatype: 'FP64', data: new Float64Array(4) }])), 'INVALID_INPUT', /datatype \(input input-0\): got "FP64", expected FP32/);
    await rejectsWith(() => model.predict(req('iris', [{ ...f32([1, 4]), data: new Float64Array(4) }])), 'INVALID_INPUT', /Float64Array.*FP32/);
    await rejectsWith(() => model.predict(req('iris', [{ ...f32([1, 4]), name: 'nope' }])), 'INVALID_INPUT', /inputs\[0\]\.name: got "nope", expected one of the model's inputs: input-0/);
    await rejectsWith(() => model.predict(req('iris', [f32([1, 4])], ['nope'])), 'INVALID_INPUT', /outputs\[0\]\.name: got "nope"/);
    await rejectsWith(() => model.predict(req('iris', [])), 'INVALID_INPUT', /input-0/);
  });
});

// mnist-8 pins batch 1; batch tests use a copy with a symbolic batch dim (testing/proto-edit.ts).
let mnistDyn: Awaited<ReturnType<typeof dynamicBatchMnist>>;
let mnistDynDir = '';
before(async () => {
  mnistDyn = await dynamicBatchMnist(dirs.mnist);
  mnistDynDir = mnistDyn.dir;
});
after(() => mnistDyn.close());

describe('MNIST (mnist-8)', () => {
  const original = new OnnxModel({ name: 'mnist-8', modelDir: dirs.mnist });
  let model: OnnxModel;
  before(async () => {
    model = new OnnxModel({ name: 'mnist', modelDir: mnistDynDir });
    await Promise.all([original.load(), model.load()]);
  });
  after(() => Promise.all([original.unload(), model.unload()]));

  test('the KServe e2e digit is a 2, and the logits match the reference output', async () => {
    const c = await modelCase('mnist-8');
    const { inputs, expected } = await loadDataset(c.datasets[0]!);
    const res = await original.predict(req('mnist-8', inputs));
    assert.deepEqual(compareOutputs(expected, res.outputs), []);
    assert.equal(argmax(res.outputs[0]!.data as Float32Array), 2);
    assert.deepEqual(model.metadata().inputs[0]!.shape, [-1, 1, 28, 28]);
    const dyn = await model.predict(req('mnist', inputs));
    assert.deepEqual(compareOutputs(expected, dyn.outputs), [], 'the dynamic-batch copy computes the same logits');
  });

  test('a large input that owns its buffer moves to the worker; a small one is copied', async () => {
    const big = await mnistBatch(32); // 100 KB
    const small = await mnistBatch(1); // 3 KB
    await model.predict(req('mnist', [big]));
    await model.predict(req('mnist', [small]));
    assert.equal((big.data as Float32Array).byteLength, 0, 'moved (detached)');
    assert.equal((small.data as Float32Array).length, 784, 'copied');
  });

  test('a batch-1024 inference leaves the main event loop free (p99 delay well under 10 ms)', async (t) => {
    const runs = 4;
    const inputs = await Promise.all(Array.from({ length: runs }, () => mnistBatch(1024)));
    const eld = monitorEventLoopDelay({ resolution: 1 });
    eld.enable();
    const started = performance.now();
    const { gapMs } = await maxTimerGap(async () => {
      for (const x of inputs) {
        const res = await model.predict(req('mnist', [x]));
        assert.deepEqual(res.outputs[0]!.shape, [1024, 10]);
        assert.equal(argmax(res.outputs[0]!.data as Float32Array, 1023 * 10, 1024 * 10), 2);
      }
    });
    const ms = performance.now() - started;
    eld.disable();
    const p99 = eld.percentile(99) / 1e6;
    t.diagnostic(`worker: ${runs} x batch 1024 in ${ms.toFixed(0)} ms; main loop delay p99 ${p99.toFixed(2)} ms, max ${(eld.max / 1e6).toFixed(2)} ms; largest 1 ms-interval gap ${gapMs.toFixed(2)} ms`);
    assert.ok(p99 < 10, `p99 event loop delay ${p99.toFixed(2)} ms`);

    // Control: the same run in-process blocks the loop for about as long as it takes, so the
    // measurement above would have seen blocking had there been any.
    const session = await ort.InferenceSession.create(join(mnistDynDir, 'model.onnx'), { intraOpNumThreads: 1 });
    try {
      const x = await mnistBatch(1024);
      let runMs = 0;
      const direct = await maxTimerGap(async () => {
        const t0 = performance.now();
        await session.run({ Input3: new ort.Tensor('float32', x.data as Float32Array, x.shape) });
        runMs = performance.now() - t0;
      });
      t.diagnostic(`in-process: one batch-1024 run ${runMs.toFixed(0)} ms; largest 1 ms-interval gap ${direct.gapMs.toFixed(2)} ms`);
      assert.ok(direct.gapMs > runMs / 2, 'the in-process run blocks the loop');
    } finally {
      await session.release();
    }
  });
});

describe('Silero VAD v5 (stateful, int64 scalar input, dims declared 0)', () => {
  const model = new OnnxModel({ name: 'vad', modelDir: dirs.silero });
  before(() => model.load());
  after(() => model.unload());

  test('metadata: dynamic dims are -1 and sr is a scalar', () => {
    const m = model.metadata();
    assert.deepEqual(m.inputs, [
      { name: 'input', datatype: 'FP32', shape: [-1, -1] },
      { name: 'state', datatype: 'FP32', shape: [2, -1, 128] },
      { name: 'sr', datatype: 'INT64', shape: [] },
    ]);
    assert.deepEqual(m.outputs.map((o) => o.name), ['output', 'stateN']);
  });

  test('both reference windows match; the speech window scores far above the silence one', async () => {
    const c = await modelCase('silero-vad-v5');
    const probs: number[] = [];
    for (const ds of c.datasets) {
      const { inputs, expected } = await loadDataset(ds);
      assert.deepEqual(inputs[2]!.shape, []);
      const res = await model.predict(req('vad', inputs));
      assert.deepEqual(compareOutputs(expected, res.outputs), []);
      probs.push((res.outputs[0]!.data as Float32Array)[0]!);
    }
    // One window from a zero state: speech scores 0.32, silence 0.005 (the stream test below
    // checks the > 0.5 decisions once the state has warmed up).
    assert.ok(probs[0]! > 0.1 && probs[1]! < 0.02, `speech/silence probabilities ${probs.join(', ')}`);
  });

  test('streaming the test WAV with the state carried over gives the reference probabilities', async () => {
    const spec = JSON.parse(await readFile(join(dirs.silero, 'streaming_expected.json'), 'utf8')) as { window_samples: number; context_samples: number; probs: number[] };
    const { samples } = await readWavMono16(join(dirs.silero, 'vad_test_16k.wav'));
    const W = spec.window_samples;
    const C = spec.context_samples;
    let state: Float32Array = new Float32Array(2 * 128);
    let context: Float32Array = new Float32Array(C);
    const probs: number[] = [];
    for (let start = 0; start + W <= samples.length; start += W) {
      const input = new Float32Array(C + W);
      input.set(context);
      input.set(samples.subarray(start, start + W), C);
      const res = await model.predict(req('vad', [
        { name: 'input', datatype: 'FP32', shape: [1, C + W], data: input },
        { name: 'state', datatype: 'FP32', shape: [2, 1, 128], data: state },
        { name: 'sr', datatype: 'INT64', shape: [], data: BigInt64Array.of(16000n) },
      ]));
      probs.push((res.outputs[0]!.data as Float32Array)[0]!);
      state = res.outputs[1]!.data as Float32Array;
      context = input.slice(input.length - C);
    }
    assert.equal(probs.length, spec.probs.length);
    const worst = Math.max(...probs.map((p, i) => Math.abs(p - spec.probs[i]!)));
    assert.ok(worst < 1e-4, `largest difference from the reference ${worst}`);
    assert.equal(probs.filter((p) => p > 0.5).length, 183);
  });

  test('requested outputs are the only ones computed and returned', async () => {
    const c = await modelCase('silero-vad-v5');
    const { inputs } = await loadDataset(c.datasets[0]!);
    const res = await model.predict(req('vad', inputs, ['stateN']));
    assert.deepEqual(res.outputs.map((o) => [o.name, o.shape]), [['stateN', [2, 1, 128]]]);
  });

  test('a missing input is INVALID_INPUT with ONNX Runtime\'s message', async () => {
    const c = await modelCase('silero-vad-v5');
    const { inputs } = await loadDataset(c.datasets[0]!);
    await rejectsWith(() => model.predict(req('vad', inputs.slice(0, 2))), 'INVALID_INPUT', /sr/);
  });
});

test('PaddleOCR v4 recognizer reads "KServe 2026 ONNX" (greedy CTC decode)', async () => {
  const model = new OnnxModel({ name: 'ocr', modelDir: dirs.paddleocr });
  await model.load();
  try {
    assert.deepEqual(model.metadata().inputs, [{ name: 'x', datatype: 'FP32', shape: [-1, 3, 48, -1] }]);
    const c = await modelCase('paddleocr-rec-v4');
    const { inputs, expected } = await loadDataset(c.datasets[0]!);
    const res = await model.predict(req('ocr', inputs));
    assert.deepEqual(compareOutputs(expected, res.outputs), []);
    const out = res.outputs[0]!;
    assert.deepEqual(out.shape, [1, 46, 6625]);
    const keys = (await readFile(join(dirs.paddleocr, 'ppocr_keys_v1.txt'), 'utf8')).split('\n');
    if (keys.at(-1) === '') keys.pop();
    assert.equal(ctcGreedyDecode(out.data as Float32Array, 46, 6625, keys), 'KServe 2026 ONNX');
  } finally {
    await model.unload();
  }
});

describe('data types at the edges', () => {
  const identity = (t: string): string => join(fixtures, 'dtypes', `test_types_${t}`);

  test('BYTES ↔ ORT string tensors round-trip UTF-8', async () => {
    const model = new OnnxModel({ name: 's', modelDir: identity('string') });
    await model.load();
    try {
      const enc = new TextEncoder();
      const items = ['', 'a', 'héllo', '日本語', 'x'.repeat(1000)].map((s) => enc.encode(s));
      const res = await model.predict(req('s', [{ name: 'input', datatype: 'BYTES', shape: [1, 5], data: items }]));
      assert.equal(res.outputs[0]!.datatype, 'BYTES');
      assert.deepEqual((res.outputs[0]!.data as Uint8Array[]).map((b) => Buffer.from(b).toString()), ['', 'a', 'héllo', '日本語', 'x'.repeat(1000)]);
    } finally {
      await model.unload();
    }
  });

  test('FP16 travels as half bit patterns and BOOL as 0/1 bytes', async () => {
    const f16 = new OnnxModel({ name: 'h', modelDir: identity('float16') });
    const b = new OnnxModel({ name: 'b', modelDir: identity('bool') });
    await Promise.all([f16.load(), b.load()]);
    try {
      const h = await f16.predict(req('h', [{ name: 'input', datatype: 'FP16', shape: [1, 1, 1, 1], data: Uint16Array.of(0x3555) }]));
      assert.equal(h.outputs[0]!.datatype, 'FP16');
      assert.deepEqual(h.outputs[0]!.data, Uint16Array.of(0x3555));
      const r = await b.predict(req('b', [{ name: 'input', datatype: 'BOOL', shape: [1, 5], data: Uint8Array.of(1, 0, 0, 1, 1) }]));
      assert.equal(r.outputs[0]!.datatype, 'BOOL');
      assert.deepEqual(r.outputs[0]!.data, Uint8Array.of(1, 0, 0, 1, 1));
    } finally {
      await Promise.all([f16.unload(), b.unload()]);
    }
  });
});
