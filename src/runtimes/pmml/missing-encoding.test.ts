/**
 * How missing numbers travel to a PMML model: V1 JSON null and the string "NaN" (the repo's JSON
 * spelling), V2 FP64 NaN and BYTES "NaN" or empty, all reach the MiningSchema as missing; other
 * text in a double field answers 400 naming field, value and expectation.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ServingError } from '../../core/errors.ts';
import type { Tensor } from '../../protocol/tensor.ts';
import { makeTensor } from '../../protocol/tensor.ts';
import { PmmlModel } from './pmml-model.ts';

// y = 1 + 2·x + 3·z; x missing → missingValueReplacement 10; z missing → y missing.
const DOC = `<PMML xmlns="http://www.dmg.org/PMML-4_4" version="4.4">
<DataDictionary>
  <DataField name="x" optype="continuous" dataType="double"/><DataField name="z" optype="continuous" dataType="float"/>
  <DataField name="y" optype="continuous" dataType="double"/>
</DataDictionary>
<RegressionModel functionName="regression">
  <MiningSchema><MiningField name="x" missingValueReplacement="10"/><MiningField name="z"/><MiningField name="y" usageType="predicted"/></MiningSchema>
  <RegressionTable intercept="1"><NumericPredictor name="x" coefficient="2"/><NumericPredictor name="z" coefficient="3"/></RegressionTable>
</RegressionModel></PMML>`;

let dir: string;
let model: PmmlModel;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pmml-missing-'));
  await writeFile(join(dir, 'model.pmml'), DOC);
  model = new PmmlModel({ name: 'm', modelDir: dir });
  await model.load();
});
after(async () => {
  await model.unload();
  await rm(dir, { recursive: true, force: true });
});

const ys = (inputs: Tensor[]): number[] => [...(model.predict({ modelName: 'm', inputs }).outputs[0]?.data as Float64Array)];
const enc = new TextEncoder();

test('V1: null and "NaN" are missing, in records and lists', () => {
  // Row 1: 1 + 2·10 (replacement) + 3·1 = 24; row 2 the same via "NaN"; row 3: 1 + 2·2 + 3·1 = 8.
  assert.deepEqual(ys(model.decodeV1Instances([{ x: null, z: 1 }, { x: 'NaN', z: 1 }, { x: 2, z: 1 }])), [24, 24, 8]);
  assert.deepEqual(ys(model.decodeV1Instances([[null, 1], ['NaN', 1], [2, 'NaN']])), [24, 24, NaN]);
  // An absent key is missing too; z missing has no replacement, so y is missing (NaN in FP64).
  assert.deepEqual(ys(model.decodeV1Instances([{ x: 2 }])), [NaN]);
});

test('V2: FP64 NaN and BYTES "NaN" / empty are missing', () => {
  assert.deepEqual(ys([makeTensor('input-0', 'FP64', [2, 2], Float64Array.from([NaN, 1, 2, NaN]))]), [24, NaN]);
  const bytes = ['NaN', '1', '', '1', '2', '1'].map((s) => enc.encode(s));
  assert.deepEqual(ys([makeTensor('input-0', 'BYTES', [3, 2], bytes)]), [24, 24, 8]);
});

test('other text in a double field: 400 naming the field, the value and what was expected', () => {
  const bad = (e: unknown): boolean => e instanceof ServingError && e.code === 'INVALID_INPUT' && /x: got "abc", expected a number \(double\)/.test(e.message);
  assert.throws(() => ys(model.decodeV1Instances([{ x: 'abc', z: 1 }])), bad);
  assert.throws(() => ys([makeTensor('input-0', 'BYTES', [1, 2], [enc.encode('abc'), enc.encode('1')])]), bad);
});
