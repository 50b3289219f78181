/**
 * KServe's `ComponentExtensionSpec` (component.go): the scaling, logging and batching fields every
 * component (predictor, transformer, explainer) inlines next to its pod spec.
 */
import type { JsonSchema } from '../registry.ts';
import { int32, int64, obj, objList, oneOf, open, quantity, str, strList, strMap } from './fields.ts';

/** Logger modes (`LoggerType` enum). */
export const LOGGER_MODES = ['all', 'request', 'response'] as const;
/** `scaleMetric` values (`ScaleMetric` enum). */
export const SCALE_METRICS = ['cpu', 'memory', 'concurrency', 'rps'] as const;
/** `scaleMetricType` and metric target types (`MetricTargetType` enum). */
export const METRIC_TARGET_TYPES = ['Utilization', 'Value', 'AverageValue'] as const;
/** `autoScaling.metrics[].type` (`MetricSourceType` enum). */
export const METRIC_SOURCE_TYPES = ['Resource', 'External', 'PodMetric'] as const;

function storageSpecFields(): Record<string, JsonSchema> {
  return {
    path: str('Path of the object, relative to the storage URI.'),
    parameters: strMap('Overrides of the default storage credentials and config.'),
    key: str('Storage key in the storage secret.'),
  };
}

/** `storage:` of a model (ModelStorageSpec). */
export function modelStorageSchema(): JsonSchema {
  return obj('Storage location of the model in an object store.', { ...storageSpecFields(), schemaPath: str('Path of the model schema, relative to the storage URI.') });
}

/** `storageUris:` (several model locations, each mounted at its own path). */
export function storageUrisSchema(): JsonSchema {
  const list = objList(
    'Model locations, each downloaded to its mount path.',
    {
      uri: str('Storage URI of the model.', { minLength: 1 }),
      mountPath: str('Absolute path the model is placed at (default /mnt/models).', { default: '/mnt/models', maxLength: 255, pattern: '^/.*' }),
    },
    ['uri'],
  );
  list['x-kubernetes-list-type'] = 'atomic';
  return list;
}

function metricTarget(): JsonSchema {
  return obj('Target value of the metric.', {
    type: oneOf('Utilization, Value or AverageValue.', METRIC_TARGET_TYPES),
    value: quantity('Target value of the metric (quantity).'),
    averageValue: quantity('Target average value across pods (quantity).'),
    averageUtilization: int32('Target average utilization, percent of requests.'),
  });
}

function autoScalingSchema(): JsonSchema {
  return obj('HPA or KEDA autoscaling metrics and behavior.', {
    metrics: objList(
      'Metrics to scale on.',
      {
        type: oneOf('Resource, External or PodMetric.', METRIC_SOURCE_TYPES),
        resource: obj('Resource metric (cpu or memory).', { name: oneOf('cpu or memory.', ['cpu', 'memory']), target: metricTarget() }, ['name', 'target']),
        external: obj('External metric (a Prometheus or Graphite query).', {
          metric: obj('The metric query.', {
            backend: oneOf('prometheus or graphite.', ['prometheus', 'graphite']),
            serverAddress: str('Address of the metrics backend.'),
            query: str('Query returning the metric.'),
            namespace: str('Namespace of a namespaced query.'),
          }),
          authenticationRef: obj('KEDA trigger authentication.', { authenticationRef: obj('Reference.', { name: str('Name of the TriggerAuthentication.') }, ['name']), authModes: str('Auth modes.') }),
          target: metricTarget(),
        }, ['metric', 'target']),
        podmetric: obj('Pod metric (OpenTelemetry).', {
          metric: obj('The metric query.', {
            backend: oneOf('opentelemetry.', ['opentelemetry']),
            serverAddress: str('Address of the metrics backend.'),
            metricNames: strList('Metric names to read.'),
            query: str('Query returning the metric.'),
            operationOverTime: str('Aggregation over time (last_one, avg ...).'),
          }),
          target: metricTarget(),
        }, ['metric', 'target']),
      },
      ['type'],
    ),
    behavior: open('HorizontalPodAutoscaler scaling behavior.'),
  });
}

/** The fields of ComponentExtensionSpec. */
export function componentExtensionFields(): Record<string, JsonSchema> {
  return {
    minReplicas: int32('Minimum replicas; default 1, 0 enables scale-to-zero.'),
    maxReplicas: int32('Maximum replicas for autoscaling; 0 means no maximum.'),
    scaleTarget: int32('Target value of the scale metric.'),
    scaleMetric: oneOf('Metric the autoscaler watches: cpu, memory, concurrency or rps.', SCALE_METRICS),
    scaleMetricType: oneOf('Utilization, Value or AverageValue.', METRIC_TARGET_TYPES),
    autoScaling: autoScalingSchema(),
    containerConcurrency: int64('Hard limit of concurrent requests per replica.'),
    timeout: int64('Request timeout in seconds.'),
    canaryTrafficPercent: int64('Percent of traffic for the latest revision; the rest goes to the previous one.'),
    logger: obj('Request/response payload logging.', {
      url: str('URL the CloudEvents are sent to.'),
      mode: oneOf('What to log: all, request or response.', LOGGER_MODES),
      metadataHeaders: strList('HTTP headers copied into the log events.'),
      metadataAnnotations: strList('InferenceService annotations copied into the log events.'),
      storage: obj('Blob storage for log events.', { ...storageSpecFields(), serviceAccountName: str('Service account with the storage credentials.') }),
      marshallerUrl: str('URL of the log marshaller service.'),
      batchSize: { type: 'integer', description: 'Log records per batch for blob storage.' },
      batchInterval: str('Max time before a partial batch is flushed (e.g. "5s").'),
    }),
    batcher: obj('Server-side request batching.', {
      maxBatchSize: { type: 'integer', description: 'Instances that trigger a batch.' },
      maxLatency: { type: 'integer', description: 'Milliseconds after the first request that trigger a batch.' },
      timeout: { type: 'integer', description: 'Timeout of a batch, seconds.' },
    }),
    labels: strMap('Labels added to the component pods.'),
    annotations: strMap('Annotations added to the component pods.'),
    deploymentStrategy: open('Deployment strategy (Standard mode only).'),
  };
}
