/**
 * `kserve-ts up` killed -9 and started again on the same data dir: the InferenceService is read
 * back from the store and Ready again, served through the new gateway, and the replica processes
 * the dead `up` left behind are gone (killed by the process driver's orphan reaping), checked by
 * pid and by scanning /proc for any model server whose command line names the data dir.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
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
    await second?.stop();
    if (first) await removeDataDir(first.dataDir);
  }
});

test('up killed -9 in the middle of a rollout: the restarted up finishes it, one replica of the new revision, no orphan', { skip: kubectlSkip(), timeout: 90_000 }, async () => {
  let first: Up | undefined;
  let second: Up | undefined;
  try {
    first = await startUp();
    const dataDir = first.dataDir;
    const modelDir = await copyModel(dataDir, 'iris');
    await first.apply(irisYaml('iris', modelDir, { ROLLOUT: 'one' }));
    await first.kubectl('wait', '--for=condition=Ready', 'isvc/iris', '--timeout=60s');
    await first.apply(irisYaml('iris', modelDir, { ROLLOUT: 'two' }));
    // Dies once revision 00002 exists (its annotation is written before it is applied), while it loads.
    const f = first;
    await until('revision 00002 created', async () => ((await f.getJson<{ metadata: { annotations?: Record<string, string> } }>('isvc', 'iris')).metadata.annotations?.['serving.kserve-ts.io/predictor-revision'] === 'iris-predictor-00002' ? true : undefined), 20_000);
    const left = pidsWithCmdline(dataDir);
    await first.kill();

    second = await startUp({ dataDir });
    const s = second;
    for (const pid of left) assert.equal(alive(pid), false, `replica ${pid} of the killed up was reaped`);
    const p = await until(
      'revision 00002 rolled out by the new up',
      async () => {
        const st = (await s.getJson<{ status?: { components?: { predictor?: { latestRolledoutRevision?: string; previousRolledoutRevision?: string } } } }>('isvc', 'iris')).status?.components?.predictor;
        return st?.latestRolledoutRevision === 'iris-predictor-00002' ? st : undefined;
      },
      60_000,
    );
    assert.equal(p.previousRolledoutRevision, 'iris-predictor-00001');
    await until('predictions through the new gateway', async () => ((await predict(s.gateway, 'iris')).labels?.[0] === 1 ? true : undefined), 30_000);
    await until('only the new revision\'s replica left', async () => ((await replicaChildren(s.proc.pid!)).length === 1 ? true : undefined), 35_000);
    const [only] = await replicaChildren(s.proc.pid!);
    assert.match(readFileSync(`/proc/${only!}/environ`, 'utf8'), /ROLLOUT=two/);
    assert.deepEqual(pidsWithCmdline(dataDir), [only], 'no other model server names the data dir');
    assert.equal(await s.stop(), 0);
  } finally {
    await first?.kill();
    await second?.stop();
    if (first) await removeDataDir(first.dataDir);
  }
});
