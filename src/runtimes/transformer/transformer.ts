/**
 * `Transformer`: KServe's transformer component in the SDK. A model server started with
 * `--predictor-host` serves it in front of a predictor; its default `predict` forwards the
 * preprocessed request there (KServe's `Model.predict` without an override), so a transformer is
 * usually only `preprocess` and `postprocess`:
 *
 * ```ts
 * export default class Features extends Transformer {
 *   override preprocess(req: InferRequest) { ... return { instances: rows }; }
 *   override postprocess(res: PredictResult) { ... }
 * }
 * ```
 *
 * It has nothing to load (no model dir) and declares no inputs, so requests are not validated
 * against a schema here: the predictor validates what it is sent.
 */
import type { InferRequest, ModelMetadata } from '../../protocol/infer.ts';
import { Model, type PredictResult, type RequestContext } from '../model.ts';

export class Transformer extends Model {
  /** Nothing to load: ready at once (KServe's default `load`). */
  load(): Promise<void> {
    this.ready = true;
    return Promise.resolve();
  }

  /** No declared inputs or outputs: V1 rows decode by their own keys and types, nothing is validated. */
  metadata(): ModelMetadata {
    return { name: this.name, platform: 'kserve-ts-transformer', inputs: [], outputs: [] };
  }

  /** Forwards to the predictor; 501 when the server has no `--predictor-host`. */
  predict(req: InferRequest, ctx: RequestContext): Promise<PredictResult> {
    return this.forward(req, ctx);
  }

  override get forwardsToPredictor(): boolean {
    return this.predictor !== undefined && this.predict === Transformer.prototype.predict;
  }
}
