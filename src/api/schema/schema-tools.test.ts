import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inferenceServiceSchema } from '../schemas/inference-service.ts';
import { dropNulls, findUnknownFields, pruneUnknownFields, validateAgainstSchema, validateObjectMeta } from './index.ts';

const schema = inferenceServiceSchema();

function isvc(predictor: Record<string, unknown>): Record<string, unknown> {
  return { apiVersion: 'serving.kserve.io/v1beta1', kind: 'InferenceService', metadata: { name: 'a', namespace: 'default' }, spec: { predictor } };
}

test('typos are unknown fields, by path; open pod fields are not', () => {
  const obj = isvc({
    sklearnn: { storageUri: 'gs://x' },
    model: { modelFormat: { name: 'sklearn' }, storageURI: 'gs://x', resources: { limits: { cpu: '1', 'nvidia.com/gpu': 1 } } },
    affinity: { nodeAffinity: { anything: [{ goes: true }] } },
    containers: [{ name: 'c', image: 'i', futureField: 1 }],
  });
  assert.deepEqual(findUnknownFields(obj, schema), ['spec.predictor.sklearnn', 'spec.predictor.model.storageURI']);
  (obj.metadata as Record<string, unknown>).labelz = {};
  assert.deepEqual(findUnknownFields(obj, schema), ['metadata.labelz', 'spec.predictor.sklearnn', 'spec.predictor.model.storageURI']);
});

test('known fields inside an open status are still checked; unknown ones there are kept', () => {
  const obj = { ...isvc({ model: { modelFormat: { name: 'x' } } }), status: { url: 'http://a', extra: { b: 1 }, components: { predictor: { traffic: [{ percent: 100, bogus: 1 }] } } } };
  assert.deepEqual(findUnknownFields(obj, schema), ['status.components[predictor].traffic[0].bogus']);
});

test('prune removes exactly what find reports, and keeps the rest', () => {
  const obj = isvc({ sklearnn: {}, model: { modelFormat: { name: 'sklearn' }, storageURI: 'x', storageUri: 'gs://b' }, tolerations: [{ key: 'k', x: 1 }] });
  const expected = findUnknownFields(obj, schema);
  assert.deepEqual(pruneUnknownFields(obj, schema), expected);
  assert.deepEqual(obj.spec, { predictor: { model: { modelFormat: { name: 'sklearn' }, storageUri: 'gs://b' }, tolerations: [{ key: 'k', x: 1 }] } });
  assert.deepEqual(findUnknownFields(obj, schema), []);
});

test('type errors read as the Kubernetes API server writes them', () => {
  const errs = validateAgainstSchema(isvc({ minReplicas: 'string', model: { modelFormat: { name: 'x' } } }), schema);
  assert.deepEqual(errs, [{ type: 'FieldValueTypeInvalid', field: 'spec.predictor.minReplicas', message: 'Invalid value: "string": spec.predictor.minReplicas in body must be of type integer: "string"' }]);
});

test('required, enum, minimum/maximum and int-or-string', () => {
  const obj = isvc({ model: { protocolVersion: 'v3' }, logger: { mode: 'everything' } });
  (obj.spec as Record<string, unknown>).canary = [{ predictor: {}, trafficPercent: 101 }];
  const errs = validateAgainstSchema(obj, schema);
  assert.deepEqual(errs.map((e) => [e.field, e.message]), [
    ['spec.predictor.model.modelFormat', 'Required value'],
    ['spec.predictor.model.protocolVersion', 'Unsupported value: "v3": supported values: "v1", "v2", "grpc-v1", "grpc-v2"'],
    ['spec.predictor.logger.mode', 'Unsupported value: "everything": supported values: "all", "request", "response"'],
    ['spec.canary[0].trafficPercent', 'Invalid value: 101: spec.canary[0].trafficPercent in body should be less than or equal to 100'],
  ]);
  const metric = isvc({ model: { modelFormat: { name: 'x' } }, autoScaling: { metrics: [{ type: 'External', external: { metric: { query: 'q' }, target: { value: true } } }] } });
  assert.deepEqual(validateAgainstSchema(metric, schema).map((e) => e.field), ['spec.predictor.autoScaling.metrics[0].external.target.value']);
});

test('pattern and length', () => {
  const s = { type: 'object' as const, properties: { a: { type: 'string' as const, pattern: '^[a-z]+$', maxLength: 3, minLength: 2 } } };
  assert.deepEqual(validateAgainstSchema({ a: 'Abcd' }, s).map((e) => e.message), ['Too long: may not be more than 3 bytes', "Invalid value: \"Abcd\": a in body should match '^[a-z]+$'"]);
  assert.deepEqual(validateAgainstSchema({ a: 'a' }, s).map((e) => e.message), ['Invalid value: "a": a in body should be at least 2 chars long']);
});

test('nulls on non-nullable fields are dropped, not errors', () => {
  const obj = isvc({ minReplicas: null, model: { modelFormat: { name: 'x' }, runtime: null } });
  dropNulls(obj, schema);
  assert.deepEqual(obj.spec, { predictor: { model: { modelFormat: { name: 'x' } } } });
  assert.deepEqual(validateAgainstSchema(obj, schema), []);
});

test('object meta: name rules, namespace scope, labels', () => {
  assert.deepEqual(validateObjectMeta({ name: 'ok-name', namespace: 'default' }, { namespaced: true, nameRule: 'dns1035Label' }), []);
  const [bad] = validateObjectMeta({ name: '1abc', namespace: 'default' }, { namespaced: true, nameRule: 'dns1035Label' });
  assert.equal(bad!.field, 'metadata.name');
  assert.match(bad!.message, /^Invalid value: "1abc": a DNS-1035 label must consist of lower case alphanumeric characters/);
  assert.deepEqual(validateObjectMeta({ name: 'a.b' }, { namespaced: false }), []);
  assert.deepEqual(validateObjectMeta({ name: 'a', namespace: 'x' }, { namespaced: false }).map((e) => e.message), ['Forbidden: not allowed on this type']);
  assert.deepEqual(validateObjectMeta({}, { namespaced: true }).map((e) => e.field), ['metadata.name', 'metadata.namespace']);
  const long = validateObjectMeta({ name: 'a'.repeat(64), namespace: 'd' }, { namespaced: true, nameRule: 'dns1035Label' });
  assert.deepEqual(long.map((e) => e.message), [`Invalid value: "${'a'.repeat(64)}": must be no more than 63 characters`]);
  const labels = validateObjectMeta({ name: 'a', namespace: 'd', labels: { 'bad key!': 'v', ok: 'not ok!' } }, { namespaced: true });
  assert.deepEqual(labels.map((e) => e.field), ['metadata.labels', 'metadata.labels[ok]']);
});

test('schema defaults fill absent fields under existing parents only; quantities are checked', async () => {
  const { defaultsFromSchema } = await import('./defaults.ts');
  const obj = isvc({ model: { modelFormat: { name: 'x' } } });
  (obj.spec as Record<string, any>).transformer = { containers: [{ name: 'kserve-container' }], storageUris: [{ uri: 's3://a' }, { uri: 's3://b', mountPath: '/mnt/b' }] };
  assert.deepEqual(defaultsFromSchema(obj, schema), ['spec.transformer.storageUris[0].mountPath']);
  assert.deepEqual((obj.spec as Record<string, any>).transformer.storageUris, [{ uri: 's3://a', mountPath: '/mnt/models' }, { uri: 's3://b', mountPath: '/mnt/b' }]);
  assert.deepEqual(defaultsFromSchema(isvc({}), schema), []);
  const target = (value: unknown): string[] =>
    validateAgainstSchema(isvc({ model: { modelFormat: { name: 'x' } }, autoScaling: { metrics: [{ type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: value } } }] } }), schema).map((e) => e.message);
  assert.deepEqual(target('512Mi'), []);
  assert.deepEqual(target(5), []);
  assert.equal(target('lots').length, 1);
  assert.match(target('lots')[0]!, /^Invalid value: "lots": spec.predictor.autoScaling.metrics\[0\].resource.target.averageValue in body should match/);
});
