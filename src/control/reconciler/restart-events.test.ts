import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ReplicaStatus } from '../drivers/driver.ts';
import { MemoryStore } from '../store/memory-store.ts';
import { EventRecorder } from './events.ts';
import { RestartEvents, exitMessage, newExits } from './restart-events.ts';

const REV = 'default/iris/predictor/iris-predictor-00001';
const replica = (restarts: number, exit?: Partial<NonNullable<ReplicaStatus['lastExit']>>): ReplicaStatus => ({
  name: 'iris-predictor-00001-1',
  revision: REV,
  phase: restarts > 0 ? 'Failed' : 'Ready',
  restarts,
  ...(exit ? { lastExit: { code: null, signal: 'SIGKILL', reason: 'Error', logTail: '', at: '2026-01-01T00:00:00.000Z', ...exit } } : {}),
});

test('newExits: reports a replica once per restart, counts one exited before first seen, forgets gone replicas', () => {
  const seen = new Map<string, number>();
  assert.deepEqual(newExits(seen, REV, [replica(0)]), []);
  assert.equal(newExits(seen, REV, [replica(1, {})]).length, 1);
  assert.equal(newExits(seen, REV, [replica(1, {})]).length, 0, 'same restart count: nothing new');
  assert.equal(newExits(seen, REV, [replica(2, {})]).length, 1);
  assert.deepEqual(newExits(seen, REV, []), []);
  assert.equal(seen.size, 0, 'a deleted replica is forgotten');
  assert.equal(newExits(new Map(), REV, [replica(3, {})]).length, 1, 'exited before anyone looked');
});

test('exitMessage names the replica, the revision, the signal or code, and the last log line', () => {
  assert.equal(exitMessage(replica(1, {})), 'Replica iris-predictor-00001-1 of revision "iris-predictor-00001" was killed by signal SIGKILL (reason Error); restarting it after a backoff');
  assert.equal(
    exitMessage(replica(1, { signal: null, code: 1, logTail: 'loading\nerror: model.onnx is not a valid ONNX file\n' })),
    'Replica iris-predictor-00001-1 of revision "iris-predictor-00001" exited with code 1 (reason Error); restarting it after a backoff. Last log line: error: model.onnx is not a valid ONNX file',
  );
});

test('RestartEvents records a Warning ReplicaExited on the InferenceService, aggregated across repeats', async () => {
  const store = new MemoryStore();
  const clock = { nowMs: () => Date.parse('2026-01-01T00:00:00Z'), monotonicNs: () => 0n };
  const key = { group: 'serving.kserve.io', resource: 'inferenceservices', namespace: 'default', name: 'iris' };
  await store.create(key, { apiVersion: 'serving.kserve.io/v1beta1', kind: 'InferenceService', metadata: { name: 'iris', namespace: 'default' }, spec: {} });
  const r = new RestartEvents(store, new EventRecorder(store, clock));
  await r.observe(REV, [replica(0)]);
  await r.observe(REV, [replica(1, {})]);
  await r.observe(REV, [replica(1, {})]);
  await r.observe(REV, [replica(2, {})]);
  await r.observe('default/gone/predictor/gone-predictor-00001', [{ ...replica(1, {}), revision: 'default/gone/predictor/gone-predictor-00001' }]);
  const items = (await store.list({ group: '', resource: 'events' })).items;
  assert.equal(items.length, 1);
  assert.equal(items[0]!.reason, 'ReplicaExited');
  assert.equal(items[0]!.type, 'Warning');
  assert.equal(items[0]!.count, 2);
  await store.close();
});
