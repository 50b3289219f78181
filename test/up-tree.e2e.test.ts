/**
 * `kserve-ts up` with the bundled tree example: the real kubectl applies
 * examples/manifests/iris-xgboost.yaml (modelFormat xgboost), the built-in ClusterServingRuntime
 * kserve-xgbserver is selected, the InferenceService becomes Ready, and V1 through the gateway's
 * path route answers the class probabilities of KServe's iris rows. Deleting it stops its replica.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { kubectlSkip } from './support/kubectl.ts';
import { alive, removeDataDir, replicaChildren, startUp } from './support/up.ts';

const argmax = (p: number[]): number => p.indexOf(Math.max(...p));

test('kserve-ts up: the iris-xgboost example → kserve-xgbserver → Ready → V1 through the gateway', { skip: kubectlSkip(), timeout: 120_000 }, async () => {
  const up = await startUp();
  const { gateway } = up;
  try {
    assert.match(await up.kubectl('apply', '-f', 'examples/manifests/iris-xgboost.yaml'), /iris-xgboost created/);
    await up.kubectl('wait', '--for=condition=Ready', 'isvc/iris-xgboost', '--timeout=60s');
    const isvc = await up.getJson<{
      metadata: { annotations: Record<string, string> };
      status: { clusterServingRuntimeName?: string; components: { predictor: { latestReadyRevision: string } } };
    }>('isvc', 'iris-xgboost');
    assert.equal(isvc.status.clusterServingRuntimeName, 'kserve-xgbserver');
    assert.equal(isvc.status.components.predictor.latestReadyRevision, 'iris-xgboost-predictor-00001');

    // The manifest's example request, as `npm start` would print it.
    const example = isvc.metadata.annotations['serving.kserve-ts.io/example-request']!;
    const v1 = await fetch(`${gateway}/serving/default/iris-xgboost/v1/models/iris-xgboost:predict`, { method: 'POST', body: example });
    assert.equal(v1.status, 200);
    assert.deepEqual(((await v1.json()) as { predictions: number[][] }).predictions.map(argmax), [1, 1]);
    const rows = { instances: [[6.8, 2.8, 4.8, 1.4], [5.1, 3.5, 1.4, 0.2], [7.7, 3.0, 6.1, 2.3]] };
    const three = await fetch(`${gateway}/serving/default/iris-xgboost/v1/models/iris-xgboost:predict`, { method: 'POST', body: JSON.stringify(rows) });
    assert.equal(three.status, 200);
    assert.deepEqual(((await three.json()) as { predictions: number[][] }).predictions.map(argmax), [1, 0, 2]);

    const replicas = await replicaChildren(up.proc.pid!);
    assert.equal(replicas.length, 1, 'one replica process');
    assert.match(readFileSync(`/proc/${replicas[0]}/cmdline`, 'utf8'), /iris-xgboost/);
    await up.kubectl('delete', 'isvc', 'iris-xgboost', '--wait=true', '--timeout=30s');
    assert.equal(alive(replicas[0]!), false, 'the replica process is gone after delete');
    assert.equal(await up.stop(), 0, up.stderr());
  } finally {
    await up.kill();
    await removeDataDir(up.dataDir);
  }
});
