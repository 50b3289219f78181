import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ErrorCode, ServingError } from '../core/errors.ts';
import type { Tensor } from '../protocol/tensor.ts';
import { booleanParameter, toFloatArray } from './numeric-input.ts';

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
