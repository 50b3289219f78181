/**
 * The model formats the model server serves out of the box, each loaded on first use: a replica
 * imports only the runtime of the format it serves. An ONNX replica that imported the XGBoost,
 * LightGBM and PMML evaluators too held ~4 MB more heap for code it never ran (measured with
 * /proc/PID/smaps_rollup, idle iris ONNX replica: anonymous memory 52–56 → 48–49 MB).
 *
 * The JavaScript evaluators (tree ensembles, PMML) are wrapped in an OffloadedModel so big batches
 * run on a worker thread (runtimes/offload/). formats.ts has the same table with static imports,
 * for callers that want every factory at once (the runtime conformance suite).
 */
import type { Model, ModelFactory, ModelOptions } from '../runtimes/model.ts';
import { offload } from '../runtimes/offload/offload-model.ts';
import { siblingModule } from '../runtimes/worker-entry.ts';

/** Format name → a promise of its factory (the runtime's module is imported on the first call). */
export type FormatLoaders = Readonly<Record<string, () => Promise<ModelFactory>>>;

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

export const BUILTIN_FORMAT_LOADERS: FormatLoaders = Object.freeze({
  onnx: async () => (await import('../runtimes/onnx/index.ts')).createOnnxModel,
  xgboost: async () => offloadedFormat((await import('../runtimes/xgboost/index.ts')).createXgboostModel, '../runtimes/xgboost/index', 'createXgboostModel'),
  lightgbm: async () => offloadedFormat((await import('../runtimes/lightgbm/index.ts')).createLightgbmModel, '../runtimes/lightgbm/index', 'createLightgbmModel'),
  pmml: async () => offloadedFormat((await import('../runtimes/pmml/index.ts')).createPmmlModel, '../runtimes/pmml/index', 'createPmmlModel'),
});
