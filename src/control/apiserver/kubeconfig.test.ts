import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse } from 'yaml';
import { kubeconfigYaml } from './kubeconfig.ts';

test('a kubeconfig with one cluster, user and current context', () => {
  const doc = parse(kubeconfigYaml('http://127.0.0.1:41234', { namespace: 'kserve' }));
  assert.equal(doc.kind, 'Config');
  assert.equal(doc.clusters[0].cluster.server, 'http://127.0.0.1:41234');
  assert.equal(doc['current-context'], 'kserve-ts');
  assert.deepEqual(doc.contexts[0].context, { cluster: 'kserve-ts', user: 'kserve-ts', namespace: 'kserve' });
  assert.throws(() => kubeconfigYaml('127.0.0.1:1'), /expected http\(s\):\/\/host:port/);
});

test('kserve-ts facts ride in the cluster extensions, where kubectl ignores them', () => {
  const doc = parse(kubeconfigYaml('http://127.0.0.1:41234', { extension: { gateway: 'http://127.0.0.1:28090' } }));
  assert.deepEqual(doc.clusters[0].cluster.extensions, [{ name: 'kserve-ts', extension: { gateway: 'http://127.0.0.1:28090' } }]);
  assert.equal(parse(kubeconfigYaml('http://127.0.0.1:41234')).clusters[0].cluster.extensions, undefined);
});
