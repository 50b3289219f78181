import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import * as errors from './errors.ts';
import { ERROR_CATALOGUE, ErrorCode, ServingError, grpcStatusOf, httpStatusOf, toServingError } from './errors.ts';

test('every code has one HTTP and one gRPC status, and the catalogue covers exactly the codes', () => {
  assert.deepEqual(Object.keys(ERROR_CATALOGUE).sort(), Object.values(ErrorCode).sort());
  for (const code of Object.values(ErrorCode)) {
    const e = new ServingError(code, 'x');
    assert.ok(httpStatusOf(e) >= 400 && httpStatusOf(e) < 600, code);
    assert.ok(Number.isInteger(grpcStatusOf(e)) && grpcStatusOf(e) > 0 && grpcStatusOf(e) <= 16, code);
  }
});

test('the README error table lists every HTTP status the catalogue uses', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const table = readme.slice(readme.indexOf('### Errors'));
  for (const { http } of Object.values(ERROR_CATALOGUE)) assert.match(table, new RegExp(`\\n\\| ${http} \\|`), `README lacks status ${http}`);
});

test('every catalogue function builds a ServingError with a message', () => {
  const fns = Object.entries(errors).filter(([k, v]) => typeof v === 'function' && /^[a-z]/.test(k) && !['httpStatusOf', 'grpcStatusOf', 'toServingError', 'show'].includes(k));
  assert.ok(fns.length >= 10);
  for (const [name, fn] of fns) {
    const e = (fn as (...a: unknown[]) => unknown)('model-a', 'value', ['expected'], 3);
    assert.ok(e instanceof ServingError, name);
    assert.ok(e.message.length > 5, name);
  }
});

test('unknown errors become INTERNAL with a generic message; the cause is kept, not shown', () => {
  const e = toServingError(new TypeError('secret path /etc/x'));
  assert.equal(e.code, 'INTERNAL');
  assert.equal(e.message, 'Internal server error');
  assert.ok(e.cause instanceof TypeError);
});

test('invalidInput names field, value and expectation', () => {
  assert.equal(errors.invalidInput('inputs[0].shape', [1, -2], 'non-negative integers').message, 'inputs[0].shape: got [1,-2], expected non-negative integers');
  assert.equal(errors.show(10n ** 20n), '100000000000000000000');
  assert.ok(errors.show('x'.repeat(500)).length <= 120);
});
