/** PmmlModel on KServe's iris example: V2 tensors, V1 records, bad input, load failures. */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile, copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ServingError } from '../../core/errors.ts';
import type { Tensor } from '../../protocol/tensor.ts';
import { makeTensor } from '../../protocol/tensor.ts';
import { PmmlModel, createPmmlModel } from './index.ts';
import { pmmlFixturesDir } from './testing/fixtures.ts';

const KSERVE_DIR = join(pmmlFixturesDir(), 'kserve');
const ctx = { headers: {} };
const text = (t: Tensor | undefined): string[] => (t?.data as Uint8Array[]).map((b) => new TextDecoder().decode(b));
const num = (t: Tensor | undefined): number[] => [...(t?.data as Float64Array)];
const code = (c: string) => (err: unknown): boolean => err instanceof ServingError && err.code === c;

describe('PmmlModel (kserve/model.pmml)', () => {
  let dir: string;
  let model: PmmlModel;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pmml-'));
    await copyFile(join(KSERVE_DIR, 'model.pmml'), join(dir, 'model.pmml'));
    model = createPmmlModel({ name: 'iris', modelDir: dir }) as PmmlModel;
    await model.load();
  });
  after(async () => {
    await model.unload();
    await rm(dir, { recursive: true, force: true });
  });

  test('metadata lists the outputs KServe reports, in order', () => {
    const meta = model.metadata();
    assert.deepEqual(meta.outputs.map((o) => `${o.name}:${o.datatype}`), [
      'Species:BYTES', 'Probability_setosa:FP64', 'Probability_versicolor:FP64', 'Probability_virginica:FP64', 'Node_Id:BYTES',
    ]);
    assert.equal(meta.parameters?.['input_fields'], 'Sepal_Length,Sepal_Width,Petal_Length,Petal_Width');
  });

  test('V2 input-0 in FP32 (KServe pmml-input-v2.json) gives setosa, node 2', () => {
    const input = makeTensor('input-0', 'FP32', [2, 4], Float32Array.from([5.1, 3.5, 1.4, 0.2, 6.3, 3.3, 6.0, 2.5]));
    const { outputs } = model.predict({ modelName: 'iris', inputs: [input] });
    assert.deepEqual(text(outputs[0]), ['setosa', 'virginica']);
    assert.deepEqual(num(outputs[1]), [1, 0]);
    // recordCount 45 of 46 (JPMML's rule), not the rounded confidence attribute 0.978260869565217.
    assert.deepEqual(num(outputs[3]), [0, 45 / 46]);
    assert.deepEqual(text(outputs[4]), ['2', '7']);
  });

  test('V1 rows: lists and records by field name decode to the same answer', () => {
    const fromList = model.decodeV1Instances([[5.1, 3.5, 1.4, 0.2]]);
    const fromRecord = model.decodeV1Instances([{ Petal_Width: 0.2, Petal_Length: 1.4, Sepal_Width: 3.5, Sepal_Length: 5.1 }]);
    assert.deepEqual(fromList, fromRecord);
    const { outputs } = model.predict({ modelName: 'iris', inputs: fromRecord });
    assert.deepEqual(text(outputs[0]), ['setosa']);
  });

  test('a missing field takes the defaultChild branch (missingValueStrategy="defaultChild")', () => {
    const inputs = model.decodeV1Instances([{ Sepal_Length: 5.1, Sepal_Width: 3.5, Petal_Width: 0.2 }]);
    const { outputs } = model.predict({ modelName: 'iris', inputs });
    // Petal_Length missing: root's defaultChild 3, then Petal_Width < 1.75 → node 6.
    assert.deepEqual(text(outputs[4]), ['6']);
  });

  test('bad input is INVALID_INPUT naming what was wrong', () => {
    assert.throws(() => model.decodeV1Instances([{ Sepal_Length: 5.1, Colour: 'red' }]), /Colour.*active fields/);
    assert.throws(() => model.decodeV1Instances([[5.1, 3.5]]), /4 values, one per active field/);
    assert.throws(() => model.decodeV1Instances([[5.1, 3.5, {}, 0.2]]), code('INVALID_INPUT'));
    const wide = makeTensor('input-0', 'FP64', [1, 3], Float64Array.from([1, 2, 3]));
    assert.throws(() => model.predict({ modelName: 'iris', inputs: [wide] }), /\[N, 4\]/);
    // Out of the DataField's Interval with invalidValueTreatment returnInvalid (the default).
    const far = makeTensor('input-0', 'FP64', [1, 4], Float64Array.from([50, 3.5, 1.4, 0.2]));
    assert.throws(() => model.predict({ modelName: 'iris', inputs: [far] }), /Sepal_Length: got 50, expected a number \(double\) in \[4.3, 7.9\]/);
    const words = model.decodeV1Instances([['a', 3.5, 1.4, 0.2]]);
    assert.throws(() => model.predict({ modelName: 'iris', inputs: words }), code('INVALID_INPUT'));
    void ctx;
  });
});

describe('PmmlModel load failures name the problem', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pmml-bad-'));
  });
  after(async () => rm(dir, { recursive: true, force: true }));

  const failsWith = async (files: Record<string, string>, pattern: RegExp): Promise<void> => {
    const sub = await mkdtemp(join(dir, 'm-'));
    for (const [name, body] of Object.entries(files)) await writeFile(join(sub, name), body);
    const model = new PmmlModel({ name: 'bad', modelDir: sub });
    await assert.rejects(model.load(), (err: unknown) => code('MODEL_LOAD_FAILED')(err) && pattern.test((err as Error).message));
    assert.equal(model.ready, false);
  };
  const doc = (body: string, version = '4.4'): string =>
    `<PMML xmlns="http://www.dmg.org/PMML-4_4" version="${version}">\n<DataDictionary>\n<DataField name="x" optype="continuous" dataType="double"/>\n</DataDictionary>\n${body}\n</PMML>`;

  test('no file, two files, model.pmml preferred', async () => {
    await failsWith({}, /no \.pmml file/);
    await failsWith({ 'a.pmml': doc(''), 'b.pmml': doc('') }, /2 \.pmml files/);
    // Several files with one named model.pmml: that one is served (here it fails on its own content).
    await failsWith({ 'a.pmml': doc(''), 'model.pmml': '<html/>' }, /model\.pmml: the root element is <html>/);
  });
  test('malformed, truncated, DOCTYPE, wrong root, old version', async () => {
    await failsWith({ 'm.pmml': '<PMML version="4.4"><DataDictionary>' }, /malformed XML/);
    await failsWith({ 'm.pmml': '<!DOCTYPE x [<!ENTITY a "b">]><PMML version="4.4"/>' }, /DOCTYPE/);
    await failsWith({ 'm.pmml': '<html/>' }, /root element is <html>/);
    await failsWith({ 'm.pmml': doc('', '3.2') }, /version="3.2" is not supported/);
  });
  test('unsupported model elements and functions name the element and line', async () => {
    await failsWith({ 'm.pmml': doc('<NeuralNetwork functionName="regression"/>') }, /<NeuralNetwork> at line 5/);
    const apply = '<TransformationDictionary>\n<DerivedField name="y" optype="continuous" dataType="double"><Apply function="myUdf"><FieldRef field="x"/></Apply></DerivedField>\n</TransformationDictionary>' +
      '<TreeModel functionName="regression"><MiningSchema><MiningField name="x"/></MiningSchema><Node score="1"><True/></Node></TreeModel>';
    await failsWith({ 'm.pmml': doc(apply) }, /<Apply> at line 6 \(function "myUdf"/);
    const tree = '<TreeModel functionName="regression" missingValueStrategy="aggregateNodes"><MiningSchema><MiningField name="x"/></MiningSchema><Node><True/></Node></TreeModel>';
    await failsWith({ 'm.pmml': doc(tree) }, /<TreeModel> at line 5 \(missingValueStrategy="aggregateNodes" with functionName="regression" \(defined for classification only\)\)/);
    const ms = '<TreeModel functionName="regression"><MiningSchema><MiningField name="nope"/></MiningSchema><Node><True/></Node></TreeModel>';
    await failsWith({ 'm.pmml': doc(ms) }, /MiningField nope .* not in the DataDictionary/);
    const typo = '<TreeModel functionName="regression"><MiningSchema><MiningField name="x"/></MiningSchema><Node score="1"><SimplePredicate field="xx" operator="lessThan" value="1"/></Node></TreeModel>';
    await failsWith({ 'm.pmml': doc(typo) }, /field "xx" is referenced but not declared/);
  });
});
