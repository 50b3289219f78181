/**
 * The model formats the model server serves out of the box (`--model-format`, or detected:
 * detect-format.ts). The JavaScript evaluators (tree ensembles, PMML) are wrapped in an
 * OffloadedModel so big batches run on a worker thread (runtimes/offload/).
 */
import { createLightgbmModel } from '../runtimes/lightgbm/index.ts';
import { createOnnxModel } from '../runtimes/onnx/index.ts';
import { createPmmlModel } from '../runtimes/pmml/index.ts';
import { createXgboostModel } from '../runtimes/xgboost/index.ts';
import type { Model, ModelFactory, ModelOptions } from '../runtimes/model.ts';
import { offload } from '../runtimes/offload/offload-model.ts';
import { siblingModule } from '../runtimes/worker-entry.ts';

/**
 * A factory for the JS model made by `factory`, exported as `exportName` by the module `modulePath`
 * (relative to this file, without extension), offloaded: the worker thread builds its own copy
 * from the same module, with the plain options (name, dir, version).
 */
export function offloadedFormat(factory: (o: ModelOptions) => Model, modulePath: string, exportName: string): ModelFactory {
  return (o: ModelOptions & { inlineBudgetUs?: unknown }) => {
    const options: ModelOptions & Record<string, unknown> = { name: o.name, modelDir: o.modelDir };
    if (o.version !== undefined) options.version = o.version;
    const budget = typeof o.inlineBudgetUs === 'number' ? o.inlineBudgetUs : undefined;
    return offload(factory, siblingModule(import.meta.url, modulePath), exportName, options, budget === undefined ? {} : { inlineBudgetUs: budget });
  };
}

export const BUILTIN_FORMATS: Readonly<Record<string, ModelFactory>> = Object.freeze({
  onnx: createOnnxModel,
  xgboost: offloadedFormat(createXgboostModel, '../runtimes/xgboost/index', 'createXgboostModel'),
  lightgbm: offloadedFormat(createLightgbmModel, '../runtimes/lightgbm/index', 'createLightgbmModel'),
  pmml: offloadedFormat(createPmmlModel, '../runtimes/pmml/index', 'createPmmlModel'),
});
