/** validateRequest: every way a request can miss the model's signature, each named in the error. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { InferRequest, ModelMetadata } from '../protocol/infer.ts';
import type { Tensor } from '../protocol/tensor.ts';
import { validateRequest } from './validate.ts';

const meta: ModelMetadata = {
  name: 'm',
  platform: 'test',
  inputs: [{ name: 'a', datatype: 'FP32', shape: [-1, 4] }, { name: 'b', datatype: 'INT64', shape: [-1] }],
  outputs: [{ name: 'y', datatype: 'FP32', shape: [-1] }],
};
const a = (shape = [2, 4], datatype: Tensor['datatype'] = 'FP32'): Tensor => ({ name: 'a', datatype, shape, data: new Float32Array(8) });
const b: Tensor = { name: 'b', datatype: 'INT64', shape: [2], data: new BigInt64Array(2) };
const req = (inputs: Tensor[], outputs?: string[]): InferRequest => ({ modelName: 'm', inputs, ...(outputs ? { outputs: outputs.map((name) => ({ name })) } : {}) });
const fails = (r: InferRequest, re: RegExp): void => assert.throws(() => validateRequest(r, meta), (e: Error) => re.test(e.message));

test('a request that fits passes, inputs in any order, outputs asked by name', () => {
  validateRequest(req([a(), b]), meta);
  validateRequest(req([b, a([7, 4])], ['y']), meta);
});

test('unknown, repeated and missing inputs are named', () => {
  fails(req([a(), { ...b, name: 'c' }]), /inputs\[1\]\.name.*"c".*one of the model's inputs: a, b/);
  fails(req([a(), a()]), /inputs\[1\]\.name.*"a".*each input given once/);
  fails(req([b]), /input "a" is missing; the model needs a, b/);
});

test('datatype, rank and fixed dimensions are checked against the metadata', () => {
  fails(req([a([2, 4], 'FP64'), b]), /inputs\[0\]\.datatype \(input a\).*"FP64".*FP32/);
  fails(req([a([8]), b]), /inputs\[0\]\.shape \(input a\).*rank 2/);
  fails(req([a([2, 3]), b]), /inputs\[0\]\.shape \(input a\)\[1\].*4 \(model shape \[-1,4\]\)/);
});

test('unknown outputs are named', () => {
  fails(req([a(), b], ['y', 'z']), /outputs\[1\]\.name.*"z".*one of the model's outputs: y/);
});
