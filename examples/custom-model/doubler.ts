/**
 * A custom model in one file. Serve it with:
 *   kserve-ts model-server --model-class examples/custom-model/doubler.ts --model-name doubler
 */
import { Model, makeTensor, invalidInput, type InferRequest, type ModelMetadata, type PredictResult } from '../../src/index.ts';

export default class Doubler extends Model {
  async load(): Promise<void> {
    this.ready = true;
  }

  metadata(): ModelMetadata {
    return {
      name: this.name,
      platform: 'custom',
      inputs: [{ name: 'x', datatype: 'FP32', shape: [-1] }],
      outputs: [{ name: 'y', datatype: 'FP32', shape: [-1] }],
    };
  }

  predict(req: InferRequest): PredictResult {
    const x = req.inputs[0]!;
    if (!(x.data instanceof Float32Array)) throw invalidInput('inputs[0].datatype', x.datatype, 'FP32');
    return { outputs: [makeTensor('y', 'FP32', x.shape, x.data.map((v) => v * 2))] };
  }
}
