/**
 * `kserve-ts up` killed -9 and started again on the same data dir: the InferenceService is read
 * back from the store and Ready again, served through the new gateway, and the replica processes
 * the dead `up` left behind are gone (killed by the process driver's orphan reaping), checked by
 * pid and by scanning /proc for any model server whose command line names the data dir.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { kubectlSkip } from './support/kubectl.ts';
import { alive, copyModel, irisYaml, pidsWithCmdline, predict, removeDataDir, replicaChildren, startUp, until, type Up } from './support/up.ts';

test('up killed -9 and restarted on the same data dir: state recovered, served, no orphan replica left', { skip: kubectlSkip(), timeout: 90_000 }, async () => {
  let first: Up | undefined;
  let second: Up | undefined;
  try {
    first = await startUp();
    const dataDir = first.dataDir;
    const modelDir = await copyModel(dataDir, 'iris');
    await first.apply(irisYaml('iris', modelDir));
    await first.kubectl('wait', '--for=condition=Ready', 'isvc/iris', '--timeout=60s');
    assert.deepEqual((await predict(first.gateway, 'iris')).labels, [1]);
    const old = await replicaChildren(first.proc.pid!);
    assert.equal(old.length, 1, 'one replica');
    assert.deepEqual(pidsWithCmdline(dataDir), old, 'the /proc scan finds exactly that replica');

    await first.kill();
    assert.ok(alive(old[0]!), 'a replica outlives a killed up (nothing could stop it)');

    second = await startUp({ dataDir });
    const s = second;
    // Reaped before the new up serves: the old pid is gone at once, not eventually.
    assert.equal(alive(old[0]!), false, 'the orphan replica was killed on start');
    await s.kubectl('wait', '--for=condition=Ready', 'isvc/iris', '--timeout=60s');
    await until('predictions through the new gateway', async () => ((await predict(s.gateway, 'iris')).labels?.[0] === 1 ? true : undefined), 30_000);
    const isvc = await s.getJson<{ status: { components: { predictor: { latestReadyRevision: string } } } }>('isvc', 'iris');
    assert.equal(isvc.status.components.predictor.latestReadyRevision, 'iris-predictor-00001', 'same revision, not a new one');
    const now = await replicaChildren(s.proc.pid!);
    assert.equal(now.length, 1, 'exactly one replica, a child of the new up');
    assert.deepEqual(pidsWithCmdline(dataDir), now, 'no other model server names the data dir');

    assert.equal(await s.stop(), 0);
    assert.deepEqual(pidsWithCmdline(dataDir), [], 'SIGTERM leaves nothing behind');
  } finally {
    await first?.kill();
    await second?.kill();
    if (first) await removeDataDir(first.dataDir);
  }
});
