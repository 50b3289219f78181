/**
 * SupportVectorMachineModel svmRepresentation="Coefficients": each machine is a linear function
 * f(x) = absoluteValue + Σ c_i·x_i over the VectorFields (PMML 4.4 SVM), worked by hand.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parsePmml } from './doc/parse-document.ts';
import { PmmlEvaluator } from './eval/evaluator.ts';

const doc = (fn: string, machines: string, kernel = '<LinearKernelType/>'): string => `<PMML xmlns="http://www.dmg.org/PMML-4_4" version="4.4">
<DataDictionary>
  <DataField name="x1" optype="continuous" dataType="double"/><DataField name="x2" optype="continuous" dataType="double"/>
  ${fn === 'regression' ? '<DataField name="y" optype="continuous" dataType="double"/>' : '<DataField name="y" optype="categorical" dataType="string"><Value value="a"/><Value value="b"/></DataField>'}
</DataDictionary>
<SupportVectorMachineModel functionName="${fn}" svmRepresentation="Coefficients" classificationMethod="OneAgainstOne">
  <MiningSchema><MiningField name="x1"/><MiningField name="x2"/><MiningField name="y" usageType="target"/></MiningSchema>
  ${kernel}
  <VectorDictionary numberOfVectors="0"><VectorFields numberOfFields="2"><FieldRef field="x1"/><FieldRef field="x2"/></VectorFields></VectorDictionary>
  ${machines}
</SupportVectorMachineModel></PMML>`;

const machine = (b: number, c: number[], cats = ''): string =>
  `<SupportVectorMachine${cats}><Coefficients absoluteValue="${b}">${c.map((v) => `<Coefficient value="${v}"/>`).join('')}</Coefficients></SupportVectorMachine>`;

function score(pmml: string, x1: number, x2: number): unknown {
  return new PmmlEvaluator(parsePmml(pmml)).evaluate((f) => (f === 'x1' ? x1 : x2))['y'];
}

test('regression: f = 0.5 + 2·x1 − 1·x2', () => {
  const pmml = doc('regression', machine(0.5, [2, -1]));
  assert.equal(score(pmml, 3, 4), 2.5); // 0.5 + 6 − 4
  assert.equal(score(pmml, 0, 0), 0.5);
  assert.equal(score(pmml, -1, 2.5), -4); // 0.5 − 2 − 2.5
});

test('OneAgainstOne classification: f < threshold 0 votes targetCategory, else the alternate', () => {
  const pmml = doc('classification', machine(-3, [1, 1], ' targetCategory="a" alternateTargetCategory="b"'));
  assert.equal(score(pmml, 1, 1), 'a'); // −3 + 1 + 1 = −1 < 0
  assert.equal(score(pmml, 2, 2), 'b'); // −3 + 2 + 2 = 1 ≥ 0
});

test('refused at load: a non-linear kernel, a coefficient count that is not the field count', () => {
  assert.throws(() => parsePmml(doc('regression', machine(0, [1, 1]), '<RadialBasisKernelType gamma="1"/>')),
    /<SupportVectorMachineModel> at line 6 \(svmRepresentation="Coefficients" with a radialBasis kernel/);
  assert.throws(() => parsePmml(doc('regression', machine(0, [1]))), /<Coefficients> at line 10.*1 coefficients for 2 vector fields/);
});
