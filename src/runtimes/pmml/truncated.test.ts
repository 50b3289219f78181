/**
 * Malformed model files: every truncation of a real document, and byte flips in it, either load
 * or fail with a PmmlError (which PmmlModel turns into MODEL_LOAD_FAILED) — never another
 * exception, never a hang.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { PmmlError } from './doc/errors.ts';
import { parsePmml } from './doc/parse-document.ts';
import { PmmlEvaluator } from './eval/evaluator.ts';
import { pmmlFixturesDir } from './testing/fixtures.ts';

const TEXT = readFileSync(join(pmmlFixturesDir(), 'jpmml-rattle/pmml/DecisionTreeXformIris.pmml'), 'utf8');

function loadOrPmmlError(text: string): void {
  try {
    new PmmlEvaluator(parsePmml(text));
  } catch (err) {
    assert.ok(err instanceof PmmlError, `not a PmmlError: ${String(err)}`);
  }
}

test('every 7th truncation point fails as a PmmlError', () => {
  for (let n = 0; n < TEXT.length; n += 7) loadOrPmmlError(TEXT.slice(0, n));
});

test('replacing single characters with markup-breaking ones never throws anything else', () => {
  // A fixed linear congruential sequence keeps the test deterministic.
  let seed = 12345;
  const next = (m: number): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % m;
  const junk = ['<', '>', '"', '&', 'x', '9', '-', ' ', '/'];
  for (let i = 0; i < 400; i++) {
    const at = next(TEXT.length);
    loadOrPmmlError(TEXT.slice(0, at) + (junk[next(junk.length)] ?? '') + TEXT.slice(at + 1));
  }
});
