/**
 * The synchronous native session (native-session.ts) against onnxruntime-node's public
 * `InferenceSession.run`: the same outputs, and ORT's errors thrown. Guards the use of the
 * package's internal binding file across onnxruntime-node upgrades.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import * as ort from 'onnxruntime-node';
import { NativeSession } from './native-session.ts';
import { createSession, toOrtTensor } from './session-io.ts';
import { onnxFixturesDir } from './testing/cases.ts';
import { mnistDigits, realModelDirs } from './testing/fixtures.ts';

const fixtures = onnxFixturesDir(process.env.KSERVE_TS_ONNX_FIXTURES);
const dirs = realModelDirs(fixtures);
const init = (dir: string): { modelPath: string; intraOpThreads: number; executionProvider: 'cpu' } => ({ modelPath: join(dir, 'model.onnx'), intraOpThreads: 1, executionProvider: 'cpu' });

async function compare(dir: string, feeds: () => Record<string, ort.Tensor>): Promise<void> {
  const { session } = await createSession(init(dir));
  const native = new NativeSession(init(dir));
  try {
    assert.deepEqual(native.inputNames, session.inputNames);
    assert.deepEqual(native.outputNames, session.outputNames);
    const expected = await session.run(feeds(), [...session.outputNames]);
    const got = native.run(feeds(), native.outputNames);
    for (const name of session.outputNames) {
      const e = expected[name] as ort.Tensor;
      const g = got[name] as ort.Tensor;
      assert.equal(g.type, e.type, name);
      assert.deepEqual([...g.dims], [...e.dims], name);
      assert.deepEqual(g.data, e.data, name);
    }
  } finally {
    native.release();
    await session.release();
  }
}

test('iris: the same labels and probabilities as InferenceSession.run', async () => {
  const x = new Float32Array([6.8, 2.8, 4.8, 1.4, 5.1, 3.5, 1.4, 0.2, 7.7, 3.0, 6.1, 2.3]);
  await compare(dirs.iris, () => ({ 'input-0': toOrtTensor('float32', x, [3, 4]) }));
});

test('mnist-8: the same logits as InferenceSession.run', async () => {
  const digit = await mnistDigits(fixtures, 1);
  await compare(dirs.mnist, () => ({ Input3: toOrtTensor('float32', digit.data as Float32Array, digit.shape) }));
});

test('only the requested outputs come back', () => {
  const native = new NativeSession(init(dirs.iris));
  try {
    const out = native.run({ 'input-0': toOrtTensor('float32', new Float32Array(4), [1, 4]) }, ['output-0']);
    assert.deepEqual(Object.keys(out), ['output-0']);
  } finally {
    native.release();
  }
});

test("ORT's errors are thrown synchronously with its message", () => {
  const native = new NativeSession(init(dirs.iris));
  try {
    assert.throws(() => native.run({ 'input-0': toOrtTensor('float32', new Float32Array(5), [1, 5]) }, native.outputNames), /Got: 5 Expected: 4/);
  } finally {
    native.release();
  }
  assert.throws(() => new NativeSession({ ...init(dirs.iris), modelPath: join(dirs.iris, 'no-such.onnx') }), /no-such\.onnx|No such file|Load model/i);
});
