/** DefineFunction: user-defined functions called by Apply, nested, typed; unknown names refused. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PmmlError } from './doc/errors.ts';
import { parsePmml } from './doc/parse-document.ts';
import { PmmlEvaluator } from './eval/evaluator.ts';

const doc = (call: string, body = '<Apply function="*"><FieldRef field="a"/><FieldRef field="a"/></Apply>'): string => `<PMML xmlns="http://www.dmg.org/PMML-4_4" version="4.4">
<DataDictionary><DataField name="x" optype="continuous" dataType="double"/><DataField name="y" optype="continuous" dataType="double"/></DataDictionary>
<TransformationDictionary>
  <DefineFunction name="square" optype="continuous" dataType="double"><ParameterField name="a" dataType="double"/>${body}</DefineFunction>
  <DefineFunction name="plusSquare" optype="continuous" dataType="double"><ParameterField name="a"/><ParameterField name="b"/>
    <Apply function="+"><FieldRef field="a"/><Apply function="square"><FieldRef field="b"/></Apply></Apply></DefineFunction>
  <DerivedField name="z" optype="continuous" dataType="double">${call}</DerivedField>
</TransformationDictionary>
<RegressionModel functionName="regression"><MiningSchema><MiningField name="x"/><MiningField name="y" usageType="predicted"/></MiningSchema>
  <RegressionTable intercept="0"><NumericPredictor name="z" coefficient="1"/></RegressionTable></RegressionModel>
</PMML>`;

const score = (text: string, x: number): unknown => new PmmlEvaluator(parsePmml(text)).evaluate(() => x)['y'];

test('a DefineFunction and one calling another', () => {
  assert.equal(score(doc('<Apply function="square"><FieldRef field="x"/></Apply>'), 3), 9);
  assert.equal(score(doc('<Apply function="plusSquare"><Constant>1</Constant><FieldRef field="x"/></Apply>'), 3), 10);
});

test('unknown function: a load error naming the Apply and its line', () => {
  assert.throws(() => parsePmml(doc('<Apply function="cube"><FieldRef field="x"/></Apply>')), (e: unknown) => e instanceof PmmlError && /<Apply> at line 7 \(function "cube"/.test(e.message));
});

test('a function calling itself fails instead of overflowing the stack', () => {
  const recursive = doc('<Apply function="square"><FieldRef field="x"/></Apply>', '<Apply function="square"><FieldRef field="a"/></Apply>');
  assert.throws(() => score(recursive, 2), /nested over 64 deep/);
});
