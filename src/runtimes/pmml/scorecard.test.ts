/** Scorecard on a hand-made document (no JPMML fixture): score, reason codes by rank, missing. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parsePmml } from './doc/parse-document.ts';
import { PmmlEvaluator } from './eval/evaluator.ts';

const DOC = `<PMML xmlns="http://www.dmg.org/PMML-4_4" version="4.4">
<DataDictionary>
  <DataField name="age" optype="continuous" dataType="double"/>
  <DataField name="job" optype="categorical" dataType="string"><Value value="engineer"/><Value value="artist"/></DataField>
  <DataField name="score" optype="continuous" dataType="double"/>
</DataDictionary>
<Scorecard functionName="regression" initialScore="100" useReasonCodes="true" reasonCodeAlgorithm="pointsBelow" baselineScore="0">
  <MiningSchema>
    <MiningField name="age"/><MiningField name="job"/><MiningField name="score" usageType="predicted"/>
  </MiningSchema>
  <Output>
    <OutputField name="Final" feature="predictedValue" dataType="double"/>
    <OutputField name="RC1" feature="reasonCode" rank="1"/>
    <OutputField name="RC2" feature="reasonCode" rank="2"/>
  </Output>
  <Characteristics>
    <Characteristic name="ageScore" reasonCode="RC_AGE" baselineScore="10">
      <Attribute partialScore="4"><SimplePredicate field="age" operator="lessThan" value="30"/></Attribute>
      <Attribute partialScore="12"><True/></Attribute>
    </Characteristic>
    <Characteristic name="jobScore" reasonCode="RC_JOB" baselineScore="20">
      <Attribute partialScore="18"><SimplePredicate field="job" operator="equal" value="engineer"/></Attribute>
      <Attribute reasonCode="RC_ART"><SimplePredicate field="job" operator="equal" value="artist"/>
        <ComplexPartialScore><Apply function="*"><FieldRef field="age"/><Constant>0.5</Constant></Apply></ComplexPartialScore></Attribute>
    </Characteristic>
  </Characteristics>
</Scorecard>
</PMML>`;

const ev = new PmmlEvaluator(parsePmml(DOC));
const score = (age: number | null, job: string | null): Record<string, unknown> => ev.evaluate((f) => (f === 'age' ? age : f === 'job' ? job : null));

test('score and reason codes (pointsBelow)', () => {
  // 100 + 4 + 18; RC_AGE 10 − 4 = 6, RC_JOB 20 − 18 = 2.
  assert.deepEqual(score(25, 'engineer'), { score: 122, Final: 122, RC1: 'RC_AGE', RC2: 'RC_JOB' });
  // 100 + 12 + 40·0.5 = 132; RC_AGE −2, RC_ART (attribute's own code) 20 − 20 = 0.
  assert.deepEqual(score(40, 'artist'), { score: 132, Final: 132, RC1: 'RC_ART', RC2: 'RC_AGE' });
});

test('no true Attribute (missing job): no prediction', () => {
  assert.deepEqual(score(25, null), { score: null, Final: null, RC1: null, RC2: null });
});
