import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inverseLink, normalCdf } from './links.ts';

test('normalCdf matches reference values to ~1e-15', () => {
  // Reference values: scipy.stats.norm.cdf.
  const cases: [number, number][] = [[0, 0.5], [1.96, 0.9750021048517795], [-1, 0.15865525393145707], [3, 0.9986501019683699], [-5, 2.866515718791939e-7]];
  for (const [x, want] of cases) assert.ok(Math.abs(normalCdf(x) - want) < 1e-15, `Φ(${x}) = ${normalCdf(x)}, want ${want}`);
  assert.equal(normalCdf(-9), 0);
  assert.equal(normalCdf(9), 1);
});

test('inverse links', () => {
  assert.equal(inverseLink('logit', 0), 0.5);
  assert.equal(inverseLink('identity', 2.5), 2.5);
  assert.equal(inverseLink('power', 4, 0.5), 16);
  assert.equal(inverseLink('cauchit', 0), 0.5);
});
