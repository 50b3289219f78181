/**
 * `LightgbmModel`: serves a LightGBM text model with the evaluator in this folder, as KServe's
 * lgbserver serves it: input `input-0` [rows, max_feature_idx + 1] (FP32, FP64 or integers,
 * evaluated as float64 like LightGBM), output `output-0` FP64: probabilities for classifiers
 * ([rows] for binary, the positive class, as Booster.predict returns; [rows, num_class] for
 * multiclass), values for regression and ranking.
 *
 * Request parameter `raw_score: true` (V2 `parameters`) returns raw scores instead, as
 * `Booster.predict(raw_score=True)`: margins before the sigmoid/softmax/exp, and in
 * random-forest mode the sum over iterations (LightGBM's raw path does not average).
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { invalidInput, modelLoadFailed, modelNotReady } from '../../core/errors.ts';
import type { InferRequest, ModelMetadata } from '../../protocol/infer.ts';
import type { NumericArray, Tensor } from '../../protocol/tensor.ts';
import { Model, type ModelOptions, type PredictResult, type RequestContext } from '../model.ts';
import { type CompiledEnsemble, compileEnsemble, predictRaw } from './compile.ts';
import { isLightgbmJson, parseLightgbmJson } from './json-model.ts';
import { findLightgbmFile } from './model-file.ts';
import { type Objective, UnsupportedObjectiveError, objectiveOf } from './objective.ts';
import { parseLightgbmModel } from './parse-model.ts';
import { LightgbmFormatError } from './text-format.ts';
import { decodeLightgbmRows } from './v1-rows.ts';

export const LIGHTGBM_PLATFORM = 'lightgbm';
export const LIGHTGBM_INPUT = 'input-0';
export const LIGHTGBM_OUTPUT = 'output-0';

interface Loaded {
  ensemble: CompiledEnsemble;
  objective: Objective;
  featureNames: readonly string[];
  meta: ModelMetadata;
}

export class LightgbmModel extends Model {
  readonly modelDir: string;
  readonly version: string | undefined;
  private loaded: Loaded | undefined;

  constructor(opts: ModelOptions) {
    super(opts.name);
    this.modelDir = opts.modelDir;
    this.version = opts.version;
  }

  /** The model's feature names (feature_names= in the file; Column_N when absent). */
  get featureNames(): readonly string[] {
    if (!this.loaded) throw modelNotReady(this.name);
    return this.loaded.featureNames;
  }

  /** The objective the outputs follow ('custom' when the file names none). */
  get objective(): string {
    if (!this.loaded) throw modelNotReady(this.name);
    return this.loaded.objective.name;
  }

  async load(): Promise<void> {
    const path = await findLightgbmFile(this.name, this.modelDir);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      throw modelLoadFailed(this.name, `cannot read ${path}: ${err instanceof Error ? err.message : String(err)}`, err);
    }
    try {
      const spec = isLightgbmJson(text) ? parseLightgbmJson(text) : parseLightgbmModel(text);
      const objective = objectiveOf(spec.objective);
      const ensemble = compileEnsemble(spec);
      const F = ensemble.numFeatures;
      const meta: ModelMetadata = {
        name: this.name,
        platform: LIGHTGBM_PLATFORM,
        inputs: [{ name: LIGHTGBM_INPUT, datatype: 'FP64', shape: [-1, F] }],
        outputs: [{ name: LIGHTGBM_OUTPUT, datatype: 'FP64', shape: ensemble.k > 1 ? [-1, ensemble.k] : [-1] }],
      };
      if (this.version !== undefined) meta.versions = [this.version];
      this.loaded = { ensemble, objective, featureNames: Object.freeze([...spec.featureNames]), meta };
    } catch (err) {
      if (err instanceof LightgbmFormatError || err instanceof UnsupportedObjectiveError) {
        throw modelLoadFailed(this.name, `${basename(path)}: ${err.message}`, err);
      }
      throw err;
    }
    this.ready = true;
  }

  metadata(): ModelMetadata {
    if (!this.loaded) throw modelNotReady(this.name);
    return this.loaded.meta;
  }

  /** KServe's V1 rows: lists, or records keyed by feature name (v1-rows.ts). */
  override decodeV1Instances(instances: readonly unknown[]): Tensor[] {
    return [decodeLightgbmRows(instances, this.featureNames, LIGHTGBM_INPUT)];
  }

  /** Converts the one input to FP64 under the name `input-0`, so the data plane's checks pass. */
  override preprocess(req: InferRequest, _ctx: RequestContext): InferRequest {
    if (req.inputs.length !== 1) return req; // the data plane names what is missing or extra
    const t = req.inputs[0]!;
    if (t.datatype === 'FP64' && t.name === LIGHTGBM_INPUT && t.data instanceof Float64Array) return req;
    return { ...req, inputs: [{ ...t, name: LIGHTGBM_INPUT, datatype: 'FP64', data: toFloat64(t) }] };
  }

  predict(req: InferRequest, _ctx?: RequestContext): PredictResult {
    const m = this.loaded;
    if (!m) throw modelNotReady(this.name);
    if (req.inputs.length !== 1) throw invalidInput('inputs', `${req.inputs.length} inputs`, `one input ${LIGHTGBM_INPUT}`);
    const t = req.inputs[0]!;
    const { numFeatures: F, k } = m.ensemble;
    if (t.shape.length !== 2 || t.shape[1] !== F) {
      throw invalidInput(`inputs[0].shape (input ${t.name})`, t.shape, `[rows, ${F}]: the model has ${F} features`);
    }
    const x = toFloat64(t);
    const rows = t.shape[0]!;
    if (x.length !== rows * F) throw invalidInput(`inputs[0].data (input ${t.name})`, `${x.length} values`, `${rows * F} for shape [${rows}, ${F}]`);
    const raw = rawScoreParam(req);
    const out = new Float64Array(rows * k);
    predictRaw(m.ensemble, x, rows, out, raw);
    const convert = m.objective.convert;
    if (!raw && convert) for (let r = 0; r < rows; r++) convert(out, r * k, k);
    return { outputs: [{ name: LIGHTGBM_OUTPUT, datatype: 'FP64', shape: k > 1 ? [rows, k] : [rows], data: out }] };
  }

  override unload(): Promise<void> {
    this.loaded = undefined;
    this.ready = false;
    return Promise.resolve();
  }
}

/** The `raw_score` request parameter: true/false, or the strings "true"/"false". */
function rawScoreParam(req: InferRequest): boolean {
  const v = req.parameters?.['raw_score'];
  if (v === undefined || v === false || v === 'false') return false;
  if (v === true || v === 'true') return true;
  throw invalidInput('parameters.raw_score', v, 'true or false');
}

/** FP64 data from any numeric tensor; BYTES, BOOL and FP16 are INVALID_INPUT. */
function toFloat64(t: Tensor): Float64Array {
  if (t.data instanceof Float64Array) return t.data;
  if (t.datatype === 'BYTES' || t.datatype === 'FP16' || t.datatype === 'BOOL' || Array.isArray(t.data)) {
    throw invalidInput(`inputs[0].datatype (input ${t.name})`, t.datatype, 'FP32, FP64 or an integer type');
  }
  const src: NumericArray = t.data;
  const out = new Float64Array(src.length);
  for (let i = 0; i < src.length; i++) out[i] = Number(src[i]);
  return out;
}

/** The ModelFactory for the 'lightgbm' model format. */
export function createLightgbmModel(opts: ModelOptions): LightgbmModel {
  return new LightgbmModel(opts);
}
