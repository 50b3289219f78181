/**
 * OnnxModel's lifecycle around its worker threads: a crashed worker fails its requests and is
 * replaced; unload is graceful (queued requests finish), idempotent and never terminates a busy
 * worker; loads are shared; a model loads again after unload; the factory and versions.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ServingError } from '../../core/errors.ts';
import { createLogger } from '../../core/logger.ts';
import type { InferRequest } from '../../protocol/infer.ts';
import type { Tensor } from '../../protocol/tensor.ts';
import type { ModelFactory } from '../model.ts';
import { OnnxModel, createOnnxModel } from './onnx-model.ts';
import { onnxFixturesDir } from './testing/cases.ts';
import { dynamicBatchMnist, irisInput, mnistDigits, readIrisRows, realModelDirs } from './testing/fixtures.ts';

const fixtures = onnxFixturesDir(process.env.KSERVE_TS_ONNX_FIXTURES);
const dirs = realModelDirs(fixtures);
const req = (modelName: string, inputs: Tensor[]): InferRequest => ({ modelName, inputs });
const digits = (n: number): Promise<Tensor> => mnistDigits(fixtures, n);

function argmax(a: Float32Array): number {
  let best = 0;
  for (let i = 1; i < a.length; i++) if (a[i]! > a[best]!) best = i;
  return best;
}

let mnist: Awaited<ReturnType<typeof dynamicBatchMnist>>;
before(async () => {
  mnist = await dynamicBatchMnist(dirs.mnist);
});
after(() => mnist.close());

describe('worker crashes', () => {
  test('a worker that dies fails its requests with INFERENCE_FAILED and is replaced', async () => {
    const model = new OnnxModel({ name: 'mnist', modelDir: mnist.dir });
    await model.load();
    try {
      const pool = model.pool!;
      const [victim] = pool.threadIds();
      const inputs = await Promise.all(Array.from({ length: 4 }, () => digits(1024)));
      const inflight = inputs.map((x) => model.predict(req('mnist', [x])));
      pool.crashForTest(victim!);
      const settled = await Promise.allSettled(inflight);
      const failed = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected');
      assert.ok(failed.length >= 1, 'queued requests fail');
      for (const f of failed) {
        assert.ok(f.reason instanceof ServingError);
        assert.equal(f.reason.code, 'INFERENCE_FAILED');
        assert.match(f.reason.message, /worker thread exited \(code 1: worker crash requested \(test hook\)\).*being replaced/);
      }
      await pool.whenLive();
      assert.notEqual(pool.threadIds()[0], victim);
      const res = await model.predict(req('mnist', [await digits(1)]));
      assert.equal(argmax(res.outputs[0]!.data as Float32Array), 2);
    } finally {
      await model.unload();
    }
  });
});

describe('unload', () => {
  test('lets queued requests finish, then stops the workers; it is idempotent', async () => {
    const model = new OnnxModel({ name: 'm', modelDir: mnist.dir, workers: 2 });
    await model.load();
    const pool = model.pool!;
    assert.equal(pool.threadIds().length, 2);
    const inputs = await Promise.all(Array.from({ length: 4 }, () => digits(256)));
    const inflight = inputs.map((x) => model.predict(req('m', [x])));
    const unloading = model.unload();
    assert.equal(model.ready, false);
    const late = await digits(1);
    await assert.rejects(async () => model.predict(req('m', [late])), (err: unknown) => err instanceof ServingError && err.code === 'MODEL_NOT_READY');
    const results = await Promise.all(inflight);
    assert.ok(results.every((r) => r.outputs[0]!.shape[0] === 256));
    await unloading;
    await model.unload();
    assert.deepEqual(pool.threadIds(), []);
    assert.equal(pool.liveWorkers, 0);
  });

  test('past the close timeout a busy worker is left to finish, never terminated mid-run', async () => {
    // Terminating a worker inside session.run aborts the process (a C++ exception escapes
    // onnxruntime-node), so this test passing at all is part of the point.
    const lines: string[] = [];
    const logger = createLogger({ level: 'warn', sink: { write: (l: string) => lines.push(l) } });
    const model = new OnnxModel({ name: 'm', modelDir: mnist.dir, closeTimeoutMs: 0, logger });
    await model.load();
    const inputs = await Promise.all(Array.from({ length: 3 }, () => digits(1024)));
    const inflight = inputs.map((x) => model.predict(req('m', [x])));
    await model.unload();
    const results = await Promise.all(inflight);
    assert.ok(results.every((r) => r.outputs[0]!.shape[0] === 1024));
    assert.match(lines.join(''), /still busy after the close timeout; it will exit when its runs finish/);
  });

  test('a model loads again after unload; concurrent loads share one', async () => {
    const model = new OnnxModel({ name: 'iris', modelDir: dirs.iris });
    await Promise.all([model.load(), model.load()]);
    assert.equal(model.pool!.threadIds().length, 1);
    await model.unload();
    await model.load();
    const res = await model.predict(req('iris', [irisInput((await readIrisRows(dirs.iris)).slice(0, 3))]));
    assert.deepEqual(res.outputs[0]!.shape, [3]);
    await model.unload();
  });
});

describe('factory', () => {
  test('createOnnxModel is a ModelFactory and honours the version', () => {
    const factory: ModelFactory = createOnnxModel;
    const m = factory({ name: 'x', modelDir: dirs.iris, version: '3' });
    assert.ok(m instanceof OnnxModel);
    assert.equal(m.version, '3');
  });

  test('the version is reported in metadata', async () => {
    const model = createOnnxModel({ name: 'iris', modelDir: dirs.iris, version: '7' });
    await model.load();
    assert.deepEqual(model.metadata().versions, ['7']);
    await model.unload();
  });
});
