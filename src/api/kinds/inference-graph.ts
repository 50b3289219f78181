/**
 * InferenceGraph (serving.kserve.io/v1alpha1, short name `ig`).
 */
import { validateInferenceGraph } from '../graph/validate.ts';
import type { ResourceKind } from '../registry.ts';
import { inferenceGraphSchema } from '../schemas/inference-graph.ts';
import { urlReadyAgeColumns } from './columns.ts';

/** The InferenceGraph kind. */
export function inferenceGraphKind(): ResourceKind {
  return {
    group: 'serving.kserve.io',
    kind: 'InferenceGraph',
    listKind: 'InferenceGraphList',
    plural: 'inferencegraphs',
    singular: 'inferencegraph',
    shortNames: ['ig'],
    categories: [],
    namespaced: true,
    versions: [{ name: 'v1alpha1', served: true, storage: true, statusSubresource: true, schema: inferenceGraphSchema(), printerColumns: urlReadyAgeColumns() }],
    validate: (obj) => validateInferenceGraph(obj),
  };
}
