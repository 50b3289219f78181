/** OffloadedModel: small runs inline, big ones on the worker, same answers, errors and lifecycle. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ServingError } from '../../core/errors.ts';
import type { InferRequest } from '../../protocol/infer.ts';
import { siblingModule } from '../worker-entry.ts';
import { type OffloadOptions, type OffloadedModel, offload } from './offload-model.ts';
import { createSpinModel } from './testing/spin-model.ts';

const MODULE = siblingModule(import.meta.url, 'testing/spin-model');

function spin(opts: OffloadOptions = {}, extra: { work?: number; failLoad?: string } = {}): OffloadedModel {
  return offload(createSpinModel, MODULE, 'createSpinModel', { name: 'spin', modelDir: '/none', ...extra }, opts);
}

function rows(n: number, seed = 1): InferRequest {
  const x = new Float64Array(n * 4);
  for (let i = 0; i < x.length; i++) x[i] = ((i * 7919 + seed) % 1000) / 1000;
  return { modelName: 'spin', inputs: [{ name: 'x', datatype: 'FP64', shape: [n, 4], data: x }] };
}

const ctx = { headers: {} };

test('single rows run inline once measured; a big batch runs on the worker; answers are identical', async () => {
  // A 5 ms budget: a row (~15 µs) fits it even on a loaded CI machine; 5,000 rows (~75 ms) never do.
  const m = spin({ inlineBudgetUs: 5000 });
  await m.load();
  try {
    const one = rows(1);
    const first = await m.predict(one, ctx);
    assert.deepEqual(m.cost.counts, { inline: 0, worker: 1 }, 'an unmeasured size goes to the worker');
    await m.predict(rows(1), ctx);
    const again = await m.predict(rows(1), ctx);
    assert.ok(m.cost.counts.inline >= 1, JSON.stringify(m.cost.counts));
    assert.deepEqual(again.outputs, first.outputs);

    // A 5,000-row batch (~100 ms of work) never runs on the event loop: a 1 ms timer keeps ticking.
    const big = rows(5000);
    let last = performance.now();
    let gap = 0;
    const iv = setInterval(() => {
      const now = performance.now();
      gap = Math.max(gap, now - last);
      last = now;
    }, 1);
    const before = { ...m.cost.counts };
    const r1 = await m.predict(big, ctx);
    const r2 = await m.predict(rows(5000), ctx);
    clearInterval(iv);
    assert.equal(m.cost.counts.worker, before.worker + 2);
    assert.ok(m.cost.estimate(20000)! > 5000, `estimate ${String(m.cost.estimate(20000))} µs`);
    assert.ok(gap < 50, `the event loop was held ${gap.toFixed(1)} ms`);
    assert.deepEqual(r1.outputs, r2.outputs);
    const inline = createSpinModel({ name: 'spin', modelDir: '/none' }).predict(rows(5000));
    assert.deepEqual(r1.outputs, inline.outputs, 'the worker computes what the model computes in process');
  } finally {
    await m.unload();
  }
});

test("the worker's ServingErrors keep their code, and the worker keeps serving", async () => {
  const m = spin({ inlineBudgetUs: 0 });
  await m.load();
  try {
    const bad = rows(3);
    (bad.inputs[0]!.data as Float64Array)[4] = -1;
    await assert.rejects(m.predict(bad, ctx), (e: unknown) => e instanceof ServingError && e.code === 'INVALID_INPUT' && /row 1/.test(e.message));
    const ok = await m.predict(rows(2), ctx);
    assert.equal(ok.outputs[0]!.shape[0], 2, 'the worker keeps serving after errors');
  } finally {
    await m.unload();
  }
});

test('a load error in the model fails the load with its message', async () => {
  const m = spin({}, { failLoad: 'weights are corrupt' });
  await assert.rejects(m.load(), /weights are corrupt/);
});

test('runs in flight finish before unload returns; later runs are refused', async () => {
  const m = spin({ inlineBudgetUs: 0 });
  await m.load();
  const inflight = [m.predict(rows(500), ctx), m.predict(rows(500, 2), ctx)];
  await m.unload();
  const done = await Promise.allSettled(inflight);
  assert.deepEqual(done.map((d) => d.status), ['fulfilled', 'fulfilled']);
  await assert.rejects(m.predict(rows(1), ctx), (e: unknown) => e instanceof ServingError && e.code === 'MODEL_NOT_READY');
});

test('V1 row decoding is the inner model\'s', async () => {
  const m = spin();
  await m.load();
  try {
    assert.deepEqual(m.decodeV1Instances!([[1, 2, 3, 4]])[0]!.shape, [1, 4]);
  } finally {
    await m.unload();
  }
});
