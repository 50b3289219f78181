/**
 * What running ONNX Runtime in a worker thread costs per request at batch 1: `OnnxModel.predict`
 * (postMessage to the worker, run, postMessage back) against `session.run` in-process on the same
 * model with the same session options, one request at a time.
 *
 *   node --import tsx bench/onnx-worker-overhead.ts [iterations]
 *
 * Rounds alternate direct / worker / direct / worker … so that machine noise hits both sides;
 * per side the mean and percentiles over all rounds are printed, and the overhead is the
 * difference. Models: the iris anchor (FP32 [1,4] → INT64 [1]) and mnist-8 (FP32 [1,1,28,28] →
 * FP32 [1,10]).
 */
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import type { Tensor } from '../src/protocol/tensor.ts';
import { OnnxModel } from '../src/runtimes/onnx/onnx-model.ts';
import { listCases, loadDataset, onnxFixturesDir } from '../src/runtimes/onnx/testing/cases.ts';
import { realModelDirs } from '../src/runtimes/onnx/testing/fixtures.ts';

const iterations = Number(process.argv[2] ?? 5000);
const rounds = 6;
const fixtures = onnxFixturesDir(process.env.KSERVE_TS_ONNX_FIXTURES);
const dirs = realModelDirs(fixtures);

interface Stats { mean: number; p50: number; p99: number }

function stats(samples: number[]): Stats {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number): number => s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
  return { mean: s.reduce((a, b) => a + b, 0) / s.length, p50: at(0.5), p99: at(0.99) };
}

async function time(n: number, fn: () => Promise<unknown>, into: number[]): Promise<void> {
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn();
    into.push((performance.now() - t0) * 1000);
  }
}

async function bench(label: string, modelDir: string, input: Tensor): Promise<void> {
  const session = await ort.InferenceSession.create(join(modelDir, 'model.onnx'), {
    intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all', logSeverityLevel: 3,
  });
  const model = new OnnxModel({ name: label, modelDir, workers: 1, intraOpThreads: 1 });
  await model.load();
  const data = input.data as Float32Array;
  const direct = (): Promise<unknown> => session.run({ [input.name]: new ort.Tensor('float32', data.slice(), input.shape) });
  const viaWorker = async (): Promise<unknown> => model.predict({ modelName: label, inputs: [{ ...input, data: data.slice() }] });
  await time(500, direct, []);
  await time(500, viaWorker, []);
  const d: number[] = [];
  const w: number[] = [];
  for (let r = 0; r < rounds; r++) {
    await time(Math.ceil(iterations / rounds), direct, d);
    await time(Math.ceil(iterations / rounds), viaWorker, w);
  }
  await model.unload();
  await session.release();
  const sd = stats(d);
  const sw = stats(w);
  const f = (x: number): string => x.toFixed(1).padStart(7);
  console.log(`${label.padEnd(6)} direct  mean ${f(sd.mean)} µs  p50 ${f(sd.p50)}  p99 ${f(sd.p99)}`);
  console.log(`${label.padEnd(6)} worker  mean ${f(sw.mean)} µs  p50 ${f(sw.p50)}  p99 ${f(sw.p99)}`);
  console.log(`${label.padEnd(6)} overhead mean ${f(sw.mean - sd.mean)} µs  p50 ${f(sw.p50 - sd.p50)}  (${d.length} requests per side)`);
}

const iris: Tensor = { name: 'input-0', datatype: 'FP32', shape: [1, 4], data: Float32Array.of(5.1, 3.5, 1.4, 0.2) };
const mnistCase = (await listCases(join(fixtures, 'models'))).find((c) => c.name === 'mnist-8')!;
const mnist = (await loadDataset(mnistCase.datasets[0]!)).inputs[0]!;
await bench('iris', dirs.iris, iris);
await bench('mnist', dirs.mnist, mnist);
