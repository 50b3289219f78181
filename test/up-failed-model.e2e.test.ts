/**
 * A model that cannot load, through `kserve-ts up`. An update of a Ready InferenceService to a
 * storageUri whose model.onnx is garbage: modelStatus says FailedToLoad with the model server's
 * own error in lastFailureInfo (reason ModelLoadFailed), a Warning Event is recorded, and the
 * previous revision keeps serving. A new InferenceService whose model file is missing ends in
 * FailedToLoad too (the replica exits, it does not wait forever for readiness). Deleting while
 * both revisions have replicas (one serving, one crash-looping) leaves no process of either.
 */
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { kubectlSkip } from './support/kubectl.ts';
import { copyModel, irisYaml, pidsWithCmdline, predict, removeDataDir, startUp, until, type Up } from './support/up.ts';

interface Status {
  conditions?: { type: string; status: string; reason?: string; message?: string }[];
  components?: { predictor?: { latestReadyRevision?: string; latestCreatedRevision?: string } };
  modelStatus?: { transitionStatus?: string; states?: { activeModelState?: string; targetModelState?: string }; lastFailureInfo?: { reason?: string; message?: string; modelRevisionName?: string; exitCode?: number } };
}
interface EventList {
  items: { reason: string; type: string; message: string; involvedObject: { name: string } }[];
}

const statusOf = async (u: Up, name: string): Promise<Status> => (await u.getJson<{ status?: Status }>('isvc', name)).status ?? {};
const cond = (s: Status, type: string): string | undefined => s.conditions?.find((c) => c.type === type)?.status;

test('up: a garbage model fails to load (FailedToLoad, the server error, an Event) while the previous revision serves; a missing model is FailedToLoad', { skip: kubectlSkip(), timeout: 120_000 }, async () => {
  let up: Up | undefined;
  try {
    up = await startUp();
    const u = up;
    const good = await copyModel(u.dataDir, 'iris');
    await u.apply(irisYaml('iris', good));
    await u.kubectl('wait', '--for=condition=Ready', 'isvc/iris', '--timeout=60s');

    const bad = join(u.dataDir, 'models', 'garbage');
    await mkdir(bad, { recursive: true });
    await writeFile(join(bad, 'model.onnx'), 'this is not an ONNX protobuf');
    await u.apply(irisYaml('iris', bad));
    const failed = await until('FailedToLoad', async () => {
      const s = await statusOf(u, 'iris');
      return s.modelStatus?.states?.targetModelState === 'FailedToLoad' ? s : undefined;
    }, 40_000);
    assert.equal(failed.modelStatus?.states?.activeModelState, 'Loaded', 'the previous revision is still loaded');
    assert.equal(failed.modelStatus?.transitionStatus, 'BlockedByFailedLoad');
    const info = failed.modelStatus?.lastFailureInfo;
    assert.equal(info?.reason, 'ModelLoadFailed');
    assert.equal(info?.modelRevisionName, 'iris-predictor-00002');
    assert.match(info?.message ?? '', /Protobuf parsing failed/, 'the model server\'s own error message');
    assert.equal(info?.exitCode, 1);
    assert.equal(failed.components?.predictor?.latestReadyRevision, 'iris-predictor-00001');
    assert.equal(failed.components?.predictor?.latestCreatedRevision, 'iris-predictor-00002');
    assert.equal(cond(failed, 'PredictorReady'), 'False');
    assert.equal(cond(failed, 'IngressReady'), 'True');

    const events = JSON.parse(await u.kubectl('get', 'events', '-o', 'json')) as EventList;
    const ev = events.items.find((e) => e.reason === 'ModelLoadFailed' && e.involvedObject.name === 'iris');
    assert.ok(ev, `a ModelLoadFailed event; got ${events.items.map((e) => e.reason).join(', ')}`);
    assert.equal(ev.type, 'Warning');
    assert.match(ev.message, /iris-predictor-00002.*Protobuf parsing failed/s);
    // The replica keeps crashing (backoff restarts): one ModelLoadFailed Event, aggregated, not one per crash.
    await until('a second exit of the failing replica', async () => {
      const list = JSON.parse(await u.kubectl('get', 'events', '-o', 'json')) as { items: { reason: string; message: string; count?: number }[] };
      return list.items.some((e) => e.reason === 'ReplicaExited' && e.message.includes('iris-predictor-00002-1') && (e.count ?? 0) >= 2) ? true : undefined;
    }, 20_000);
    const again = (JSON.parse(await u.kubectl('get', 'events', '-o', 'json')) as EventList).items.filter((e) => e.reason === 'ModelLoadFailed' && e.message.includes('iris-predictor-00002'));
    assert.equal(again.length, 1, `one ModelLoadFailed event across restarts, got:\n${again.map((e) => e.message).join('\n')}`);
    for (let i = 0; i < 5; i++) assert.deepEqual((await predict(u.gateway, 'iris')).labels, [1], 'revision 00001 keeps serving');

    // A brand-new InferenceService whose model dir has no model file.
    const empty = join(u.dataDir, 'models', 'empty');
    await mkdir(empty, { recursive: true });
    await u.apply(irisYaml('nomodel', empty));
    const missing = await until('FailedToLoad of a missing model', async () => {
      const s = await statusOf(u, 'nomodel');
      return s.modelStatus?.states?.targetModelState === 'FailedToLoad' ? s : undefined;
    }, 40_000);
    assert.equal(missing.modelStatus?.lastFailureInfo?.reason, 'ModelLoadFailed');
    assert.match(missing.modelStatus?.lastFailureInfo?.message ?? '', /no model file/);
    assert.equal(cond(missing, 'Ready'), 'False');
    assert.equal((await predict(u.gateway, 'nomodel')).status, 404, 'never served: no route');

    // Delete with two revisions alive (00001 serving, 00002 crash-looping): no replica of either is left.
    assert.ok(pidsWithCmdline(good).length === 1, 'revision 00001 runs');
    await u.kubectl('delete', 'isvc', 'iris', 'nomodel', '--wait=true', '--timeout=30s');
    assert.deepEqual(pidsWithCmdline(u.dataDir), [], 'no model server of any revision is left');
    await new Promise((r) => setTimeout(r, 2_500));
    assert.deepEqual(pidsWithCmdline(u.dataDir), [], 'and none is restarted by a pending backoff');
  } finally {
    if (up) {
      await up.stop();
      await removeDataDir(up.dataDir);
    }
  }
});
