/**
 * TrainedModel (serving.kserve.io/v1alpha1, short name `tm`).
 */
import type { ResourceKind } from '../registry.ts';
import { validateTrainedModel } from '../trained-model/validate.ts';
import { trainedModelSchema } from '../schemas/trained-model.ts';
import { urlReadyAgeColumns } from './columns.ts';

/** The TrainedModel kind. */
export function trainedModelKind(): ResourceKind {
  return {
    group: 'serving.kserve.io',
    kind: 'TrainedModel',
    listKind: 'TrainedModelList',
    plural: 'trainedmodels',
    singular: 'trainedmodel',
    shortNames: ['tm'],
    categories: [],
    namespaced: true,
    versions: [{ name: 'v1alpha1', served: true, storage: true, statusSubresource: true, schema: trainedModelSchema(), printerColumns: urlReadyAgeColumns() }],
    validate: (obj, old) => validateTrainedModel(obj, old),
  };
}
