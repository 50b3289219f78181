import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Clock } from '../../core/clock.ts';
import { WorkQueue, backoffDelayMs } from './work-queue.ts';

function stepClock(start = 1_000_000): Clock & { step(ms: number): void } {
  let now = start;
  return { nowMs: () => now, monotonicNs: () => BigInt(now) * 1_000_000n, step: (ms) => void (now += ms) };
}

test('a key queued twice is handed out once', () => {
  const q = new WorkQueue({ clock: stepClock() });
  q.add('ns/a');
  q.add('ns/a');
  q.add('ns/b');
  assert.deepEqual(q.take(), { key: 'ns/a' });
  assert.deepEqual(q.take(), { key: 'ns/b' });
  assert.deepEqual(q.take(), { idle: true });
});

test('a key added while processing waits for done, then comes back once', () => {
  const q = new WorkQueue({ clock: stepClock() });
  q.add('ns/a');
  assert.deepEqual(q.take(), { key: 'ns/a' });
  q.add('ns/a');
  q.add('ns/a');
  assert.deepEqual(q.take(), { idle: true }, 'never two workers on one key');
  assert.equal(q.idle, false);
  q.done('ns/a');
  assert.deepEqual(q.take(), { key: 'ns/a' });
  q.done('ns/a');
  assert.equal(q.idle, true);
});

test('failures back off exponentially per key up to the cap; forget resets', () => {
  const clock = stepClock();
  const q = new WorkQueue({ clock, baseDelayMs: 5, maxDelayMs: 1000 });
  const waits: number[] = [];
  for (let i = 0; i < 10; i++) {
    q.addRateLimited('ns/a');
    const t = q.take();
    assert.ok('waitMs' in t);
    waits.push(t.waitMs);
    clock.step(t.waitMs);
    assert.deepEqual(q.take(), { key: 'ns/a' });
    q.done('ns/a');
  }
  assert.deepEqual(waits, [5, 10, 20, 40, 80, 160, 320, 640, 1000, 1000]);
  q.forget('ns/a');
  q.addRateLimited('ns/a');
  assert.deepEqual(q.take(), { waitMs: 5 });
  assert.equal(backoffDelayMs(1, 5, 1000), 5);
});

test('backoff of one key does not delay another', () => {
  const q = new WorkQueue({ clock: stepClock(), baseDelayMs: 100 });
  q.addRateLimited('ns/slow');
  q.add('ns/fast');
  assert.deepEqual(q.take(), { key: 'ns/fast' });
  assert.deepEqual(q.take(), { waitMs: 100 });
});

test('the global token bucket limits the rate after the burst', () => {
  const clock = stepClock();
  const q = new WorkQueue({ clock, perSecond: 2, burst: 2 });
  for (const k of ['a', 'b', 'c', 'd']) q.add(`ns/${k}`);
  assert.deepEqual(q.take(), { key: 'ns/a' });
  assert.deepEqual(q.take(), { key: 'ns/b' });
  assert.deepEqual(q.take(), { waitMs: 500 });
  clock.step(500);
  assert.deepEqual(q.take(), { key: 'ns/c' });
  assert.deepEqual(q.take(), { waitMs: 500 });
});

test('bad options name the field, the value and the range', () => {
  assert.throws(() => new WorkQueue({ clock: stepClock(), perSecond: 0 }), /perSecond: 0 .*expected a finite number > 0/);
});
