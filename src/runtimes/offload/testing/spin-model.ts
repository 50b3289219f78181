/**
 * A JavaScript model with real per-row work, for offload tests: `x` FP64 [n, 4] → `score` FP64 [n],
 * score = Σ sin(x_j · k) over k = 1..`work` per feature (so the cost of a batch grows with its
 * rows). Rows with a negative first feature are INVALID_INPUT, to test error travel.
 */
import { invalidInput } from '../../../core/errors.ts';
import type { InferRequest, ModelMetadata } from '../../../protocol/infer.ts';
import type { Tensor } from '../../../protocol/tensor.ts';
import { Model, type ModelOptions, type PredictResult } from '../../model.ts';

export class SpinModel extends Model {
  private readonly work: number;
  constructor(opts: ModelOptions & { work?: number; failLoad?: string }) {
    super(opts.name);
    this.work = opts.work ?? 200;
    if (opts.failLoad !== undefined) this.load = () => Promise.reject(new Error(opts.failLoad));
  }
  async load(): Promise<void> {
    this.ready = true;
  }
  metadata(): ModelMetadata {
    return { name: this.name, platform: 'test_spin', inputs: [{ name: 'x', datatype: 'FP64', shape: [-1, 4] }], outputs: [{ name: 'score', datatype: 'FP64', shape: [-1] }] };
  }
  override decodeV1Instances(rows: readonly unknown[]): Tensor[] {
    return [{ name: 'x', datatype: 'FP64', shape: [rows.length, 4], data: Float64Array.from((rows as number[][]).flat()) }];
  }
  predict(req: InferRequest): PredictResult {
    const x = req.inputs[0]!.data as Float64Array;
    const n = x.length / 4;
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      if (x[i * 4]! < 0) throw invalidInput(`inputs[0].data row ${i}`, x[i * 4], 'a non-negative first feature');
      let s = 0;
      for (let j = 0; j < 4; j++) for (let k = 1; k <= this.work; k++) s += Math.sin(x[i * 4 + j]! * k);
      out[i] = s;
    }
    return { outputs: [{ name: 'score', datatype: 'FP64', shape: [n], data: out }] };
  }
}

export function createSpinModel(opts: ModelOptions & { work?: number; failLoad?: string }): SpinModel {
  return new SpinModel(opts);
}
