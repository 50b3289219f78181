/**
 * Writes the two models the bench builds itself (never committed) into a multi-model directory:
 *
 * - OUT/gap224/model.onnx: GlobalAveragePool, x FP32 [1,3,224,224] → y [1,3,1,1]. Cheap to run
 *   (~150 k adds) with a negligible output, so the server CPU per request is the transport's cost
 *   of carrying a 602 KB tensor in (target 5).
 * - OUT/mnist/model.onnx: the fixture mnist-8 (ONNX model zoo) with its batch dim made symbolic
 *   (the fixture pins it to 1), Input3 FP32 [N,1,28,28] → Plus214_Output_0 [N,10]: "MNIST at
 *   batch 1024" for target 6, ≈ 45 ms per batch-1024 run on one core here.
 * - OUT/mnist-mlp/model.onnx: an MNIST-shaped MLP, Input3 FP32 [N,1,28,28] → Flatten → MatMul
 *   784×H → Relu → MatMul H×10 → logits [N,10]. With H = 1024 it does about the multiply-adds of
 *   mnist-8 (0.81 M vs 0.78 M per image) but runs ≈ 5× faster (one big MatMul), so at c=2 the server
 *   ingests ≈ 380 MB/s of request bodies: the stress row next to target 6.
 *
 *   node --import tsx bench/make-models.ts --out DIR [--hidden 1024]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { OnnxType, buildModel } from '../scripts/onnx-builder.ts';
import { onnxFixturesDir } from '../src/runtimes/onnx/testing/cases.ts';
import { mnistWithDynamicBatch } from '../src/runtimes/onnx/testing/proto-edit.ts';
import { num, parseFlags } from './lib/args.ts';

/** Deterministic small weights (a 32-bit LCG), so every run serves the same model. */
function weights(n: number, seed: number, scale: number): Uint8Array {
  const w = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    w[i] = (s / 2 ** 32 - 0.5) * scale;
  }
  return new Uint8Array(w.buffer);
}

function write(dir: string, model: Buffer): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'model.onnx'), model);
}

function main(argv: readonly string[]): void {
  const f = parseFlags(argv, { out: '', hidden: '1024' });
  if (!f.out) throw new Error('--out DIR is required');
  const h = num(f, 'hidden');
  write(
    join(f.out, 'gap224'),
    buildModel({
      name: 'gap224',
      nodes: [{ op: 'GlobalAveragePool', inputs: ['x'], outputs: ['y'] }],
      initializers: [],
      inputs: [{ name: 'x', type: OnnxType.FLOAT, dims: [1, 3, 224, 224] }],
      outputs: [{ name: 'y', type: OnnxType.FLOAT, dims: [1, 3, 1, 1] }],
    }),
  );
  write(
    join(f.out, 'mnist-mlp'),
    buildModel({
      name: 'mnist-mlp',
      nodes: [
        { op: 'Flatten', inputs: ['Input3'], outputs: ['flat'], attrs: { axis: 1 } },
        { op: 'MatMul', inputs: ['flat', 'w1'], outputs: ['h'] },
        { op: 'Relu', inputs: ['h'], outputs: ['r'] },
        { op: 'MatMul', inputs: ['r', 'w2'], outputs: ['logits'] },
      ],
      initializers: [
        { name: 'w1', type: OnnxType.FLOAT, dims: [784, h], raw: weights(784 * h, 1, 0.1) },
        { name: 'w2', type: OnnxType.FLOAT, dims: [h, 10], raw: weights(h * 10, 2, 0.1) },
      ],
      inputs: [{ name: 'Input3', type: OnnxType.FLOAT, dims: ['N', 1, 28, 28] }],
      outputs: [{ name: 'logits', type: OnnxType.FLOAT, dims: ['N', 10] }],
    }),
  );
  const mnist = readFileSync(join(onnxFixturesDir(), 'models/mnist-8/model.onnx'));
  write(join(f.out, 'mnist'), Buffer.from(mnistWithDynamicBatch(mnist)));
  process.stdout.write(`wrote ${f.out}/{gap224,mnist,mnist-mlp}/model.onnx (mlp hidden ${h})\n`);
}

main(process.argv.slice(2));
