/**
 * KServe's rewrite of the legacy framework keys (`predictor.sklearn:` ...) into `predictor.model`
 * with `modelFormat.name` (`setPredictorModelDefaults` in inference_service_defaults.go). Every
 * field of the legacy spec (storageUri, runtimeVersion, protocolVersion, resources, args, env ...)
 * moves into `model` unchanged.
 */
import { LEGACY_PREDICTOR_KEYS, type LegacyPredictorKey } from '../schemas/predictor.ts';
import { objAt, predictorImplementations, type Obj } from './components.ts';

/** Formats KServe serves over the V2 protocol when the legacy spec names none. */
const LEGACY_V2_DEFAULT: ReadonlySet<LegacyPredictorKey> = new Set(['triton', 'onnx', 'huggingface']);

/** Formats whose `model:` form defaults to V2 as well (constants.SupportedModelTriton, SupportedModelVLLM). */
export const MODEL_V2_DEFAULT: ReadonlySet<string> = new Set(['triton', 'vLLM']);

/**
 * Moves the one legacy key of `predictor` into `model` (in place) and returns the key, or returns
 * undefined when there is nothing to move. When several implementations are set (two legacy keys,
 * or a legacy key and `model`), nothing is moved, so that validation names both: KServe would
 * silently replace `model` here, which hides the mistake.
 */
export function convertLegacyPredictor(predictor: Obj): LegacyPredictorKey | undefined {
  const impls = predictorImplementations(predictor).filter((k) => k !== 'containers');
  if (impls.length !== 1) return undefined;
  const key = LEGACY_PREDICTOR_KEYS.find((k) => k === impls[0]);
  if (!key) return undefined;
  const legacy = objAt(predictor, key) ?? {};
  const model: Obj = { modelFormat: { name: key }, ...legacy };
  if (model.protocolVersion === undefined && LEGACY_V2_DEFAULT.has(key)) model.protocolVersion = 'v2';
  delete predictor[key];
  predictor.model = model;
  return key;
}
