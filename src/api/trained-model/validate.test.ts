import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validateTrainedModel } from './validate.ts';

const tm = (storageUri: string, memory: unknown, name = 'm_1'): Record<string, unknown> => ({ metadata: { name, namespace: 'd' }, spec: { inferenceService: 'mms', model: { framework: 'sklearn', storageUri, memory } } });

test('names allow _ and upper case; storageUri must be a scheme the puller knows', () => {
  assert.deepEqual(validateTrainedModel(tm('abfs://c/m', '1Gi', 'My_Model-1')), []);
  assert.deepEqual(validateTrainedModel(tm('s3://b/m', '1Gi', 'a.b')).map((e) => e.field), ['metadata.name']);
  assert.deepEqual(validateTrainedModel(tm('file:///m', '1Gi')).map((e) => e.field), ['spec.model.storageUri']);
});

test('memory is immutable on update', () => {
  assert.deepEqual(validateTrainedModel(tm('s3://b/m', '1Gi'), tm('s3://b/old', '1Gi')), []);
  const [e] = validateTrainedModel(tm('s3://b/m', '2Gi'), tm('s3://b/m', '1Gi'));
  assert.deepEqual([e!.field, e!.message], ['spec.model.memory', 'Forbidden: the memory field is immutable: it was 1Gi and may not become 2Gi']);
});
