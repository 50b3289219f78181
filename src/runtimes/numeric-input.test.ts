import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ErrorCode, ServingError } from '../core/errors.ts';
import type { Tensor } from '../protocol/tensor.ts';
import { booleanParameter, jsonFloat, jsonRows, toFloatArray } from './numeric-input.ts';

const req = (parameters?: Record<string, string | boolean | number>): Parameters<typeof booleanParameter>[0] => ({ modelName: 'm', inputs: [], ...(parameters ? { parameters } : {}) });
const invalid = (err: unknown): boolean => err instanceof ServingError && err.code === ErrorCode.InvalidInput;

test('booleanParameter: absent, booleans and their strings; anything else names the key', () => {
  assert.equal(booleanParameter(req(), 'output_margin'), false);
  assert.equal(booleanParameter(req({ output_margin: true }), 'output_margin'), true);
  assert.equal(booleanParameter(req({ output_margin: 'true' }), 'output_margin'), true);
  assert.equal(booleanParameter(req({ output_margin: 'false' }), 'output_margin'), false);
  assert.throws(() => booleanParameter(req({ output_margin: 1 }), 'output_margin'), (e: unknown) => invalid(e) && /parameters\.output_margin/.test((e as Error).message));
});

test('toFloatArray: same array when it already is one, converted otherwise, non-numeric rejected', () => {
  const f32 = Float32Array.of(1, Number.NaN);
  const t = (datatype: Tensor['datatype'], data: Tensor['data']): Tensor => ({ name: 'x', datatype, shape: [data.length], data });
  assert.equal(toFloatArray(t('FP32', f32), Float32Array), f32);
  assert.deepEqual(toFloatArray(t('FP64', Float64Array.of(0.1, Number.NaN)), Float32Array), Float32Array.of(0.1, Number.NaN));
  assert.deepEqual(toFloatArray(t('INT64', BigInt64Array.of(3n, -2n)), Float64Array), Float64Array.of(3, -2));
  assert.throws(() => toFloatArray(t('BYTES', [Uint8Array.of(1)]), Float32Array), invalid);
  assert.throws(() => toFloatArray(t('BOOL', Uint8Array.of(1)), Float32Array), invalid);
});

test('jsonFloat: numbers, null and "NaN" as NaN, the infinities; anything else names the field', () => {
  assert.equal(jsonFloat(1.5, 'f'), 1.5);
  assert.ok(Number.isNaN(jsonFloat(null, 'f')));
  assert.ok(Number.isNaN(jsonFloat('NaN', 'f')));
  assert.equal(jsonFloat('Infinity', 'f'), Infinity);
  assert.equal(jsonFloat('-Infinity', 'f'), -Infinity);
  for (const bad of ['nan', '1.5', 'toString', true, undefined, [1], {}]) {
    assert.throws(() => jsonFloat(bad, 'instances[0][2]'), (e: unknown) => invalid(e) && /instances\[0\]\[2\]/.test((e as Error).message), JSON.stringify(bad) ?? 'undefined');
  }
});

test('jsonRows: lists of the right length, row-major; wrong length or non-list rows refused', () => {
  assert.deepEqual(jsonRows([[1, null], ['NaN', 2]], 2, Float32Array), Float32Array.of(1, Number.NaN, Number.NaN, 2));
  assert.deepEqual(jsonRows([], 3, Float64Array), new Float64Array(0));
  assert.throws(() => jsonRows([[1, 2, 3]], 2, Float64Array), (e: unknown) => invalid(e) && /instances\[0\].*2 features/.test((e as Error).message));
  assert.throws(() => jsonRows([[1, 2], 5], 2, Float64Array), (e: unknown) => invalid(e) && /instances\[1\]/.test((e as Error).message));
  assert.throws(() => jsonRows([[1, 'x']], 2, Float64Array, 'inputs'), (e: unknown) => invalid(e) && /inputs\[0\]\[1\]/.test((e as Error).message));
});
