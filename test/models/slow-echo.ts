/** Test model: echoes its inputs after `delay_ms` (request parameter) milliseconds. */
import { Model, type InferRequest, type ModelMetadata, type PredictResult } from '../../src/index.ts';

export default class SlowEcho extends Model {
  async load(): Promise<void> {
    this.ready = true;
  }
  metadata(): ModelMetadata {
    return { name: this.name, platform: 'custom', inputs: [], outputs: [] };
  }
  async predict(req: InferRequest): Promise<PredictResult> {
    const delay = Number(req.parameters?.delay_ms ?? 0);
    await new Promise((r) => setTimeout(r, delay));
    return { outputs: req.inputs };
  }
}
