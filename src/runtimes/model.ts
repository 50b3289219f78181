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
import type { Predictor, V1Body } from './transformer/predictor.ts';

export type { V1Body };

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
  /** Transformer mode (`--predictor-host`): where the default `predict` forwards to. */
  predictor?: Predictor;
}

export abstract class Model {
  /** The name the model is served under. */
  readonly name: string;
  /** True once `load()` succeeded and until `unload()`. */
  ready = false;

  /**
   * Transformer mode: the predictor the default `predict` forwards to. Set from the model
   * server's `--predictor-host` (through the constructor's options, or by the server after
   * construction when a subclass's constructor does not pass them on).
   */
  predictor?: Predictor;

  constructor(name: string, opts?: Pick<ModelOptions, 'predictor'>) {
    this.name = name;
    if (opts?.predictor) this.predictor = opts.predictor;
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

  /**
   * Runs before predict; the default passes the request through. It may return, as KServe's
   * Python preprocess may, a V1 body (`{"instances": [...]}`): a forwarding transformer sends it
   * to a v1 predictor as it is; otherwise it is decoded into input tensors by the V1 codec.
   */
  preprocess(req: InferRequest, _ctx: RequestContext): InferRequest | V1Body | Promise<InferRequest | V1Body> {
    return req;
  }

  /**
   * Runs the model. Outputs not requested may be returned: the data plane selects. A
   * `Transformer` (runtimes/transformer/transformer.ts) has a default that forwards to the predictor.
   */
  abstract predict(req: InferRequest, ctx: RequestContext): PredictResult | Promise<PredictResult>;

  /**
   * True when predict is a Transformer's default and there is a predictor to forward to: then a
   * V1 body from preprocess goes to the predictor as it is.
   */
  get forwardsToPredictor(): boolean {
    return false;
  }

  /**
   * Sends a (preprocessed) request to the predictor (`--predictor-host`) and returns its outputs:
   * what a Transformer's default predict does. Any model's own predict may call it too.
   */
  forward(payload: InferRequest | V1Body, ctx: RequestContext): Promise<PredictResult> {
    if (!this.predictor) return Promise.reject(notImplemented(`predict for model ${this.name} (it has no predict of its own and no --predictor-host to forward to)`));
    return this.predictor.infer(this.name, payload, ctx.headers, ctx.signal);
  }

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
