/** The PMML runtime: `createPmmlModel` is its ModelFactory. */
import type { ModelFactory } from '../model.ts';
import { PmmlModel } from './pmml-model.ts';

export { PMML_PLATFORM, PmmlModel } from './pmml-model.ts';

export const createPmmlModel: ModelFactory = (opts) => new PmmlModel(opts);
