/**
 * The resource kinds of kserve-ts, as the API server and the reconciler use them: the registry
 * contract, every kind with its schema, hooks and printer columns, lookups, the schema tools,
 * runtime selection and the built-in ClusterServingRuntimes.
 */
import type { ResourceKind } from './registry.ts';
import { allKinds } from './kinds/all.ts';

export type { AdmissionContext, FieldError, JsonSchema, KindVersion, PrinterColumn, ResourceKind } from './registry.ts';
export { allKinds, kindByGroupPlural, kindByKind, kindByName, storageVersion } from './kinds/all.ts';

/** Every kind served: InferenceService, ServingRuntime, ClusterServingRuntime, InferenceGraph, TrainedModel, Namespace, Event. */
export const ALL_KINDS: readonly ResourceKind[] = Object.freeze(allKinds());
