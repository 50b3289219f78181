import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findUnknownFields, validateAgainstSchema } from './schema/index.ts';
import { inferenceServiceSchema } from './schemas/inference-service.ts';
import { FAILURE_REASONS, MODEL_STATES, TRANSITION_STATUSES, type InferenceServiceStatus } from './status.ts';

test('a full status written with the types conforms to the schema, field for field', () => {
  const status: InferenceServiceStatus = {
    observedGeneration: 2,
    conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2026-01-01T00:00:00Z' }, { type: 'PredictorReady', status: 'False', reason: 'NoSupportingRuntime', message: 'm', severity: 'Error' }],
    url: 'http://a-default.example.com',
    address: { url: 'http://a.default.svc' },
    components: { predictor: { latestReadyRevision: 'a-1', latestCreatedRevision: 'a-2', traffic: [{ revisionName: 'a-1', percent: 90, latestRevision: false, tag: 'prev' }, { revisionName: 'a-2', percent: 10, latestRevision: true }], url: 'http://x', restUrl: 'http://x', grpcUrl: 'grpc://x' } },
    modelStatus: { transitionStatus: 'InvalidSpec', states: { activeModelState: '', targetModelState: 'FailedToLoad' }, lastFailureInfo: { reason: 'NoSupportingRuntime', message: 'no runtime', exitCode: 1 }, copies: { failedCopies: 0, totalCopies: 1 } },
    canaryStatuses: [{ name: 'c', ready: true, trafficPercent: 10 }],
    deploymentMode: 'Knative',
    clusterServingRuntimeName: 'kserve-sklearnserver',
  };
  const obj = { metadata: { name: 'a', namespace: 'd' }, spec: { predictor: { model: { modelFormat: { name: 'sklearn' } } } }, status };
  const schema = inferenceServiceSchema();
  assert.deepEqual(findUnknownFields(obj, schema), []);
  // An empty activeModelState is what KServe writes before anything loads; its CRD allows it.
  assert.deepEqual(validateAgainstSchema(obj, schema), []);
  (obj.status.modelStatus as any).transitionStatus = 'Done';
  assert.deepEqual(validateAgainstSchema(obj, schema).map((e) => e.field), ['status.modelStatus.transitionStatus']);
});

test('the status enums in the schema are the exported sets', () => {
  const ms = inferenceServiceSchema().properties!.status!.properties!.modelStatus!;
  assert.deepEqual(ms.properties!.transitionStatus!.enum, ['', ...TRANSITION_STATUSES]);
  assert.deepEqual(ms.properties!.states!.properties!.activeModelState!.enum, ['', ...MODEL_STATES]);
  assert.deepEqual(ms.properties!.lastFailureInfo!.properties!.reason!.enum, [...FAILURE_REASONS]);
});
