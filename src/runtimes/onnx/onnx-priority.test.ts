/** Inference threads run at a lower priority (nice) than the event-loop thread, on Linux. */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { test } from 'node:test';
import { OnnxModel } from './onnx-model.ts';
import { realModelDirs } from './testing/fixtures.ts';

function niceValues(): number[] {
  return readdirSync('/proc/self/task').map((tid) => Number(readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1]!.split(' ')[16]));
}

test('workers and their ORT threads take the configured nice value; the main thread keeps its own', { skip: process.platform !== 'linux' }, async () => {
  const before = niceValues().filter((n) => n === 7).length;
  const m = new OnnxModel({ name: 'iris', modelDir: realModelDirs().iris, workers: 2, inferenceNice: 7 });
  await m.load();
  try {
    assert.ok(niceValues().filter((n) => n === 7).length >= before + 2, `nice values: ${niceValues().join(',')}`);
    assert.equal(Number(readFileSync('/proc/thread-self/stat', 'utf8').split(') ')[1]!.split(' ')[16]), 0);
  } finally {
    await m.unload();
  }
});
