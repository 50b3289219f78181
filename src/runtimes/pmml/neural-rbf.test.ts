/**
 * NeuralNetwork activationFunction="radialBasis" (PMML 4.4; rule in eval/neural.ts): a neuron
 * with fan-in f outputs exp(f·ln(altitude) − Σ (input_i − weight_i)² / (2·width²)), its bias
 * unused; width and altitude come from the Neuron, else the NeuralLayer, else the NeuralNetwork.
 *
 *   h1: weights (0, 4), width 1 (Neuron), altitude 2 (layer)
 *   h2: weights (1, 2), width 2 (network), altitude 1 (Neuron)
 *   y = o = 0.5 + h1 + 10·h2 (identity)
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parsePmml } from './doc/parse-document.ts';
import { PmmlEvaluator } from './eval/evaluator.ts';

const input = (id: string, f: string): string =>
  `<NeuralInput id="${id}"><DerivedField name="n_${f}" optype="continuous" dataType="double"><FieldRef field="${f}"/></DerivedField></NeuralInput>`;

const doc = (netWidth = ' width="2"'): string => `<PMML xmlns="http://www.dmg.org/PMML-4_4" version="4.4">
<DataDictionary>
  <DataField name="x1" optype="continuous" dataType="double"/><DataField name="x2" optype="continuous" dataType="double"/>
  <DataField name="y" optype="continuous" dataType="double"/>
</DataDictionary>
<NeuralNetwork functionName="regression" activationFunction="identity"${netWidth}>
  <MiningSchema><MiningField name="x1"/><MiningField name="x2"/><MiningField name="y" usageType="target"/></MiningSchema>
  <NeuralInputs>${input('i1', 'x1')}${input('i2', 'x2')}</NeuralInputs>
  <NeuralLayer activationFunction="radialBasis" altitude="2">
    <Neuron id="h1" bias="100" width="1"><Con from="i1" weight="0"/><Con from="i2" weight="4"/></Neuron>
    <Neuron id="h2" altitude="1"><Con from="i1" weight="1"/><Con from="i2" weight="2"/></Neuron>
  </NeuralLayer>
  <NeuralLayer><Neuron id="o" bias="0.5"><Con from="h1" weight="1"/><Con from="h2" weight="10"/></Neuron></NeuralLayer>
  <NeuralOutputs><NeuralOutput outputNeuron="o"><DerivedField name="out" optype="continuous" dataType="double"><FieldRef field="y"/></DerivedField></NeuralOutput></NeuralOutputs>
</NeuralNetwork></PMML>`;

function score(x1: number, x2: number): number {
  return new PmmlEvaluator(parsePmml(doc())).evaluate((f) => (f === 'x1' ? x1 : x2))['y'] as number;
}

test('x = (1, 2): h1 = 2²·e^−(1 + 4)/2 = 4·e^−2.5, h2 = 1·e^0 = 1', () => {
  const want = 0.5 + 4 * Math.exp(-2.5) + 10; // 10.82834...
  assert.ok(Math.abs(score(1, 2) - want) < 1e-12, `${score(1, 2)} vs ${want}`);
});

test('x = (3, 2): h1 = 4·e^−(9 + 4)/2, h2 = e^−(4 + 0)/(2·2²) = e^−0.5', () => {
  const want = 0.5 + 4 * Math.exp(-6.5) + 10 * Math.exp(-0.5); // 6.57180...
  assert.ok(Math.abs(score(3, 2) - want) < 1e-12, `${score(3, 2)} vs ${want}`);
});

test('a radialBasis neuron with no width anywhere is refused at load, naming it and its line', () => {
  assert.throws(() => parsePmml(doc('')), /<Neuron> at line 11: a radialBasis neuron needs width > 0/);
});
