/**
 * MiningSchema treatments (PMML 4.4 MiningField) on a one-input regression y = x, so the
 * prepared value of x is the prediction: outliers, invalidValueTreatment, missingValueReplacement,
 * and the "NaN" string as a missing number.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ServingError } from '../../core/errors.ts';
import { parsePmml } from './doc/parse-document.ts';
import { PmmlEvaluator } from './eval/evaluator.ts';

/** y = 0 + 1·x; `field` holds the MiningField's attributes, `valid` the DataField's Interval. */
const doc = (field: string, valid = '', dataType = 'double'): string => `<PMML xmlns="http://www.dmg.org/PMML-4_4" version="4.4">
<DataDictionary>
  <DataField name="x" optype="continuous" dataType="${dataType}">${valid}</DataField>
  <DataField name="y" optype="continuous" dataType="double"/>
</DataDictionary>
<RegressionModel functionName="regression">
  <MiningSchema><MiningField name="x" ${field}/><MiningField name="y" usageType="predicted"/></MiningSchema>
  <RegressionTable intercept="0"><NumericPredictor name="x" coefficient="1"/></RegressionTable>
</RegressionModel></PMML>`;

const y = (text: string, x: number | string | null): unknown => new PmmlEvaluator(parsePmml(text)).evaluate(() => x)['y'];
const OUT = 'lowValue="0" highValue="10"';
const VALID = '<Interval closure="closedClosed" leftMargin="0" rightMargin="100"/>';

test('outliers asIs (the default): values outside [lowValue, highValue] pass unchanged', () => {
  assert.equal(y(doc(OUT), 12), 12);
  assert.equal(y(doc(`outliers="asIs" ${OUT}`), -3), -3);
});

test('outliers asExtremeValues: clamped to lowValue / highValue, inside values untouched', () => {
  const text = doc(`outliers="asExtremeValues" ${OUT}`);
  assert.equal(y(text, 12), 10);
  assert.equal(y(text, -3), 0);
  assert.equal(y(text, 7), 7);
});

test('outliers asMissingValues: missing (y missing) without a replacement', () => {
  const text = doc(`outliers="asMissingValues" ${OUT}`);
  assert.equal(y(text, 12), null);
  assert.equal(y(text, -0.5), null);
  assert.equal(y(text, 10), 10); // the bounds themselves are not outliers
});

test('outliers asMissingValues with missingValueReplacement: the outlier becomes the replacement', () => {
  // 12 > highValue 10 → missing → missingValueReplacement 5 → y = 5 (PMML 4.4: treated as missing).
  const text = doc(`outliers="asMissingValues" ${OUT} missingValueReplacement="5"`);
  assert.equal(y(text, 12), 5);
  assert.equal(y(text, -1), 5);
  assert.equal(y(text, 3), 3);
});

test('missingValueReplacement: a missing x (null, NaN, empty, "NaN") becomes the replacement', () => {
  const text = doc('missingValueReplacement="2.5"');
  for (const x of [null, Number.NaN, '', 'NaN', ' NaN ']) assert.equal(y(text, x), 2.5, String(x));
  assert.equal(y(doc(''), null), null);
});

test('invalidValueTreatment returnInvalid (the default): 400 naming field, value and the valid range', () => {
  const isInvalid = (re: RegExp) => (e: unknown): boolean => e instanceof ServingError && e.code === 'INVALID_INPUT' && re.test(e.message);
  assert.throws(() => y(doc('', VALID), 150), isInvalid(/^x: got 150, expected a number \(double\) in \[0, 100\]/));
  assert.throws(() => y(doc('invalidValueTreatment="returnInvalid"'), 'abc'), isInvalid(/^x: got "abc", expected a number \(double\)/));
});

test('invalidValueTreatment asIs: the invalid value is used as is', () => {
  assert.equal(y(doc('invalidValueTreatment="asIs"', VALID), 150), 150);
});

test('invalidValueTreatment asMissing: missing, then missingValueReplacement when there is one', () => {
  assert.equal(y(doc('invalidValueTreatment="asMissing"', VALID), 150), null);
  assert.equal(y(doc('invalidValueTreatment="asMissing"'), 'abc'), null);
  assert.equal(y(doc('invalidValueTreatment="asMissing" missingValueReplacement="7"', VALID), 150), 7);
});

test('invalidValueTreatment asValue: invalidValueReplacement, the missing replacement left for missing values', () => {
  const text = doc('invalidValueTreatment="asValue" invalidValueReplacement="42" missingValueReplacement="7"', VALID);
  assert.equal(y(text, 150), 42);
  assert.equal(y(text, 'abc'), 42);
  assert.equal(y(text, null), 7);
  assert.equal(y(text, 50), 50);
});

test('"NaN" is missing in any numeric field; other text stays invalid; "Infinity" is a number', () => {
  assert.equal(y(doc('missingValueReplacement="4"', '', 'float'), 'NaN'), 4);
  assert.equal(y(doc('missingValueReplacement="4"', '', 'integer'), 'NaN'), 4);
  assert.equal(y(doc(''), 'NaN'), null);
  assert.equal(y(doc(''), 'Infinity'), Infinity);
  assert.throws(() => y(doc(''), 'nan?'), /x: got "nan\?", expected a number \(double\)/);
});
