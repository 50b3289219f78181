/**
 * `kserve-ts up` end to end: the real kubectl applies the example InferenceService, it becomes
 * Ready, the gateway answers V1 and V2 by path and by both Host forms, deleting it stops its
 * replica process, and SIGTERM stops everything up started.
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { test } from 'node:test';
import { kubectlSkip } from './support/kubectl.ts';
import { alive, removeDataDir, replicaChildren, startUp } from './support/up.ts';

/** A POST with an explicit Host header (fetch does not let a caller set Host). */
function postWithHost(url: string, host: string, body: string): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { host, 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) as unknown }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

test('kserve-ts up: kubectl apply → Ready → predictions through the gateway; delete and SIGTERM leave no process', { skip: kubectlSkip() }, async () => {
  const up = await startUp();
  try {
    assert.match(await up.kubectl('apply', '-f', 'examples/manifests/iris-onnx.yaml'), /iris created/);
    await up.kubectl('wait', '--for=condition=Ready', 'isvc/iris', '--timeout=60s');
    const isvc = await up.getJson<{ status: { url: string; components: { predictor: { latestReadyRevision: string } } } }>('isvc', 'iris');
    assert.equal(isvc.status.url, 'http://iris.default.example.com');
    assert.equal(isvc.status.components.predictor.latestReadyRevision, 'iris-predictor-00001');

    const v1 = await fetch(`${up.gateway}/serving/default/iris/v1/models/iris:predict`, { method: 'POST', body: '{"instances": [[6.8, 2.8, 4.8, 1.4], [5.1, 3.5, 1.4, 0.2]]}' });
    assert.equal(v1.status, 200);
    assert.deepEqual(((await v1.json()) as { predictions: { label: number }[] }).predictions.map((p) => p.label), [1, 0]);
    const body = JSON.stringify({ inputs: [{ name: 'input-0', shape: [1, 4], datatype: 'FP32', data: [7.7, 3.0, 6.1, 2.3] }], outputs: [{ name: 'label' }] });
    for (const host of ['iris.default.example.com', 'iris-default.example.com']) {
      const v2 = await postWithHost(`${up.gateway}/v2/models/iris/infer`, host, body);
      assert.equal(v2.status, 200, host);
      assert.deepEqual((v2.json as { outputs: { data: number[] }[] }).outputs[0]!.data, [2]);
    }

    const replicas = await replicaChildren(up.proc.pid!);
    assert.equal(replicas.length, 1, 'one replica process');
    await up.kubectl('delete', 'isvc', 'iris', '--wait=true', '--timeout=30s');
    assert.equal(alive(replicas[0]!), false, 'the replica process is gone after delete');
    const gone = await fetch(`${up.gateway}/serving/default/iris/v1/models/iris`);
    assert.equal(gone.status, 404);

    await up.kubectl('apply', '-f', 'examples/manifests/iris-onnx.yaml');
    await up.kubectl('wait', '--for=condition=Ready', 'isvc/iris', '--timeout=60s');
    const again = await replicaChildren(up.proc.pid!);
    assert.equal(again.length, 1);
    assert.equal(await up.stop(), 0, up.stderr());
    assert.equal(alive(again[0]!), false, 'SIGTERM stops the replicas up started');
  } finally {
    await up.kill();
    await removeDataDir(up.dataDir);
  }
});
