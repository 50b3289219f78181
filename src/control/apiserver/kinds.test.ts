import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareVersions } from './kinds.ts';

test('versions sort as Kubernetes prioritises them', () => {
  const sorted = ['v1alpha1', 'foo', 'v2beta1', 'v1', 'v1beta1', 'v11alpha2', 'v2', 'v1beta2', 'bar'].sort(compareVersions);
  assert.deepEqual(sorted, ['v2', 'v1', 'v2beta1', 'v1beta2', 'v1beta1', 'v11alpha2', 'v1alpha1', 'bar', 'foo']);
});
