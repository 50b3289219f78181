/**
 * Small real models for data-plane tests: they do real work on the tensors they get (no canned
 * answers), so tests can check what went through the codecs.
 */
import type { InferRequest, ModelMetadata, TensorMetadata } from '../../protocol/infer.ts';
import { Model, type PredictResult } from '../../runtimes/model.ts';

/** Returns every input as an output of the same name (or `prefix + name`). */
export class IdentityModel extends Model {
  constructor(name: string, private readonly inputs: TensorMetadata[] = [], private readonly delayMs = 0) {
    super(name);
  }
  async load(): Promise<void> {
    this.ready = true;
  }
  metadata(): ModelMetadata {
    return { name: this.name, platform: 'test_identity', inputs: this.inputs, outputs: this.inputs };
  }
  async predict(req: InferRequest): Promise<PredictResult> {
    if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
    return { outputs: req.inputs.map((t) => ({ name: t.name, datatype: t.datatype, shape: t.shape, data: t.data })) };
  }
}

/** Sums each row of an FP32 [n, k] input into an FP32 [n] output `sum`, and returns argmax as INT64 `argmax`. */
export class RowSumModel extends Model {
  async load(): Promise<void> {
    this.ready = true;
  }
  metadata(): ModelMetadata {
    return {
      name: this.name,
      platform: 'test_rowsum',
      inputs: [{ name: 'x', datatype: 'FP32', shape: [-1, 4] }],
      outputs: [
        { name: 'sum', datatype: 'FP32', shape: [-1] },
        { name: 'argmax', datatype: 'INT64', shape: [-1] },
      ],
    };
  }
  predict(req: InferRequest): PredictResult {
    const x = req.inputs[0]!;
    const [n = 0, k = 0] = x.shape;
    const data = x.data as Float32Array;
    const sum = new Float32Array(n);
    const arg = new BigInt64Array(n);
    for (let i = 0; i < n; i++) {
      let best = 0;
      for (let j = 0; j < k; j++) {
        sum[i]! += data[i * k + j]!;
        if (data[i * k + j]! > data[i * k + best]!) best = j;
      }
      arg[i] = BigInt(best);
    }
    return {
      outputs: [
        { name: 'sum', datatype: 'FP32', shape: [n], data: sum },
        { name: 'argmax', datatype: 'INT64', shape: [n], data: arg },
      ],
    };
  }
}

/** A model whose load always fails with `reason`. */
export class BrokenModel extends Model {
  constructor(name: string, private readonly reason: string) {
    super(name);
  }
  async load(): Promise<void> {
    throw new Error(this.reason);
  }
  metadata(): ModelMetadata {
    return { name: this.name, platform: 'test_broken', inputs: [], outputs: [] };
  }
  predict(): PredictResult {
    throw new Error('never loaded');
  }
}
