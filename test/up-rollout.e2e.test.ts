/**
 * A rollout under load through `kserve-ts up`: while a load generator sends V1 predicts through
 * the gateway without pause, the spec changes (an env var on the predictor model: a new
 * revision). No request may fail during the switch; afterwards revision 00002 serves, 00001 is
 * the previous rolled-out revision and its replica process is gone. Then the InferenceService is
 * deleted and every replica of every revision is gone.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { kubectlSkip } from './support/kubectl.ts';
import { alive, copyModel, irisYaml, loadGenerator, pidsWithCmdline, removeDataDir, replicaChildren, startUp, until, type Up } from './support/up.ts';

interface Predictor {
  latestReadyRevision?: string;
  latestCreatedRevision?: string;
  previousRolledoutRevision?: string;
  latestRolledoutRevision?: string;
}

const envOf = (pid: number): string => readFileSync(`/proc/${pid}/environ`, 'utf8');

test('up: a spec change under continuous load rolls out with zero failed requests; delete leaves no replica', { skip: kubectlSkip(), timeout: 120_000 }, async () => {
  let up: Up | undefined;
  try {
    up = await startUp();
    const u = up;
    const modelDir = await copyModel(u.dataDir, 'iris');
    await u.apply(irisYaml('iris', modelDir, { ROLLOUT: 'one' }));
    await u.kubectl('wait', '--for=condition=Ready', 'isvc/iris', '--timeout=60s');
    const [oldPid] = await replicaChildren(u.proc.pid!);
    assert.ok(oldPid !== undefined && envOf(oldPid).includes('ROLLOUT=one'));

    const load = loadGenerator(u.gateway, 'iris', 8, 2_000);
    await new Promise((r) => setTimeout(r, 500));
    await u.apply(irisYaml('iris', modelDir, { ROLLOUT: 'two' }));
    const rolled = await until(
      'revision 00002 rolled out',
      async () => {
        const p = (await u.getJson<{ status?: { components?: { predictor?: Predictor } } }>('isvc', 'iris')).status?.components?.predictor;
        return p?.latestRolledoutRevision === 'iris-predictor-00002' ? p : undefined;
      },
      60_000,
    );
    await until('the old replica to exit', () => (alive(oldPid) ? undefined : true), 35_000);
    // Keep the load on a little after the switch: the new revision answers it all.
    await new Promise((r) => setTimeout(r, 500));
    const { ok, failures } = await load.stop();

    assert.deepEqual(failures.slice(0, 5), [], `${failures.length} of ${ok + failures.length} requests failed during the rollout`);
    assert.ok(ok > 20, `the load generator ran (${ok} requests)`);
    assert.equal(rolled.latestReadyRevision, 'iris-predictor-00002');
    assert.equal(rolled.latestCreatedRevision, 'iris-predictor-00002');
    assert.equal(rolled.previousRolledoutRevision, 'iris-predictor-00001');
    const now = await replicaChildren(u.proc.pid!);
    assert.equal(now.length, 1, 'one replica: the new revision only');
    assert.ok(envOf(now[0]!).includes('ROLLOUT=two'), 'the replica left runs the new spec');

    await u.kubectl('delete', 'isvc', 'iris', '--wait=true', '--timeout=30s');
    assert.deepEqual(await replicaChildren(u.proc.pid!), [], 'delete stops the replica');
    assert.deepEqual(pidsWithCmdline(u.dataDir), [], 'no model server of any revision is left');
  } finally {
    if (up) {
      await up.stop();
      await removeDataDir(up.dataDir);
    }
  }
});
