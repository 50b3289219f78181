/**
 * Every ONNX conformance case in fixtures/onnx (ONNX backend node / pytorch-converted /
 * pytorch-operator / light suites, one identity model per dtype, ORT's own test data) runs through
 * `OnnxModel.load` → `predict` → `unload` and must match its expected outputs (ONNX backend
 * tolerances, testing/compare.ts). Cases run a few at a time, one worker thread each.
 *
 * Here every run goes through the inline session (inline-runner.ts, `inlineBudgetUs: Infinity`);
 * test/conformance-transports.test.ts runs the same cases through the server with the default
 * policy, where each model's first request runs on its worker thread.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it, test } from 'node:test';
import { OnnxModel } from './onnx-model.ts';
import { CONFORMANCE_ALLOWLIST } from './testing/allowlist.ts';
import { CONFORMANCE_SUITES, type ConformanceCase, listAllCases, loadDataset, onnxFixturesDir } from './testing/cases.ts';
import { compareOutputs } from './testing/compare.ts';

const CONCURRENCY = 4;
const fixtures = onnxFixturesDir(process.env.KSERVE_TS_ONNX_FIXTURES);
const cases = await listAllCases(CONFORMANCE_SUITES.map((s) => join(fixtures, s)));

/** Runs one case; returns the problems found (empty when it passes). */
async function runCase(c: ConformanceCase): Promise<string[]> {
  const model = new OnnxModel({ name: c.id, modelDir: c.modelDir, workers: 1, inlineBudgetUs: Infinity });
  try {
    await model.load();
    const meta = model.metadata();
    const names = { inputs: meta.inputs.map((t) => t.name), outputs: meta.outputs.map((t) => t.name) };
    const problems: string[] = [];
    for (const ds of c.datasets) {
      const { inputs, expected } = await loadDataset(ds, names);
      const res = await model.predict({ modelName: c.id, inputs });
      problems.push(...compareOutputs(expected, res.outputs).map((p) => `${ds.name}: ${p}`));
    }
    return problems;
  } catch (err) {
    return [err instanceof Error ? err.message : String(err)];
  } finally {
    await model.unload();
  }
}

describe('ONNX conformance through OnnxModel', { concurrency: CONCURRENCY }, () => {
  for (const c of cases) {
    it(c.id, { timeout: 120_000 }, async (t) => {
      const problems = await runCase(c);
      const allowed = CONFORMANCE_ALLOWLIST[c.id];
      if (allowed !== undefined) {
        assert.notDeepEqual(problems, [], `${c.id} is allow-listed (${allowed.reason}) but passes now: remove it from testing/allowlist.ts`);
        for (const p of problems) assert.match(p, allowed.expect, `${c.id} is allow-listed (${allowed.reason}) but fails differently`);
        t.diagnostic(`allow-listed: ${allowed.reason}`);
        return;
      }
      assert.deepEqual(problems, []);
    });
  }
});

test('the conformance suites are all there', () => {
  const count = (suite: string): number => cases.filter((c) => c.suite === suite).length;
  assert.deepEqual(
    Object.fromEntries(CONFORMANCE_SUITES.map((s) => [s, count(s.split('/').pop()!)])),
    { 'conformance/node': 1079, 'conformance/pytorch-converted': 59, 'conformance/pytorch-operator': 24, 'conformance/light': 9, dtypes: 13, 'ort-testdata': 3 },
  );
  for (const id of Object.keys(CONFORMANCE_ALLOWLIST)) assert.ok(cases.some((c) => c.id === id), `allow-listed case ${id} does not exist`);
});
