/**
 * KServe's rewrite of the legacy framework keys (`predictor.sklearn:` ...) into `predictor.model`
 * with `modelFormat.name` (`setPredictorModelDefaults` in inference_service_defaults.go). Every
 * field of the legacy spec (storageUri, runtimeVersion, protocolVersion, resources, args, env ...)
 * moves into `model` unchanged.
 */
import { LEGACY_PREDICTOR_KEYS, type LegacyPredictorKey } from '../schemas/predictor.ts';
import { objAt, type Obj } from './components.ts';

/** Formats KServe serves over the V2 protocol when the legacy spec names none. */
const LEGACY_V2_DEFAULT: ReadonlySet<LegacyPredictorKey> = new Set(['triton', 'onnx', 'huggingface']);

/** Formats whose `model:` form defaults to V2 as well (constants.SupportedModelTriton, SupportedModelVLLM). */
export const MODEL_V2_DEFAULT: ReadonlySet<string> = new Set(['triton', 'vLLM']);

/**
 * Moves the legacy key of `predictor` into `model` (in place) and returns the key, or returns
 * undefined when nothing moves.
 *
 * Next to an existing `model`, the legacy key replaces it only when `replaceModel` (the object is
 * already stored): that pair is what `kubectl apply` of an edited legacy manifest produces, its
 * merge patch writing `sklearn:` next to the `model:` the first apply was defaulted to, and
 * KServe's replacement is what makes that update work. In a new object the pair can only be a
 * mistake, which KServe would hide by dropping `model`; here it is left for validation to name.
 * Two legacy keys are always left as written.
 */
export function convertLegacyPredictor(predictor: Obj, opts: { replaceModel: boolean } = { replaceModel: false }): LegacyPredictorKey | undefined {
  const keys = LEGACY_PREDICTOR_KEYS.filter((k) => predictor[k] !== undefined && predictor[k] !== null);
  const key = keys[0];
  if (keys.length !== 1 || key === undefined) return undefined;
  if (predictor.model !== undefined && predictor.model !== null && !opts.replaceModel) return undefined;
  const legacy = objAt(predictor, key) ?? {};
  const model: Obj = { modelFormat: { name: key }, ...legacy };
  if (model.protocolVersion === undefined && LEGACY_V2_DEFAULT.has(key)) model.protocolVersion = 'v2';
  delete predictor[key];
  predictor.model = model;
  return key;
}
