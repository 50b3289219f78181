/** Test predictor: answers with the request headers it received, one BYTES output per header. */
import { Model, makeTensor, type ModelMetadata, type PredictResult, type RequestContext, type InferRequest } from '../../src/index.ts';

export const ECHOED = ['x-request-id', 'x-b3-traceid', 'traceparent', 'authorization', 'cookie'] as const;

export default class HeaderEcho extends Model {
  async load(): Promise<void> {
    this.ready = true;
  }
  metadata(): ModelMetadata {
    return { name: this.name, platform: 'custom', inputs: [], outputs: [] };
  }
  predict(_req: InferRequest, ctx: RequestContext): PredictResult {
    const enc = new TextEncoder();
    return { outputs: ECHOED.map((h) => makeTensor(h, 'BYTES', [1], [enc.encode(ctx.headers[h] ?? '-')])) };
  }
}
