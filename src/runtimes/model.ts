/**
 * `Model`: the public SDK for everything kserve-ts serves. Every runtime (ONNX, the tree
 * evaluators, user code) is a Model; the data plane calls, per request,
 * `preprocess → predict → postprocess`, and `load`/`unload` from the model repository.
 *
 * A custom model in one file:
 *
 * ```ts
 * import { Model, makeTensor } from 'kserve-ts';
 * export default class Doubler extends Model {
 *   async load() { this.ready = true; }
 *   metadata() { return { name: this.name, platform: 'custom', inputs: [], outputs: [] }; }
 *   predict(req) {
 *     const x = req.inputs[0].data as Float32Array;
 *     return { outputs: [makeTensor('y', 'FP32', req.inputs[0].shape, x.map((v) => v * 2))] };
 *   }
 * }
 * ```
 */
import { notImplemented } from '../core/errors.ts';
import type { InferRequest, ModelMetadata } from '../protocol/infer.ts';
import type { Parameters, Tensor } from '../protocol/tensor.ts';

/** What a request carries besides tensors. */
export interface RequestContext {
  /** Request headers, lower-cased (HTTP headers or gRPC metadata). */
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** Aborted when the client goes away or the server is shutting down. */
  readonly signal?: AbortSignal;
}

/** What predict and postprocess return: the output tensors and optional response parameters. */
export interface PredictResult {
  outputs: Tensor[];
  parameters?: Parameters;
}

/** Options every model gets from the model server. */
export interface ModelOptions {
  /** The name the model is served under. */
  name: string;
  /** The directory (or file) holding the model's artifacts. */
  modelDir: string;
  /** The model version, when the model dir has numbered version subdirectories. */
  version?: string;
}

export abstract class Model {
  /** The name the model is served under. */
  readonly name: string;
  /** True once `load()` succeeded and until `unload()`. */
  ready = false;

  constructor(name: string) {
    this.name = name;
  }

  /** Loads artifacts; sets `ready`. Throw (preferably a ServingError) to fail the load. */
  abstract load(): Promise<void>;

  /** OIP model metadata. An empty `inputs` list turns off input validation. */
  abstract metadata(): ModelMetadata;

  /**
   * Optional: turns V1 rows (`instances`, or a list-valued `inputs`, as the client sent them:
   * lists, or records keyed by feature name) into input tensors. Tree and PMML models implement
   * it for KServe's named-feature records; without it, V1 rows become the model's input tensor(s)
   * by the V1 codec's rules (protocol/v1.ts).
   */
  decodeV1Instances?(instances: readonly unknown[]): Tensor[];

  /**
   * V1 `predictions` as one record per row keyed by output name even when there is one output
   * (KServe's pmmlserver answers so). Default: a single output is returned as plain lists.
   */
  v1Records?: boolean;

  /** Runs before predict; the default passes the request through. */
  preprocess(req: InferRequest, _ctx: RequestContext): InferRequest | Promise<InferRequest> {
    return req;
  }

  /** Runs the model. Outputs not requested may be returned: the data plane selects. */
  abstract predict(req: InferRequest, ctx: RequestContext): PredictResult | Promise<PredictResult>;

  /** Runs after predict; the default passes the result through. */
  postprocess(res: PredictResult, _ctx: RequestContext): PredictResult | Promise<PredictResult> {
    return res;
  }

  /** Explains a prediction; not implemented (501) unless a model overrides it. */
  explain(_req: InferRequest, _ctx: RequestContext): PredictResult | Promise<PredictResult> {
    throw notImplemented(`explain for model ${this.name}`);
  }

  /** Releases resources; sets `ready` to false. */
  unload(): Promise<void> {
    this.ready = false;
    return Promise.resolve();
  }
}

/** Makes a Model for a model directory; one per model format. */
export type ModelFactory = (opts: ModelOptions) => Model;
