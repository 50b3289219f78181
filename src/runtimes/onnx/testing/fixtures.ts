/**
 * Paths and small readers for the ONNX test fixtures (fixtures/onnx/models, the iris anchor
 * model), shared by the runtime tests and transport-level tests.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Tensor } from '../../../protocol/tensor.ts';
import { listCases, loadDataset, onnxFixturesDir } from './cases.ts';
import { mnistWithDynamicBatch } from './proto-edit.ts';

/** Folders of the real models under fixtures/onnx/models, and the iris anchor model. */
export function realModelDirs(fixtures = onnxFixturesDir()): Readonly<Record<'mnist' | 'silero' | 'paddleocr' | 'iris', string>> {
  return {
    mnist: join(fixtures, 'models/mnist-8'),
    silero: join(fixtures, 'models/silero-vad-v5'),
    paddleocr: join(fixtures, 'models/paddleocr-rec-v4'),
    iris: join(fixtures, '../../anchors/python-baselines/models/sklearn-iris-onnx'),
  };
}

/** One row of the iris anchor's test_rows.csv: the 4 features and sklearn's label. */
export interface IrisRow {
  features: [number, number, number, number];
  label: number;
}

/** Reads anchors/python-baselines/models/test_rows.csv (100 rows). */
export async function readIrisRows(irisDir: string): Promise<IrisRow[]> {
  const text = await readFile(join(irisDir, '../test_rows.csv'), 'utf8');
  const [header, ...lines] = text.trim().split('\n');
  const cols = header!.split(',');
  const at = (name: string): number => cols.indexOf(name);
  const f = ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'].map(at);
  return lines.map((l) => {
    const v = l.split(',').map(Number);
    return { features: f.map((i) => v[i]!) as IrisRow['features'], label: v[at('sk_label')]! };
  });
}

/** An FP32 [n,4] iris input tensor named `input-0`. */
export function irisInput(rows: readonly IrisRow[]): Tensor {
  return { name: 'input-0', datatype: 'FP32', shape: [rows.length, 4], data: Float32Array.from(rows.flatMap((r) => r.features)) };
}

/** Samples of a 16-bit PCM mono WAV file, scaled to [-1, 1). */
export async function readWavMono16(path: string): Promise<{ sampleRate: number; samples: Float32Array }> {
  const buf = await readFile(path);
  if (buf.toString('latin1', 0, 4) !== 'RIFF' || buf.toString('latin1', 8, 12) !== 'WAVE') throw new Error(`${path}: not a WAV file`);
  let pos = 12;
  let sampleRate = 0;
  while (pos + 8 <= buf.length) {
    const id = buf.toString('latin1', pos, pos + 4);
    const size = buf.readUInt32LE(pos + 4);
    const body = pos + 8;
    if (id === 'fmt ') {
      const format = buf.readUInt16LE(body);
      const channels = buf.readUInt16LE(body + 2);
      const bits = buf.readUInt16LE(body + 14);
      if (format !== 1 || channels !== 1 || bits !== 16) throw new Error(`${path}: expected 16-bit PCM mono`);
      sampleRate = buf.readUInt32LE(body + 4);
    } else if (id === 'data') {
      const n = Math.floor(size / 2);
      const samples = new Float32Array(n);
      for (let i = 0; i < n; i++) samples[i] = buf.readInt16LE(body + 2 * i) / 32768;
      return { sampleRate, samples };
    }
    pos = body + size + (size % 2);
  }
  throw new Error(`${path}: no data chunk`);
}

/**
 * Greedy CTC decoding of a [1, T, C] probability tensor: argmax per step, repeats collapsed,
 * blank (class 0) dropped, class i → `keys[i - 1]`, the last class → space (PaddleOCR's rule).
 */
export function ctcGreedyDecode(probs: Float32Array, steps: number, classes: number, keys: readonly string[]): string {
  let out = '';
  let prev = -1;
  for (let t = 0; t < steps; t++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (probs[t * classes + c]! > probs[t * classes + best]!) best = c;
    if (best !== prev && best !== 0) out += best === classes - 1 ? ' ' : keys[best - 1] ?? '?';
    prev = best;
  }
  return out;
}

/**
 * A temporary model dir holding mnist-8 with a symbolic batch dim (the fixture pins batch 1);
 * `close()` removes it.
 */
export async function dynamicBatchMnist(mnistDir: string): Promise<{ dir: string; close(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'kserve-ts-mnist-'));
  await writeFile(join(dir, 'model.onnx'), mnistWithDynamicBatch(await readFile(join(mnistDir, 'model.onnx'))));
  return { dir, close: () => rm(dir, { recursive: true, force: true }) };
}

/** The MNIST test digit (a 2) repeated `n` times: `Input3`, FP32 [n,1,28,28], a fresh array. */
export async function mnistDigits(fixtures: string, n: number): Promise<Tensor> {
  const c = (await listCases(join(fixtures, 'models'))).find((x) => x.name === 'mnist-8');
  if (!c) throw new Error(`no mnist-8 under ${fixtures}/models`);
  const one = (await loadDataset(c.datasets[0]!)).inputs[0]!.data as Float32Array;
  const data = new Float32Array(n * one.length);
  for (let i = 0; i < n; i++) data.set(one, i * one.length);
  return { name: 'Input3', datatype: 'FP32', shape: [n, 1, 28, 28], data };
}
