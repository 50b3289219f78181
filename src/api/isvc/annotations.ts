/**
 * The InferenceService annotations KServe reads (pkg/constants), and the checks on their values:
 * a value KServe would ignore or misread is rejected at admission with the accepted values.
 */
import type { FieldError } from '../registry.ts';
import { notSupported } from '../field-errors.ts';
import { index, quote } from '../schema/path.ts';

/** Annotation keys. */
export const ANNOTATION = {
  deploymentMode: 'serving.kserve.io/deploymentMode',
  autoscalerClass: 'serving.kserve.io/autoscalerClass',
  metrics: 'serving.kserve.io/metrics',
  targetUtilization: 'serving.kserve.io/targetUtilizationPercentage',
  enableTagRouting: 'serving.kserve.io/enable-tag-routing',
  stop: 'serving.kserve.io/stop',
  enablePrometheusScraping: 'serving.kserve.io/enable-prometheus-scraping',
  enableMetricAggregation: 'serving.kserve.io/enable-metric-aggregation',
  knativeClass: 'autoscaling.knative.dev/class',
  modelFormat: 'modelFormat',
} as const;

/** deploymentMode values (constants.DeploymentModeType; the legacy two are normalised by the defaulter). */
export const DEPLOYMENT_MODES = ['Standard', 'Knative', 'ModelMesh', 'RawDeployment', 'Serverless'] as const;
/** autoscalerClass values (constants.AutoscalerAllowedClassList). */
export const AUTOSCALER_CLASSES = ['hpa', 'external', 'keda', 'none'] as const;
/** HPA metrics (constants.AutoscalerAllowedHPAMetricsList). */
export const HPA_METRICS = ['cpu', 'memory'] as const;
/** Knative autoscaler metrics (constants.AutoscalerAllowedKPAMetricsList). */
export const KPA_METRICS = ['concurrency', 'rps'] as const;
/** The Knative autoscaler class that selects HPA. */
export const KNATIVE_HPA_CLASS = 'hpa.autoscaling.knative.dev';

const BOOLEAN_ANNOTATIONS = [ANNOTATION.enableTagRouting, ANNOTATION.stop, ANNOTATION.enablePrometheusScraping, ANNOTATION.enableMetricAggregation];

/** The errors in the annotations KServe reads (empty when valid). */
export function validateAnnotations(annotations: Record<string, unknown>): FieldError[] {
  const errors: FieldError[] = [];
  const check = (key: string, supported: readonly string[]): void => {
    const v = annotations[key];
    if (typeof v === 'string' && !supported.includes(v)) errors.push(notSupported(index('metadata.annotations', key), v, supported));
  };
  check(ANNOTATION.deploymentMode, DEPLOYMENT_MODES);
  check(ANNOTATION.autoscalerClass, AUTOSCALER_CLASSES);
  check(ANNOTATION.metrics, HPA_METRICS);
  for (const key of BOOLEAN_ANNOTATIONS) {
    const v = annotations[key];
    // KServe compares case-insensitively with "true" (strconv.ParseBool for scraping).
    if (typeof v === 'string' && !['true', 'false'].includes(v.toLowerCase())) errors.push(notSupported(index('metadata.annotations', key), v, ['true', 'false']));
  }
  const target = annotations[ANNOTATION.targetUtilization];
  if (typeof target === 'string') {
    const n = Number(target);
    if (!/^\d+$/.test(target) || n < 1 || n > 100) {
      errors.push({ type: 'FieldValueInvalid', field: index('metadata.annotations', ANNOTATION.targetUtilization), message: `Invalid value: ${quote(target)}: must be an integer percentage in [1, 100]` });
    }
  }
  return errors;
}
