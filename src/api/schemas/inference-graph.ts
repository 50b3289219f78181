/**
 * The InferenceGraph v1alpha1 schema (inference_graph.go): a map of router nodes, `root` first.
 */
import type { JsonSchema } from '../registry.ts';
import { SCALE_METRICS } from './component.ts';
import { bool, int32, int64, obj, objList, oneOf, open, openList, str, strMap } from './fields.ts';
import { conditionsSchema, topLevel } from './meta.ts';

/** Router types (InferenceRouterType enum). */
export const ROUTER_TYPES = ['Sequence', 'Splitter', 'Ensemble', 'Switch'] as const;
/** Step dependency (InferenceStepDependencyType enum). */
export const STEP_DEPENDENCIES = ['Soft', 'Hard'] as const;

function routerSchema(): JsonSchema {
  return obj('A router node.', {
    routerType: oneOf('Sequence, Splitter, Ensemble or Switch.', ROUTER_TYPES),
    steps: objList('Steps of the router.', {
      name: str('Unique name of the step.'),
      nodeName: str('Node of this graph to call.'),
      serviceName: str('InferenceService to call.'),
      serviceUrl: str('URL to call.'),
      data: str('Input of the step: $request (default) or $response.'),
      mapPredictionsToInstances: bool('Map the previous predictions to instances.'),
      weight: int64('Traffic weight of the step (Splitter); weights sum to 100.'),
      condition: str('GJSON query the request must match (Switch, Sequence).'),
      dependency: oneOf('Soft or Hard: whether a failure of this step fails the graph.', STEP_DEPENDENCIES),
    }),
  }, ['routerType']);
}

/** The InferenceGraph schema. */
export function inferenceGraphSchema(): JsonSchema {
  const spec = obj('Desired state of the InferenceGraph.', {
    nodes: { type: 'object', description: 'Router nodes by name; root is the entry point.', additionalProperties: routerSchema() },
    resources: open('Compute resources of the router.'),
    affinity: open('Scheduling constraints of the router.'),
    timeout: int64('Request timeout in seconds.'),
    routerTimeouts: obj('Router HTTP timeouts, seconds.', {
      serverRead: int64('Server read timeout.'),
      serverWrite: int64('Server write timeout.'),
      serverIdle: int64('Server idle timeout.'),
      serviceClient: int64('Timeout of calls to services.'),
    }),
    minReplicas: int32('Minimum replicas of the router.'),
    maxReplicas: int32('Maximum replicas of the router.'),
    scaleTarget: int32('Target value of the scale metric.'),
    scaleMetric: oneOf('cpu, memory, concurrency or rps.', SCALE_METRICS),
    tolerations: openList('Tolerations of node taints.'),
    nodeSelector: strMap('Labels a node must have.'),
    nodeName: str('Schedule onto this node.'),
    serviceAccountName: str('Service account of the router.'),
  }, ['nodes']);
  const status: JsonSchema = {
    type: 'object',
    description: 'Observed state of the InferenceGraph.',
    'x-kubernetes-preserve-unknown-fields': true,
    properties: {
      observedGeneration: int64('Generation last processed.'),
      conditions: conditionsSchema(),
      annotations: strMap('Status annotations.'),
      url: str('URL of the graph.'),
      deploymentMode: str('Deployment mode of the graph.'),
    },
  };
  return topLevel('InferenceGraph is the Schema for the InferenceGraph API for multiple models.', spec, status);
}
