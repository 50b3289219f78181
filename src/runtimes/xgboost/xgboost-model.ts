/**
 * `XgboostModel`: serves an XGBoost booster (`.json`, `.ubj`, legacy `.bst`/`.model`) with the
 * TypeScript evaluator in this folder, on the event-loop thread: no Python, no native addon.
 *
 * Protocol, as KServe's xgbserver:
 * - one input `input-0`, [-1, num_feature]; FP32 on the wire is the declared type, but FP64 and
 *   integer tensors are accepted and converted (preprocess), and a lone input under another name
 *   is taken as `input-0` (xgbserver ignores input names);
 * - one output `output-0`, FP32: class ids [N] for multi:softmax, probabilities [N, num_class]
 *   for multi:softprob, a probability [N] for binary:logistic, a value [N] for regression;
 * - request parameter `output_margin: true` (V2 `parameters`) returns the raw margins instead
 *   ([N], or [N, groups] with several classes/targets), like `Booster.predict(output_margin=True)`.
 *
 * Missing values are NaN (the default branch of each split), never 0: in V2 binary and gRPC send
 * float NaN; in V2 JSON send the string "NaN" (our JSON codec's spelling, protocol/json-data.ts);
 * in V1 rows (`{"instances": [[5.1, null, 1.4, "NaN"]]}`) null or "NaN" (decodeV1Instances).
 */
import { invalidInput, modelLoadFailed, modelNotReady } from '../../core/errors.ts';
import type { InferRequest, ModelMetadata } from '../../protocol/infer.ts';
import type { Tensor } from '../../protocol/tensor.ts';
import { Model, type ModelOptions, type PredictResult, type RequestContext } from '../model.ts';
import { booleanParameter, jsonRows, toFloatArray } from '../numeric-input.ts';
import { XgbBooster } from './booster.ts';
import { findXgboostFile, readBoosterFile } from './model-file.ts';
import { ModelFormatError } from './spec.ts';

/** The platform string of the model metadata (Triton's FIL backend uses the same idea). */
export const XGBOOST_PLATFORM = 'xgboost';
export const XGBOOST_INPUT = 'input-0';
export const XGBOOST_OUTPUT = 'output-0';

export class XgboostModel extends Model {
  readonly modelDir: string;
  readonly version: string | undefined;
  private booster: XgbBooster | undefined;
  private meta: ModelMetadata | undefined;

  constructor(opts: ModelOptions) {
    super(opts.name);
    this.modelDir = opts.modelDir;
    this.version = opts.version;
  }

  /** The loaded evaluator (benchmarks and tests). @internal */
  get evaluator(): XgbBooster | undefined {
    return this.booster;
  }

  async load(): Promise<void> {
    if (this.booster) return;
    const path = await findXgboostFile(this.name, this.modelDir);
    const spec = await readBoosterFile(this.name, path);
    let booster: XgbBooster;
    try {
      booster = new XgbBooster(spec);
    } catch (err) {
      if (err instanceof ModelFormatError) throw modelLoadFailed(this.name, `${path}: ${err.message}`, err);
      throw err;
    }
    const outShape = booster.outputShape(-1, false);
    this.meta = {
      name: this.name,
      platform: XGBOOST_PLATFORM,
      inputs: [{ name: XGBOOST_INPUT, datatype: 'FP32', shape: [-1, booster.numFeature] }],
      outputs: [{ name: XGBOOST_OUTPUT, datatype: 'FP32', shape: outShape }],
      parameters: { objective: spec.objective, booster: spec.booster },
    };
    if (this.version !== undefined) this.meta.versions = [this.version];
    this.booster = booster;
    this.ready = true;
  }

  metadata(): ModelMetadata {
    if (!this.meta) throw modelNotReady(this.name);
    return this.meta;
  }

  /**
   * V1 rows: each a list of num_feature values, null or "NaN" for a missing value (null is how
   * pandas' to_json writes NaN; the generic V1 codec would refuse it), into FP32 `input-0`.
   */
  override decodeV1Instances(instances: readonly unknown[]): Tensor[] {
    const b = this.booster;
    if (!b) throw modelNotReady(this.name);
    const F = b.numFeature;
    return [{ name: XGBOOST_INPUT, datatype: 'FP32', shape: [instances.length, F], data: jsonRows(instances, F, Float32Array) }];
  }

  /** Converts the input to FP32 under the name `input-0`, so the data plane's checks pass. */
  override preprocess(req: InferRequest, _ctx: RequestContext): InferRequest {
    if (req.inputs.length !== 1) return req; // the data plane names what is missing or extra
    const t = req.inputs[0]!;
    if (t.datatype === 'FP32' && t.name === XGBOOST_INPUT) return req;
    return { ...req, inputs: [{ ...t, name: XGBOOST_INPUT, datatype: 'FP32', data: toFloatArray(t, Float32Array) }] };
  }

  predict(req: InferRequest, _ctx?: RequestContext): PredictResult {
    const b = this.booster;
    if (!b) throw modelNotReady(this.name);
    if (req.inputs.length !== 1) throw invalidInput('inputs', `${req.inputs.length} inputs`, `one input ${XGBOOST_INPUT}`);
    const t = req.inputs[0]!;
    const F = b.numFeature;
    if (t.shape.length !== 2 || t.shape[1] !== F) {
      throw invalidInput(`inputs[0].shape (input ${t.name})`, t.shape, `[rows, ${F}]: the model has ${F} features`);
    }
    const x = toFloatArray(t, Float32Array);
    const rows = t.shape[0]!;
    if (x.length !== rows * F) throw invalidInput(`inputs[0].data (input ${t.name})`, `${x.length} values`, `${rows * F} for shape [${rows}, ${F}]`);
    const margin = booleanParameter(req, 'output_margin');
    const p = b.predict(x, rows, margin);
    return { outputs: [{ name: XGBOOST_OUTPUT, datatype: 'FP32', shape: p.shape, data: p.data }] };
  }

  override unload(): Promise<void> {
    this.booster = undefined;
    this.meta = undefined;
    this.ready = false;
    return Promise.resolve();
  }
}

/** The ModelFactory for the 'xgboost' model format. */
export function createXgboostModel(opts: ModelOptions): XgboostModel {
  return new XgboostModel(opts);
}
