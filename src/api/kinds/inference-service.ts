/**
 * InferenceService (serving.kserve.io/v1beta1, short name `isvc`) with KServe's printer columns,
 * its mutating webhook (`default`) and validating webhook (`validate`).
 */
import { DEFAULT_DEFAULTING_CONFIG, defaultInferenceService, type DefaultingConfig } from '../isvc/defaults.ts';
import { runtimeAdmissionErrors } from '../isvc/runtime-check.ts';
import { validateInferenceService } from '../isvc/validate.ts';
import type { ResourceKind } from '../registry.ts';
import { defaultsFromSchema } from '../schema/defaults.ts';
import { inferenceServiceSchema } from '../schemas/inference-service.ts';
import { AGE_COLUMN, column } from './columns.ts';

/** Options of the InferenceService kind. */
export interface InferenceServiceKindOptions {
  /** The defaulter's configuration (KServe's shipped one by default). */
  defaulting?: DefaultingConfig;
  /**
   * Reject a model no runtime serves at admission (off by default: KServe admits it and reports
   * NoSupportingRuntime in status).
   */
  rejectUnservableModels?: boolean;
}

/** The InferenceService kind. */
export function inferenceServiceKind(opts: InferenceServiceKindOptions = {}): ResourceKind {
  const cfg = opts.defaulting ?? DEFAULT_DEFAULTING_CONFIG;
  const schema = inferenceServiceSchema();
  return {
    // Structural defaults first (the API server applies them when decoding), then KServe's webhook.
    default: (obj) => {
      defaultsFromSchema(obj, schema);
      defaultInferenceService(obj, cfg);
    },
    validate: async (obj, old, ctx) => {
      const errors = validateInferenceService(obj, old);
      if (opts.rejectUnservableModels === true && errors.length === 0) errors.push(...(await runtimeAdmissionErrors(obj, ctx)));
      return errors;
    },
    group: 'serving.kserve.io',
    kind: 'InferenceService',
    listKind: 'InferenceServiceList',
    plural: 'inferenceservices',
    singular: 'inferenceservice',
    shortNames: ['isvc'],
    categories: [],
    namespaced: true,
    versions: [
      {
        name: 'v1beta1',
        served: true,
        storage: true,
        statusSubresource: true,
        schema,
        // As KServe's markers: all priority 0, so `kubectl get isvc` shows every one.
        printerColumns: [
          column('URL', '.status.url'),
          column('Ready', ".status.conditions[?(@.type=='Ready')].status"),
          column('Prev', ".status.components.predictor.traffic[?(@.tag=='prev')].percent", 'integer'),
          column('Latest', '.status.components.predictor.traffic[?(@.latestRevision==true)].percent', 'integer'),
          column('PrevRolledoutRevision', ".status.components.predictor.traffic[?(@.tag=='prev')].revisionName"),
          column('LatestReadyRevision', '.status.components.predictor.traffic[?(@.latestRevision==true)].revisionName'),
          { ...AGE_COLUMN },
        ],
      },
    ],
  };
}
