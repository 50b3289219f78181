/**
 * ServingRuntime (namespaced) and ClusterServingRuntime (cluster-scoped), serving.kserve.io/v1alpha1.
 * KServe gives them no short names and no status subresource.
 */
import type { PrinterColumn, ResourceKind } from '../registry.ts';
import { withBuiltinClusterRuntimes } from '../runtime/builtin.ts';
import { validateServingRuntime } from '../runtime/validate.ts';
import { servingRuntimeSchema } from '../schemas/serving-runtime.ts';
import { AGE_COLUMN, column } from './columns.ts';

function runtimeColumns(): PrinterColumn[] {
  return [
    column('Disabled', '.spec.disabled', 'boolean'),
    column('ModelType', '.spec.supportedModelFormats[*].name'),
    column('Containers', '.spec.containers[*].name'),
    { ...AGE_COLUMN },
  ];
}

function runtimeKind(kind: 'ServingRuntime' | 'ClusterServingRuntime'): ResourceKind {
  const plural = kind.toLowerCase() + 's';
  return {
    group: 'serving.kserve.io',
    kind,
    listKind: `${kind}List`,
    plural,
    singular: kind.toLowerCase(),
    shortNames: [],
    categories: [],
    namespaced: kind === 'ServingRuntime',
    versions: [{ name: 'v1alpha1', served: true, storage: true, statusSubresource: false, schema: servingRuntimeSchema(kind), printerColumns: runtimeColumns() }],
    // Priority ties are judged against the other runtimes of the same scope, as KServe's webhook
    // (cluster runtimes include the built-ins, stored or not).
    validate: async (obj, old, ctx) => {
      if (kind === 'ServingRuntime') {
        const ns = (obj.metadata as { namespace?: string } | undefined)?.namespace;
        return validateServingRuntime(obj, await ctx.list('serving.kserve.io', plural, ns), old);
      }
      return validateServingRuntime(obj, withBuiltinClusterRuntimes(await ctx.list('serving.kserve.io', plural)), old);
    },
  };
}

/** The ServingRuntime kind. */
export function servingRuntimeKind(): ResourceKind {
  return runtimeKind('ServingRuntime');
}

/** The ClusterServingRuntime kind. */
export function clusterServingRuntimeKind(): ResourceKind {
  return runtimeKind('ClusterServingRuntime');
}
