/**
 * The TrainedModel v1alpha1 schema (trained_model.go): a model loaded into a multi-model
 * InferenceService.
 */
import type { JsonSchema } from '../registry.ts';
import { obj, quantity, str, strMap } from './fields.ts';
import { addressableSchema, conditionsSchema, topLevel } from './meta.ts';

/** The TrainedModel schema. */
export function trainedModelSchema(): JsonSchema {
  const spec = obj('Desired state of the TrainedModel.', {
    inferenceService: str('Multi-model InferenceService the model is loaded into.'),
    model: obj('The model.', {
      storageUri: str('URI of the model.'),
      framework: str('Framework of the model (sklearn, xgboost ...).'),
      memory: quantity('Memory the model needs (quantity, e.g. 1Gi); immutable.'),
    }, ['storageUri', 'framework', 'memory']),
  }, ['inferenceService', 'model']);
  const status: JsonSchema = {
    type: 'object',
    description: 'Observed state of the TrainedModel.',
    'x-kubernetes-preserve-unknown-fields': true,
    properties: {
      observedGeneration: { type: 'integer', format: 'int64', description: 'Generation last processed.' },
      conditions: conditionsSchema(),
      annotations: strMap('Status annotations.'),
      url: str('URL of the model.'),
      address: addressableSchema(),
    },
  };
  return topLevel('TrainedModel is a model served by a multi-model InferenceService.', spec, status);
}
