/**
 * AssociationRulesShopping through PmmlModel: a basket as a V1 list (records keyed by field or
 * rows) and as a V2 BYTES `item` tensor [N, m] padded with empty strings gives JPMML's answer.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Tensor } from '../../protocol/tensor.ts';
import { makeTensor } from '../../protocol/tensor.ts';
import { PmmlModel } from './pmml-model.ts';
import { pmmlFixturesDir } from './testing/fixtures.ts';

const enc = new TextEncoder();
const text = (t: Tensor | undefined): string[] => (t?.data as Uint8Array[]).map((b) => new TextDecoder().decode(b));

test('baskets over V1 and V2: rule 1 for {frozenmeal, beer}, none for {softdrink, fruitveg}', async () => {
  const model = new PmmlModel({ name: 'shop', modelDir: join(pmmlFixturesDir(), 'jpmml-rattle/pmml/AssociationRulesShopping.pmml') });
  await model.load();
  assert.deepEqual(model.metadata().outputs.map((o) => `${o.name}:${o.datatype}`), ['ruleId:BYTES', 'support:FP64', 'confidence:FP64', 'lift:FP64']);
  const v1 = model.decodeV1Instances([{ item: ['frozenmeal', 'beer'] }, { item: ['softdrink', 'fruitveg', 'x'] }]);
  const item = makeTensor('item', 'BYTES', [2, 3], ['frozenmeal', 'beer', '', 'softdrink', 'fruitveg', 'x'].map((s) => enc.encode(s)));
  assert.deepEqual(v1, [item]);
  for (const inputs of [v1, [item]]) {
    const { outputs } = model.predict({ modelName: 'shop', inputs });
    assert.deepEqual(text(outputs[0]), ['1', '']);
    assert.deepEqual([...(outputs[1]?.data as Float64Array)], [0.155484558040469, NaN]);
  }
  // A list for any other model's field stays an error.
  assert.throws(() => model.decodeV1Instances([{ basket: ['beer'] }]), /basket/);
  await model.unload();
});
