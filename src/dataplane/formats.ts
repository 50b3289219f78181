/**
 * The model formats the model server serves out of the box (`--model-format`, or detected:
 * detect-format.ts), every runtime imported up front: for callers that want all factories at once
 * (the runtime conformance suite). The model server uses format-loaders.ts, which imports only the
 * runtime a replica serves.
 */
import { createLightgbmModel } from '../runtimes/lightgbm/index.ts';
import { createOnnxModel } from '../runtimes/onnx/index.ts';
import { createPmmlModel } from '../runtimes/pmml/index.ts';
import { createXgboostModel } from '../runtimes/xgboost/index.ts';
import type { ModelFactory } from '../runtimes/model.ts';
import { offloadedFormat } from './format-loaders.ts';

export { offloadedFormat } from './format-loaders.ts';

export const BUILTIN_FORMATS: Readonly<Record<string, ModelFactory>> = Object.freeze({
  onnx: createOnnxModel,
  xgboost: offloadedFormat(createXgboostModel, '../runtimes/xgboost/index', 'createXgboostModel'),
  lightgbm: offloadedFormat(createLightgbmModel, '../runtimes/lightgbm/index', 'createLightgbmModel'),
  pmml: offloadedFormat(createPmmlModel, '../runtimes/pmml/index', 'createPmmlModel'),
});
