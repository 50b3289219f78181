import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryStore } from '../store/memory-store.ts';
import { EventRecorder } from './events.ts';

test('a repeated event is aggregated (count, lastTimestamp), also by a new recorder after a restart', async () => {
  const store = new MemoryStore();
  let now = Date.parse('2026-01-01T00:00:00Z');
  const clock = { nowMs: () => now, monotonicNs: () => 0n };
  const isvc = { apiVersion: 'serving.kserve.io/v1beta1', kind: 'InferenceService', metadata: { name: 'iris', namespace: 'default', uid: 'u-1' } };
  await new EventRecorder(store, clock).record(isvc, 'Warning', 'ModelLoadFailed', 'boom');
  now += 5000;
  const second = await new EventRecorder(store, clock).record(isvc, 'Warning', 'ModelLoadFailed', 'boom');
  await new EventRecorder(store, clock).record(isvc, 'Normal', 'InferenceServiceReady', 'ready');
  const items = (await store.list({ group: '', resource: 'events' })).items;
  assert.equal(items.length, 2);
  assert.equal(second.count, 2);
  assert.equal(second.firstTimestamp, '2026-01-01T00:00:00.000Z');
  assert.equal(second.lastTimestamp, '2026-01-01T00:00:05.000Z');
  assert.deepEqual(second.involvedObject, { apiVersion: 'serving.kserve.io/v1beta1', kind: 'InferenceService', namespace: 'default', name: 'iris', uid: 'u-1' });
  assert.equal(second.type, 'Warning');
  await store.close();
});
