/**
 * Every JPMML-rattle model we support reproduces JPMML's expected CSV within JPMML's tolerances;
 * the others must fail to load with a message naming the unsupported element (never a wrong
 * answer). NOT_YET lists them so the list shrinks session by session.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parsePmml } from './doc/parse-document.ts';
import { PmmlEvaluator } from './eval/evaluator.ts';
import { RATTLE_CASES, inputRows, pmmlFixturesDir, readCsv, sameCell } from './testing/fixtures.ts';

/** Cases whose model element is not evaluated yet, with the element their load error names. */
const NOT_YET: Readonly<Record<string, string>> = {
};

const dir = join(pmmlFixturesDir(), 'jpmml-rattle');
const load = (name: string): string => readFileSync(join(dir, 'pmml', `${name}.pmml`), 'utf8');

for (const c of RATTLE_CASES) {
  const element = NOT_YET[c.name];
  if (element !== undefined) {
    test(`${c.name}: not yet supported, refused at load naming <${element}>`, () => {
      assert.throws(() => new PmmlEvaluator(parsePmml(load(c.name))), new RegExp(`<${element}> at line \\d+`));
    });
    continue;
  }
  test(`${c.name} matches JPMML's expected output (tolerance ${c.tolerance})`, () => {
    const ev = new PmmlEvaluator(parsePmml(load(c.name)));
    const rows = inputRows(readCsv(join(dir, 'csv', `${c.dataset}.csv`)), c.dataset);
    const expected = readCsv(join(dir, 'csv', `${c.name}.csv`));
    assert.equal(expected.rows.length, rows.length);
    const columns = expected.header.map((h, j) => ({ h, j })).filter(({ h }) => !c.skipColumns.includes(h));
    const failures: string[] = [];
    rows.forEach((get, i) => {
      const record = ev.evaluate(get);
      for (const { h, j } of columns) {
        const want = expected.rows[i]?.[j] ?? null;
        if (!sameCell(want, record[h], c.tolerance)) failures.push(`row ${i} ${h}: expected ${want}, got ${String(record[h])}`);
      }
    });
    assert.deepEqual(failures.slice(0, 5), []);
  });
}
