/**
 * Merging inline runs queued together into one ORT call (merge-runs.ts, inline-runner.ts): the same
 * answers as separate runs, and merging turned off for models whose rows affect each other.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { OnnxType, buildModel } from '../../../scripts/onnx-builder.ts';
import type { Tensor } from '../../protocol/tensor.ts';
import type { InlineFeed } from './inline-runner.ts';
import { MERGE_RETRY_EVERY, VERIFY_MERGES } from './inline-runner.ts';
import { concatFeeds, mergeRows, outputsDiffer, sameMergeShape, splitOutputs } from './merge-runs.ts';
import { OnnxModel } from './onnx-model.ts';
import { onnxFixturesDir } from './testing/cases.ts';
import { irisInput, readIrisRows, realModelDirs } from './testing/fixtures.ts';

const dirs = realModelDirs(onnxFixturesDir(process.env.KSERVE_TS_ONNX_FIXTURES));
const rows = await readIrisRows(dirs.iris);

const feed = (name: string, dims: number[], data: Float32Array | string[]): InlineFeed => ({
  name, type: Array.isArray(data) ? 'string' : 'float32', dims,
  data: Array.isArray(data) ? data.map((s) => new TextEncoder().encode(s)) : data,
});

describe('merge shapes, concatenation and splitting', () => {
  test('runs merge when their inputs share names, types and trailing dims, in any order, and ask for the same outputs', () => {
    const a = [feed('x', [2, 3], new Float32Array(6)), feed('y', [2], new Float32Array(2))];
    const b = [feed('y', [5], new Float32Array(5)), feed('x', [5, 3], new Float32Array(15))];
    assert.deepEqual([mergeRows(a), mergeRows(b)], [2, 5]);
    assert.equal(sameMergeShape(a, ['out'], b, ['out']), true);
    const x3 = [feed('x', [2, 3], new Float32Array(6))];
    assert.equal(sameMergeShape(x3, ['out'], [feed('x', [2, 4], new Float32Array(8))], ['out']), false);
    assert.equal(sameMergeShape(x3, ['a'], x3, ['b']), false);
    assert.equal(sameMergeShape(x3, ['a'], [feed('z', [2, 3], new Float32Array(6))], ['a']), false);
    assert.equal(sameMergeShape(x3, ['a'], [{ ...x3[0]!, type: 'float64', data: new Float64Array(6) }], ['a']), false);
    assert.equal(sameMergeShape(x3, ['a'], a, ['a']), false);
  });

  test('BYTES inputs, scalars, empty batches and inputs with different rows are never merged', () => {
    assert.equal(mergeRows([feed('s', [1], ['a'])]), 0);
    assert.equal(mergeRows([feed('x', [], new Float32Array(1))]), 0);
    assert.equal(mergeRows([feed('x', [0, 3], new Float32Array(0))]), 0);
    assert.equal(mergeRows([feed('x', [2, 3], new Float32Array(6)), feed('y', [3], new Float32Array(3))]), 0);
    assert.equal(mergeRows([]), 0);
  });

  test('concatenated along dimension 0 and split back into each run\'s rows', () => {
    const runs = [[feed('x', [1, 2], Float32Array.of(1, 2))], [feed('x', [2, 2], Float32Array.of(3, 4, 5, 6))]];
    const [x] = concatFeeds(runs);
    assert.deepEqual(x!.dims, [3, 2]);
    assert.deepEqual([...(x!.data as Float32Array)], [1, 2, 3, 4, 5, 6]);
    const out: Tensor = { name: 'y', datatype: 'INT64', shape: [3], data: BigInt64Array.of(7n, 8n, 9n) };
    const parts = splitOutputs([out], [1, 2]);
    assert.ok(Array.isArray(parts));
    assert.deepEqual(parts.map((p) => [p[0]!.shape, [...(p[0]!.data as BigInt64Array)]]), [[[1], [7n]], [[2], [8n, 9n]]]);
    assert.match(splitOutputs([{ ...out, shape: [] }], [1, 2]) as string, /output "y" has shape \[\], not the 3 merged rows/);
  });

  test('outputsDiffer names the output whose bytes differ', () => {
    const t: Tensor = { name: 'p', datatype: 'FP32', shape: [1], data: Float32Array.of(0.5) };
    assert.equal(outputsDiffer([t], [{ ...t, data: Float32Array.of(0.5) }]), undefined);
    assert.match(outputsDiffer([t], [{ ...t, data: Float32Array.of(0.25) }])!, /output "p": different values/);
    assert.match(outputsDiffer([t], [{ ...t, shape: [1, 1] }])!, /FP32\[1\] merged, FP32\[1,1\] alone/);
  });
});

/** `rounds` bursts of `width` concurrent requests; the answers in request order. */
async function bursts(model: OnnxModel, inputs: (i: number) => Tensor, rounds: number, width: number): Promise<Tensor[][]> {
  const out: Tensor[][] = [];
  for (let r = 0; r < rounds; r++) {
    const answers = await Promise.all(Array.from({ length: width }, (_, k) => model.predict({ modelName: model.name, inputs: [inputs(r * width + k)] })));
    out.push(...answers.map((a) => a.outputs));
  }
  return out;
}

describe('iris: concurrent requests share ORT calls', () => {
  const merged = new OnnxModel({ name: 'iris', modelDir: dirs.iris, inlineBudgetUs: Infinity });
  const alone = new OnnxModel({ name: 'iris', modelDir: dirs.iris, inlineBudgetUs: Infinity, mergeRuns: false });
  before(() => Promise.all([merged.load(), alone.load()]));
  after(() => Promise.all([merged.unload(), alone.unload()]));

  test('each request gets the answer it gets alone; merging is trusted after the checked merges', async () => {
    const input = (i: number): Tensor => irisInput([rows[i % rows.length]!, rows[(i * 7) % rows.length]!].slice(0, 1 + (i % 2)));
    const rounds = VERIFY_MERGES + 10;
    const a = await bursts(merged, input, rounds, 8);
    const b = await bursts(alone, input, rounds, 8);
    assert.deepEqual(a, b);
    const runner = merged.inlineRunner!;
    assert.equal(runner.mergeState, 'on');
    assert.ok(runner.merged.runs >= rounds, `merged runs ${runner.merged.runs}`);
    assert.ok(runner.merged.requests >= 8 * 8, `requests answered from merged runs: ${runner.merged.requests}`);
    assert.equal(alone.inlineRunner!.mergeState, 'off');
    assert.equal(alone.inlineRunner!.merged.runs, 0);
  });
});

/**
 * Iris with a 2 ms inline budget, single rows already running inline, and calls of 17–32 input
 * elements (5–8 single-row requests) measured at 5 ms: over the budget.
 */
async function withOverBudgetMerges(fn: (model: OnnxModel, runner: NonNullable<OnnxModel['inlineRunner']>) => Promise<void>): Promise<void> {
  const model = new OnnxModel({ name: 'iris', modelDir: dirs.iris, inlineBudgetUs: 2000 });
  await model.load();
  try {
    const runner = model.inlineRunner!;
    // Single rows (4 elements) are measured on the worker first, then run inline.
    for (let i = 0; i < 50 && runner.counts.inline === 0; i++) await model.predict({ modelName: 'iris', inputs: [irisInput([rows[i]!])] });
    assert.ok(runner.counts.inline > 0, 'single rows run inline');
    runner.record(32, 5000, 'inline');
    runner.record(32, 5000, 'inline');
    assert.ok(runner.estimate(32)! > 2000);
    await fn(model, runner);
  } finally {
    await model.unload();
  }
}

const singleRows = (i: number): Tensor => irisInput([rows[i % rows.length]!]);
const labels = (answers: Tensor[][]): number[] => answers.map((o) => Number((o[0]!.data as BigInt64Array)[0]));
const expectedLabels = (n: number): number[] => Array.from({ length: n }, (_, i) => rows[i % rows.length]!.label);

test('a merged call stays within the inline budget once a merged size has been measured over it', () =>
  withOverBudgetMerges(async (model, runner) => {
    const answers = await bursts(model, singleRows, 6, 8);
    assert.deepEqual(labels(answers), expectedLabels(48));
    assert.ok(runner.merged.runs > 0, 'requests were merged');
    assert.ok(runner.merged.largest <= 4, `largest merged call: ${runner.merged.largest} requests`);
    // At most 2 stopped merges per burst, fewer than MERGE_RETRY_EVERY: no size over the budget was retried yet.
    assert.ok(6 * 2 < MERGE_RETRY_EVERY);
  }));

test('a merged size measured over the budget by one slow call is retried, and merging at that size resumes', () =>
  withOverBudgetMerges(async (model, runner) => {
    // Retried calls of that size measure well under a millisecond; the estimate falls back under the budget.
    let n = 0;
    for (; runner.estimate(32)! > 2000 && n < 40 * MERGE_RETRY_EVERY; n++) await bursts(model, singleRows, 1, 8);
    assert.ok(runner.estimate(32)! <= 2000, `estimate for 17–32 elements: ${runner.estimate(32)} µs after ${n} bursts`);
    const answers = await bursts(model, singleRows, 4, 8);
    assert.deepEqual(labels(answers), expectedLabels(32));
    assert.ok(runner.merged.largest > 4, `largest merged call: ${runner.merged.largest} requests`);
  }));

describe('models whose rows are not independent keep their own answers', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kserve-ts-merge-'));
    const x = { name: 'x', type: OnnxType.FLOAT, dims: ['N', 3] as (string | number)[] };
    // y = x - mean(x over the batch): every row depends on the others.
    const centred = buildModel({
      name: 'centred',
      nodes: [
        { op: 'ReduceMean', inputs: ['x'], outputs: ['m'], attrs: { axes: [0], keepdims: 1 } },
        { op: 'Sub', inputs: ['x', 'm'], outputs: ['y'] },
      ],
      initializers: [],
      inputs: [x],
      outputs: [{ name: 'y', type: OnnxType.FLOAT, dims: ['N', 3] }],
    });
    // s = sum of everything: no batch dimension to split.
    const total = buildModel({
      name: 'total',
      nodes: [{ op: 'ReduceSum', inputs: ['x'], outputs: ['s'], attrs: { keepdims: 0 } }],
      initializers: [],
      inputs: [x],
      outputs: [{ name: 's', type: OnnxType.FLOAT, dims: [] }],
    });
    await writeFile(join(dir, 'centred.onnx'), centred);
    await writeFile(join(dir, 'total.onnx'), total);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  const rowsOf = (i: number): Tensor => ({ name: 'x', datatype: 'FP32', shape: [2, 3], data: Float32Array.of(i, 1, 2, i + 2, 3, 4) });

  test('x - mean(x over the batch): a checked merge differs, so merging turns off and answers stay per request', async () => {
    const model = new OnnxModel({ name: 'centred', modelDir: join(dir, 'centred.onnx'), inlineBudgetUs: Infinity });
    await model.load();
    try {
      const answers = await bursts(model, rowsOf, 3, 8);
      for (const [i, [y]] of answers.entries()) assert.deepEqual([...(y!.data as Float32Array)], [-1, -1, -1, 1, 1, 1], `request ${i}`);
      assert.equal(model.inlineRunner!.mergeState, 'off');
      assert.equal(model.inlineRunner!.merged.requests, 0);
    } finally {
      await model.unload();
    }
  });

  test('a request ORT rejects fails alone: the others in its merged call are answered, and merging stays on', async () => {
    const table = buildModel({
      name: 'table',
      nodes: [{ op: 'Gather', inputs: ['t', 'i'], outputs: ['y'], attrs: { axis: 0 } }],
      initializers: [{ name: 't', type: OnnxType.FLOAT, dims: [5, 2], raw: new Uint8Array(Float32Array.of(0, 1, 10, 11, 20, 21, 30, 31, 40, 41).buffer) }],
      inputs: [{ name: 'i', type: OnnxType.INT64, dims: ['N'] }],
      outputs: [{ name: 'y', type: OnnxType.FLOAT, dims: ['N', 2] }],
    });
    await writeFile(join(dir, 'table.onnx'), table);
    const model = new OnnxModel({ name: 'table', modelDir: join(dir, 'table.onnx'), inlineBudgetUs: Infinity });
    await model.load();
    try {
      for (let round = 0; round < VERIFY_MERGES + 4; round++) {
        const bad = round % 2 === 0 ? 3 : -1;
        const answers = await Promise.allSettled(Array.from({ length: 8 }, (_, k) =>
          model.predict({ modelName: 'table', inputs: [{ name: 'i', datatype: 'INT64', shape: [1], data: BigInt64Array.of(k === bad ? 99n : BigInt(k % 5)) }] })));
        for (const [k, a] of answers.entries()) {
          if (k === bad) {
            assert.equal(a.status, 'rejected');
            assert.match(String((a).reason), /ONNX Runtime rejected the request/);
          } else {
            assert.equal(a.status, 'fulfilled', String((a as PromiseRejectedResult).reason));
            const y = (a as PromiseFulfilledResult<{ outputs: Tensor[] }>).value.outputs[0]!;
            assert.deepEqual([...(y.data as Float32Array)], [(k % 5) * 10, (k % 5) * 10 + 1], `round ${round} request ${k}`);
          }
        }
      }
      assert.notEqual(model.inlineRunner!.mergeState, 'off');
      assert.ok(model.inlineRunner!.merged.runs > 0);
    } finally {
      await model.unload();
    }
  });

  test('an output without the batch on dimension 0 turns merging off at the first merge', async () => {
    const model = new OnnxModel({ name: 'total', modelDir: join(dir, 'total.onnx'), inlineBudgetUs: Infinity });
    await model.load();
    try {
      const answers = await bursts(model, rowsOf, 2, 8);
      for (const [i, [s]] of answers.entries()) assert.deepEqual([...(s!.data as Float32Array)], [2 * (i % 8 + Math.floor(i / 8) * 8) + 12], `request ${i}`);
      assert.equal(model.inlineRunner!.mergeState, 'off');
      assert.equal(model.inlineRunner!.merged.runs, 0);
    } finally {
      await model.unload();
    }
  });
});
