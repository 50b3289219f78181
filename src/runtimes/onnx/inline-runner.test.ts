/**
 * Where runs go: small, fast runs on the event-loop thread (the inline session), the rest on the
 * worker threads, decided by the measured cost of each input size class (inline-runner.ts).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ServingError } from '../../core/errors.ts';
import type { Tensor } from '../../protocol/tensor.ts';
import { sizeClass } from '../run-cost.ts';
import { OnnxModel } from './onnx-model.ts';
import { onnxFixturesDir } from './testing/cases.ts';
import { dynamicBatchMnist, irisInput, mnistDigits, readIrisRows, realModelDirs } from './testing/fixtures.ts';

const fixtures = onnxFixturesDir(process.env.KSERVE_TS_ONNX_FIXTURES);
const dirs = realModelDirs(fixtures);
const rows = await readIrisRows(dirs.iris);
const label = (t: Tensor): number => Number((t.data as BigInt64Array)[0]);

test('size classes are powers of two of the input elements', () => {
  assert.deepEqual([0, 1, 2, 3, 4, 5, 8, 9, 1024, 1025].map(sizeClass), [0, 0, 1, 2, 2, 3, 3, 4, 10, 11]);
  assert.equal(sizeClass(2 ** 40), 31);
});

// A 2 ms budget: the policy is the same as the default 100 µs, but a busy test machine (worker
// runs of iris measured at a few hundred µs under load) cannot keep the runs on the worker.
describe('iris with a budget', () => {
  const model = new OnnxModel({ name: 'iris', modelDir: dirs.iris, inlineBudgetUs: 2000 });
  before(() => model.load());
  after(() => model.unload());

  test('the first run of a size goes to the worker; once measured fast, the next ones run inline, with the same answers', async () => {
    const runner = model.inlineRunner!;
    const first = await model.predict({ modelName: 'iris', inputs: [irisInput([rows[0]!])] });
    await model.predict({ modelName: 'iris', inputs: [irisInput([rows[0]!])] });
    assert.deepEqual(runner.counts, { inline: 0, worker: 2 });
    const est = runner.estimate(4);
    assert.ok(est !== undefined && est < 2000, `worker-measured estimate ${String(est)} µs`);
    // The inline session is created (once) when a run first qualifies.
    for (let i = 0; i < 20 && runner.counts.inline === 0; i++) {
      const r = await model.predict({ modelName: 'iris', inputs: [irisInput([rows[i]!])] });
      assert.equal(label(r.outputs[0]!), rows[i]!.label);
    }
    assert.ok(runner.counts.inline > 0, 'runs went inline');
    const inline = await model.predict({ modelName: 'iris', inputs: [irisInput([rows[0]!])] });
    assert.deepEqual(inline.outputs, first.outputs);
    // Inline runs leave the caller's arrays alone, as worker runs of small arrays do.
    const x = irisInput([rows[3]!]);
    await model.predict({ modelName: 'iris', inputs: [x] });
    assert.equal(x.data.length, 4);
  });

  test('100 concurrent single-row requests, inline and on the worker, each get their own answer', async () => {
    const results = await Promise.all(rows.map((r) => model.predict({ modelName: 'iris', inputs: [irisInput([r])] })));
    assert.deepEqual(results.map((r) => label(r.outputs[0]!)), rows.map((r) => r.label));
  });
});

describe('big batches stay on the workers', () => {
  let mnist: Awaited<ReturnType<typeof dynamicBatchMnist>>;
  let model: OnnxModel;
  before(async () => {
    mnist = await dynamicBatchMnist(dirs.mnist);
    model = new OnnxModel({ name: 'mnist', modelDir: mnist.dir });
    await model.load();
  });
  after(async () => {
    await model.unload();
    await mnist.close();
  });

  test('a batch-256 MNIST run is measured over budget, so it never runs inline', async () => {
    const x = await mnistDigits(fixtures, 256);
    for (let i = 0; i < 3; i++) {
      const copy = { ...x, data: (x.data as Float32Array).slice() };
      const r = await model.predict({ modelName: 'mnist', inputs: [copy] });
      assert.deepEqual(r.outputs[0]!.shape, [256, 10]);
    }
    const runner = model.inlineRunner!;
    assert.ok(runner.estimate(256 * 784)! > 100, `estimate ${String(runner.estimate(256 * 784))} µs`);
    assert.deepEqual(runner.counts, { inline: 0, worker: 3 });
  });

  test('a slow inline run sends its size class back to the workers', () => {
    const runner = model.inlineRunner!;
    for (let i = 0; i < 10; i++) runner.record(784, 20, 'worker');
    assert.equal(runner.wants(784), false, 'the first qualifying run only starts creating the session');
    runner.record(784, 5000, 'inline');
    assert.equal(runner.wants(784), false);
    assert.ok(runner.estimate(784)! > 1000);
  });
});

test('inlineBudgetUs 0 never runs inline; Infinity always does', async () => {
  const never = new OnnxModel({ name: 'never', modelDir: dirs.iris, inlineBudgetUs: 0 });
  const always = new OnnxModel({ name: 'always', modelDir: dirs.iris, inlineBudgetUs: Infinity });
  await Promise.all([never.load(), always.load()]);
  try {
    for (let i = 0; i < 5; i++) {
      const [a, b] = await Promise.all([never, always].map((m) => m.predict({ modelName: m.name, inputs: [irisInput([rows[i]!])] })));
      assert.deepEqual(a!.outputs, b!.outputs);
    }
    assert.deepEqual(never.inlineRunner!.counts, { inline: 0, worker: 5 });
    assert.deepEqual(always.inlineRunner!.counts, { inline: 5, worker: 0 });
    // ONNX Runtime's errors are the same INVALID_INPUT either way.
    const bad: Tensor = { name: 'input-0', datatype: 'FP32', shape: [1, 5], data: new Float32Array(5) };
    const messages = await Promise.all([never, always].map(async (m) => {
      const err = await (async () => m.predict({ modelName: m.name, inputs: [bad] }))().then(() => undefined, (e: unknown) => e);
      assert.ok(err instanceof ServingError, String(err));
      assert.equal(err.code, 'INVALID_INPUT');
      assert.match(err.message, /ONNX Runtime rejected the request: [\s\S]*Got: 5 Expected: 4/);
      return err.message.replace(m.name, 'M');
    }));
    assert.equal(messages[0], messages[1]);
  } finally {
    await Promise.all([never.unload(), always.unload()]);
  }
});

test('a model file over inlineMaxModelBytes gets no inline session', async () => {
  const model = new OnnxModel({ name: 'iris', modelDir: dirs.iris, inlineMaxModelBytes: 10 });
  await model.load();
  try {
    for (let i = 0; i < 5; i++) await model.predict({ modelName: 'iris', inputs: [irisInput([rows[i]!])] });
    assert.deepEqual(model.inlineRunner!.counts, { inline: 0, worker: 5 });
  } finally {
    await model.unload();
  }
});

test('unload waits for inline runs in progress', async () => {
  const model = new OnnxModel({ name: 'iris', modelDir: dirs.iris, inlineBudgetUs: Infinity });
  await model.load();
  const runs = rows.slice(0, 20).map((r) => model.predict({ modelName: 'iris', inputs: [irisInput([r])] }));
  await model.unload();
  const results = await Promise.all(runs);
  assert.deepEqual(results.map((r) => label(r.outputs[0]!)), rows.slice(0, 20).map((r) => r.label));
});
