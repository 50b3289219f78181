/**
 * A model with categorical inputs (JPMML-rattle DecisionTreeAudit, served from the file path):
 * V1 records mixing strings and numbers, and V2 BYTES `input-0`, give the CSV's first row.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { makeTensor } from '../../protocol/tensor.ts';
import { PmmlModel } from './pmml-model.ts';
import { pmmlFixturesDir } from './testing/fixtures.ts';

const ROW = { Age: 38, Employment: 'Private', Education: 'College', Marital: 'Unmarried', Occupation: 'Service', Income: 81838, Gender: 'Female', Deductions: 0, Hours: 72 };

test('DecisionTreeAudit: V1 records and V2 BYTES input-0 agree with JPMML', async () => {
  const model = new PmmlModel({ name: 'audit', modelDir: join(pmmlFixturesDir(), 'jpmml-rattle/pmml/DecisionTreeAudit.pmml') });
  await model.load();
  const fields = String(model.metadata().parameters?.['input_fields']).split(',');
  assert.deepEqual(fields, Object.keys(ROW));
  const fromRecords = model.predict({ modelName: 'audit', inputs: model.decodeV1Instances([ROW]) }).outputs;
  const enc = new TextEncoder();
  const bytes = makeTensor('input-0', 'BYTES', [1, fields.length], Object.values(ROW).map((v) => enc.encode(String(v))));
  const fromBytes = model.predict({ modelName: 'audit', inputs: [bytes] }).outputs;
  for (const outs of [fromRecords, fromBytes]) {
    const byName = new Map(outs.map((t) => [t.name, t.data[0]]));
    // Adjusted is a categorical string field, so its label "0" comes back as BYTES.
    assert.equal(new TextDecoder().decode(byName.get('Adjusted') as Uint8Array), '0');
    assert.ok(Math.abs((byName.get('Probability_0') as number) - 0.941234084231146) < 1e-13);
  }
  // An employment category the DataField does not list: returnInvalid → INVALID_INPUT naming it.
  assert.throws(() => model.predict({ modelName: 'audit', inputs: model.decodeV1Instances([{ ...ROW, Employment: 'Pirate' }]) }), /Employment: got "Pirate", expected one of/);
  await model.unload();
});
