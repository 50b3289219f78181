/**
 * Small real models for data-plane tests: they do real work on the tensors they get (no canned
 * answers), so tests can check what went through the codecs.
 */
import { invalidInput } from '../../core/errors.ts';
import type { InferRequest, ModelMetadata, TensorMetadata } from '../../protocol/infer.ts';
import type { Tensor } from '../../protocol/tensor.ts';
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

/**
 * RowSumModel whose V1 rows may also be records keyed by the feature names a, b, c, d (as tree
 * and PMML models take them); a missing feature is NaN, an unknown one is INVALID_INPUT.
 */
export class RecordRowSumModel extends RowSumModel {
  static readonly FEATURES = ['a', 'b', 'c', 'd'];
  override decodeV1Instances(rows: readonly unknown[]): Tensor[] {
    const f = RecordRowSumModel.FEATURES;
    const data = new Float32Array(rows.length * f.length).fill(NaN);
    rows.forEach((row, i) => {
      if (Array.isArray(row)) return row.forEach((v, j) => (data[i * f.length + j] = Number(v)));
      for (const [k, v] of Object.entries(row as Record<string, unknown>)) {
        const j = f.indexOf(k);
        if (j < 0) throw invalidInput(`instances[${i}].${k}`, k, `one of the features ${f.join(', ')}`);
        data[i * f.length + j] = Number(v);
      }
    });
    return [{ name: 'x', datatype: 'FP32', shape: [rows.length, f.length], data }];
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
