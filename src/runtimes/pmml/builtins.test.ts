/**
 * The regex, formatNumber and date built-ins (eval/functions-text.ts, format-number.ts,
 * functions-date.ts): values worked by hand from the PMML 4.4 spec and C's printf, load-time
 * refusals naming the <Apply> and its line, evaluation-time refusals as 400s.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ServingError } from '../../core/errors.ts';
import { PmmlError } from './doc/errors.ts';
import { parsePmml } from './doc/parse-document.ts';
import { PmmlEvaluator } from './eval/evaluator.ts';
import { applyBuiltin } from './eval/functions.ts';

/** An Output transformedValue `o` computed by `apply` over the string field s and number x. */
const doc = (apply: string, type = 'string'): string => `<PMML xmlns="http://www.dmg.org/PMML-4_4" version="4.4">
<DataDictionary>
  <DataField name="s" optype="categorical" dataType="string"/><DataField name="x" optype="continuous" dataType="double"/>
  <DataField name="y" optype="continuous" dataType="double"/>
</DataDictionary>
<RegressionModel functionName="regression">
  <MiningSchema><MiningField name="s"/><MiningField name="x"/><MiningField name="y" usageType="predicted"/></MiningSchema>
  <Output><OutputField name="o" feature="transformedValue" dataType="${type}">
    ${apply}
  </OutputField></Output>
  <RegressionTable intercept="0"><NumericPredictor name="x" coefficient="1"/></RegressionTable>
</RegressionModel></PMML>`;
const o = (apply: string, s: string | null, x: number | null = 1, type = 'string'): unknown =>
  new PmmlEvaluator(parsePmml(doc(apply, type))).evaluate((f) => (f === 's' ? s : x))['o'];
const loadError = (re: RegExp) => (e: unknown): boolean => e instanceof PmmlError && re.test(e.message);

test('replace: every match, $n groups, \\$ literal (Java replaceAll semantics)', () => {
  const call = (p: string, r: string): string => `<Apply function="replace"><FieldRef field="s"/><Constant>${p}</Constant><Constant>${r}</Constant></Apply>`;
  assert.equal(o(call('[aeiou]', '_'), 'banana split'), 'b_n_n_ spl_t');
  // "2024-05-17" with (\d+)-(\d+)-(\d+) → "$3/$2/$1" = "17/05/2024".
  assert.equal(o(call('(\\d+)-(\\d+)-(\\d+)', '$3/$2/$1'), '2024-05-17'), '17/05/2024');
  assert.equal(o(call('(?&lt;y&gt;\\d{4})', '${y}!'), 'in 1999'), 'in 1999!');
  assert.equal(o(call('USD', '\\$'), '5 USD'), '5 $');
  assert.equal(o(call('x', 'y'), null), null); // a missing input gives missing
  assert.equal(applyBuiltin('replace', ['aaa', 'a*', '-']), '--'); // JS and Java agree: "aaa" then the empty match at the end
});

test('matches: true when the pattern matches anywhere (Matcher.find), false otherwise', () => {
  const call = (p: string): string => `<Apply function="matches"><FieldRef field="s"/><Constant>${p}</Constant></Apply>`;
  assert.equal(o(call('^ab+c$'), 'abbbc', 1, 'boolean'), true);
  assert.equal(o(call('b+'), 'abbbc', 1, 'boolean'), true);
  assert.equal(o(call('^b'), 'abbbc', 1, 'boolean'), false);
  assert.equal(applyBuiltin('matches', ['x1', '\\d']), true);
  assert.equal(applyBuiltin('matches', ['x1', '\\d']), true); // the cached 'g' RegExp restarts at 0
});

test('formatNumber: d i f e E s with width, precision and flags, as C printf', () => {
  const f = (x: number, p: string): unknown => applyBuiltin('formatNumber', [x, p]);
  assert.equal(f(3.14159, '%5.2f'), ' 3.14');
  assert.equal(f(3.14159, '%f'), '3.141590'); // default precision 6
  assert.equal(f(-3.14159, '%07.2f'), '-003.14'); // zeros after the sign, width 7
  assert.equal(f(7.9, '%03d'), '007'); // truncated toward zero, zero-padded to 3
  assert.equal(f(-0.5, '%d'), '0');
  assert.equal(f(42, '%-5i|'), '42   |');
  assert.equal(f(5, '%+d'), '+5');
  assert.equal(f(5, '% d'), ' 5');
  assert.equal(f(7, '%5.3d'), '  007'); // precision = minimum digits; 0 flag ignored with it
  assert.equal(f(12345.678, '%e'), '1.234568e+04'); // 1.2345678 × 10⁴, two exponent digits
  assert.equal(f(12345, '%+.1E'), '+1.2E+04');
  assert.equal(f(3.14159, '%.3s'), '3.1');
  assert.equal(f(12, 'id %d: 100%%'), 'id 12: 100%');
  assert.equal(o('<Apply function="formatNumber"><FieldRef field="x"/><Constant>%6.1f</Constant></Apply>', null, 2.25), '   2.3');
});

test('formatNumber: unsupported patterns fail the load naming the Apply and line, or answer 400', () => {
  const call = (p: string): string => `<Apply function="formatNumber"><FieldRef field="x"/><Constant>${p}</Constant></Apply>`;
  assert.throws(() => o(call('%x'), null), loadError(/<Apply> at line 9 \(function "formatNumber": "%x" in "%x" is not supported; expected a printf pattern/));
  assert.throws(() => o(call('%d and %d'), null), loadError(/more than one conversion/));
  assert.throws(() => o(call('%5.2lf'), null), loadError(/"%5.2l" in "%5.2lf" is not supported/));
  // A pattern read from a field is checked when the row is evaluated.
  const fromField = '<Apply function="formatNumber"><FieldRef field="x"/><FieldRef field="s"/></Apply>';
  assert.throws(() => o(fromField, '%g', 1), (e: unknown) => e instanceof ServingError && /function formatNumber: "%g" in "%g" is not supported/.test(e.message));
  assert.equal(o(fromField, '[%4d]', 12), '[  12]');
});

test('regexes that do not compile in JavaScript are refused: at load for Constants, else 400', () => {
  const call = (p: string): string => `<Apply function="matches"><FieldRef field="s"/><Constant>${p}</Constant></Apply>`;
  assert.throws(() => o(call('a++'), 'a', 1, 'boolean'), loadError(/<Apply> at line 9 \(function "matches": regular expression "a\+\+" does not compile/));
  assert.throws(() => o(call('(?i)abc'), 'a', 1, 'boolean'), loadError(/does not compile/));
  assert.throws(() => applyBuiltin('replace', ['a', '(', 'b']), (e: unknown) => e instanceof ServingError && /does not compile/.test(e.message));
  assert.throws(() => applyBuiltin('replace', ['a', 'a', '$2']), /refers to a group the pattern does not have/);
});

test('date functions on ISO text, the spec examples worked by hand', () => {
  // 1960-01-01 → 2003-01-01: 43 years with 11 leap days (1960, 64, …, 2000) = 43·365 + 11 = 15706;
  // + Jan 31 + Feb 28 + Mar 31 = 90 → 15796.
  assert.equal(applyBuiltin('dateDaysSinceYear', ['2003-04-01', 1960]), 15796);
  assert.equal(applyBuiltin('dateDaysSinceYear', ['1959-12-31', 1960]), -1);
  // 2 days + 03:30:03 = 172800 + 12600 + 3 = 185403.
  assert.equal(applyBuiltin('dateSecondsSinceYear', ['1960-01-03T03:30:03', 1960]), 185403);
  assert.equal(applyBuiltin('dateSecondsSinceYear', ['1960-01-03', 1960]), 172800);
  assert.equal(applyBuiltin('dateSecondsSinceMidnight', ['19:30:00']), 70200); // 19·3600 + 30·60
  assert.equal(applyBuiltin('dateSecondsSinceMidnight', ['2003-04-01T00:01:05Z']), 65);
  assert.equal(applyBuiltin('dateDaysSinceYear', ['0001-01-02', 1]), 1); // years below 100 are not 19xx
  for (const bad of ['2003-04-31', '2003-13-01', 'April 1st', '2003-04-01T10:00:00+02:00']) {
    assert.equal(applyBuiltin('dateDaysSinceYear', [bad, 1960]), undefined, bad);
  }
  const call = '<Apply function="dateDaysSinceYear"><FieldRef field="s"/><Constant>1970</Constant></Apply>';
  assert.equal(o(call, '1970-02-01', 1, 'integer'), 31);
  // Not a date: invalid, so the Apply's default invalidValueTreatment (returnInvalid) answers 400.
  assert.throws(() => o(call, 'yesterday', 1, 'integer'), (e: unknown) => e instanceof ServingError && /function dateDaysSinceYear/.test(e.message));
});
