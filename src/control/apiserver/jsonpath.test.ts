import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileJsonPath } from './jsonpath.ts';

const obj = {
  metadata: { name: 'x', annotations: { 'serving.kserve.io/deploymentMode': 'Standard' } },
  status: {
    conditions: [
      { type: 'PredictorReady', status: 'False' },
      { type: 'Ready', status: 'True' },
    ],
    components: { predictor: { traffic: [{ percent: 90, latestRevision: true }, { percent: 10, tag: 'prev', latestRevision: false }] } },
  },
  spec: { items: [1, 2, 3] },
};

test('printer-column paths: keys, indexes, wildcards, quoted keys', () => {
  assert.deepEqual(compileJsonPath('.metadata.name').evaluate(obj), ['x']);
  assert.deepEqual(compileJsonPath('{.metadata.name}').evaluate(obj), ['x']);
  assert.deepEqual(compileJsonPath('.spec.items[1]').evaluate(obj), [2]);
  assert.deepEqual(compileJsonPath('.spec.items[-1]').evaluate(obj), [3]);
  assert.deepEqual(compileJsonPath('.spec.items[*]').evaluate(obj), [1, 2, 3]);
  assert.deepEqual(compileJsonPath(".metadata.annotations['serving.kserve.io/deploymentMode']").evaluate(obj), ['Standard']);
  assert.deepEqual(compileJsonPath('.metadata.annotations.serving\\.kserve\\.io/deploymentMode').evaluate(obj), ['Standard']);
  assert.deepEqual(compileJsonPath('.status.url').evaluate(obj), []);
  assert.deepEqual(compileJsonPath('.spec.items[7]').evaluate(obj), []);
});

test('filters: string, number and boolean comparisons, presence', () => {
  assert.deepEqual(compileJsonPath(".status.conditions[?(@.type=='Ready')].status").evaluate(obj), ['True']);
  assert.deepEqual(compileJsonPath('.status.conditions[?(@.type!="Ready")].type').evaluate(obj), ['PredictorReady']);
  assert.deepEqual(compileJsonPath('.status.components.predictor.traffic[?(@.latestRevision==true)].percent').evaluate(obj), [90]);
  assert.deepEqual(compileJsonPath(".status.components.predictor.traffic[?(@.tag=='prev')].percent").evaluate(obj), [10]);
  assert.deepEqual(compileJsonPath('.status.components.predictor.traffic[?(@.percent>50)].percent').evaluate(obj), [90]);
  assert.deepEqual(compileJsonPath('.status.components.predictor.traffic[?(@.tag)].percent').evaluate(obj), [10]);
});

test('unparsable paths throw an error naming the path', () => {
  assert.throws(() => compileJsonPath('.a[?(@.b==c)]'), /JSONPath "\.a\[\?\(@\.b==c\)\]": filter value c/);
  assert.throws(() => compileJsonPath('.a[1'), /unclosed/);
  assert.throws(() => compileJsonPath('a.b'), /unexpected "a"/);
});
