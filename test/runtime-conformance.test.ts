/**
 * The conformance suite every JavaScript runtime passes, as the model server registers it
 * (BUILTIN_FORMATS: offloaded, so big batches take the worker path): load, metadata, predict
 * (inline and on the worker, same answers), bad input as INVALID_INPUT, unload, and a model file
 * that is not one as MODEL_LOAD_FAILED.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ServingError } from '../src/core/errors.ts';
import { BUILTIN_FORMATS } from '../src/dataplane/formats.ts';
import type { InferRequest } from '../src/protocol/infer.ts';
import type { Model, PredictResult } from '../src/runtimes/model.ts';

const F = '../shared/fixtures';
const IRIS = [[5.1, 3.5, 1.4, 0.2], [6.8, 2.8, 4.8, 1.4], [6.0, 3.4, 4.5, 1.6], [7.7, 3.0, 6.1, 2.3]];

interface Case {
  format: string;
  modelPath: string;
  /** The file name and content of a file that claims to be this format but is not a model. */
  junk: [string, string];
}

const CASES: Case[] = [
  { format: 'xgboost', modelPath: `${F}/xgboost/kserve-iris/model.json`, junk: ['model.json', '{"learner": {"gradient_booster": 7}}'] },
  { format: 'lightgbm', modelPath: `${F}/lightgbm/kserve-iris/model.bst`, junk: ['model.txt', 'tree\nversion=v3\nnum_class=banana\n'] },
  { format: 'pmml', modelPath: `${F}/pmml/kserve/model.pmml`, junk: ['model.pmml', '<PMML version="4.2"><DataDictionary>'] },
];

function rows(n: number): InferRequest {
  const data = new Float64Array(n * 4);
  for (let i = 0; i < n; i++) data.set(IRIS[i % IRIS.length]!, i * 4);
  return { modelName: 'm', inputs: [{ name: 'input-0', datatype: 'FP64', shape: [n, 4], data }] };
}

const ctx = { headers: {} };

async function run(m: Model, req: InferRequest): Promise<PredictResult> {
  return m.postprocess(await m.predict((await m.preprocess(req, ctx)) as InferRequest, ctx), ctx);
}

for (const c of CASES) {
  describe(`${c.format} runtime conformance`, () => {
    let model: Model;
    before(async () => {
      model = BUILTIN_FORMATS[c.format]!({ name: 'm', modelDir: c.modelPath });
      await model.load();
    });
    after(() => model.unload());

    test('loads; metadata names the model and its outputs', () => {
      assert.equal(model.ready, true);
      const meta = model.metadata();
      assert.equal(meta.name, 'm');
      assert.ok(meta.platform.length > 0);
      assert.ok(meta.outputs.length > 0, 'at least one output');
    });

    test('predicts one row per input row; a 2,000-row batch on the worker equals row-by-row answers', async () => {
      const one = await run(model, rows(1));
      assert.ok(one.outputs.length > 0);
      for (const o of one.outputs) assert.equal(o.shape[0], 1, `output ${o.name}`);
      const big = await run(model, rows(2000));
      for (const o of big.outputs) assert.equal(o.shape[0], 2000, `output ${o.name}`);
      // Row 4k+i of the batch is IRIS[i]: the same answer as the row alone.
      for (let i = 0; i < IRIS.length; i++) {
        const alone = await run(model, { modelName: 'm', inputs: [{ name: 'input-0', datatype: 'FP64', shape: [1, 4], data: Float64Array.from(IRIS[i]!) }] });
        alone.outputs.forEach((o, k) => {
          const b = big.outputs[k]!;
          const w = o.data.length;
          const at = 4 * 100 + i;
          assert.deepEqual(Array.from(b.data as ArrayLike<unknown>).slice(at * w, (at + 1) * w), Array.from(o.data as ArrayLike<unknown>), `${o.name} row ${at}`);
        });
      }
    });

    test('a wrong feature count is INVALID_INPUT naming the input', async () => {
      const bad: InferRequest = { modelName: 'm', inputs: [{ name: 'input-0', datatype: 'FP64', shape: [1, 3], data: Float64Array.from([1, 2, 3]) }] };
      await assert.rejects(run(model, bad), (e: unknown) => {
        assert.ok(e instanceof ServingError, String(e));
        assert.equal(e.code, 'INVALID_INPUT');
        assert.match(e.message, /input|feature|field/i);
        return true;
      });
    });

    test('unload, then runs are refused and load works again', async () => {
      await model.unload();
      assert.equal(model.ready, false);
      await assert.rejects(run(model, rows(1)), (e: unknown) => {
        assert.ok(e instanceof ServingError && e.code === 'MODEL_NOT_READY', String(e));
        return true;
      });
      await model.load();
      assert.equal((await run(model, rows(1))).outputs[0]!.shape[0], 1);
    });

    test('a file that is not a model of this format fails the load with MODEL_LOAD_FAILED', async () => {
      const dir = await mkdtemp(join(tmpdir(), `kserve-ts-junk-${c.format}-`));
      try {
        await writeFile(join(dir, c.junk[0]), c.junk[1]);
        const junk = BUILTIN_FORMATS[c.format]!({ name: 'junk', modelDir: dir });
        await assert.rejects(junk.load(), (e: unknown) => {
          assert.ok(e instanceof ServingError && e.code === 'MODEL_LOAD_FAILED', String(e));
          return true;
        });
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  });
}
