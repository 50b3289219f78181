/**
 * fast-check arbitraries and comparisons for tensors, shared by the protocol codec tests.
 * (`testing/` folders are left out of the build.)
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DATATYPES, type Datatype, type NumericArray, type TensorData, bytesOf } from '../datatype.ts';
import type { Parameters, Tensor } from '../tensor.ts';
import { elementCount } from '../tensor.ts';

const utf8 = new TextEncoder();

/** Shapes of up to 4 dims of 0..4: scalars `[]`, zero dims and up to 256 elements. */
export const shapeArb: fc.Arbitrary<number[]> = fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 4 });

/**
 * Data for `count` elements of `dt`. Every bit pattern of the integer types (INT64/UINT64 over
 * their full range) and FP16; FP32/FP64 as fast-check's floats (NaN, ±Infinity, -0 included).
 * `raw` (binary section): floats from arbitrary bits, so NaN payloads too, and BYTES from
 * arbitrary bytes; otherwise BYTES are valid UTF-8, as JSON needs.
 */
export function dataArb(dt: Datatype, count: number, raw = false): fc.Arbitrary<TensorData> {
  const n = { minLength: count, maxLength: count };
  switch (dt) {
    case 'BOOL': return fc.array(fc.boolean(), n).map((a) => Uint8Array.from(a, (b) => (b ? 1 : 0)));
    case 'UINT8': return fc.uint8Array(n);
    case 'UINT16': return fc.uint16Array(n);
    case 'UINT32': return fc.uint32Array(n);
    case 'UINT64': return fc.bigUint64Array(n);
    case 'INT8': return fc.int8Array(n);
    case 'INT16': return fc.int16Array(n);
    case 'INT32': return fc.int32Array(n);
    case 'INT64': return fc.bigInt64Array(n);
    case 'FP16': return fc.uint16Array(n);
    case 'FP32': return raw ? fc.uint32Array(n).map((a) => new Float32Array(a.buffer)) : fc.float32Array(n);
    case 'FP64': return raw ? fc.bigUint64Array(n).map((a) => new Float64Array(a.buffer)) : fc.float64Array(n);
    case 'BYTES':
      return raw
        ? fc.array(fc.uint8Array({ maxLength: 6 }), n)
        : fc.array(fc.string({ unit: 'grapheme', maxLength: 4 }).map((s) => utf8.encode(s)), n);
  }
}

/** Parameter values that survive JSON exactly: bigint only beyond 2^53, finite numbers. */
export const parameterValueArb: fc.Arbitrary<string | number | boolean | bigint> = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.boolean(),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.bigInt({ min: 2n ** 53n, max: 2n ** 64n - 1n }),
  fc.bigInt({ min: -(2n ** 63n), max: -(2n ** 53n) }),
);

export const parametersArb: fc.Arbitrary<Parameters> = fc.dictionary(
  fc.string({ minLength: 1, maxLength: 8 }).filter((k) => k !== 'binary_data_size'),
  parameterValueArb,
  { maxKeys: 3, noNullPrototype: true },
);

/** A valid tensor of any datatype and shape; `raw` as for `dataArb`. */
export function tensorArb(raw = false): fc.Arbitrary<Tensor> {
  return fc
    .record({
      name: fc.string({ minLength: 1, maxLength: 6 }),
      datatype: fc.constantFrom(...DATATYPES),
      shape: shapeArb,
      parameters: fc.option(parametersArb, { nil: undefined }),
    })
    .chain(({ name, datatype, shape, parameters }) =>
      dataArb(datatype, elementCount(shape), raw).map((data) => {
        const t: Tensor = { name, datatype, shape, data };
        if (parameters) t.parameters = parameters;
        return t;
      }),
    );
}

/** Element bytes for comparison; with `canonicalNaN` every NaN is the one JSON brings back. */
function comparable(dt: Datatype, data: TensorData, canonicalNaN: boolean): Uint8Array[] {
  if (dt === 'BYTES') return data as Uint8Array[];
  let a = data as NumericArray;
  if (canonicalNaN && (dt === 'FP32' || dt === 'FP64')) {
    a = (a as Float32Array).map((x) => (Number.isNaN(x) ? Number.NaN : x));
  } else if (canonicalNaN && dt === 'FP16') {
    a = (a as Uint16Array).map((h) => ((h & 0x7c00) === 0x7c00 && h & 0x3ff ? 0x7e00 : h));
  }
  return [bytesOf(a)];
}

/** Asserts two tensors are the same: name, datatype, shape, data bit for bit, parameters. */
export function assertSameTensor(actual: Tensor, expected: Tensor, opts: { canonicalNaN: boolean; parameters?: Parameters | undefined }): void {
  assert.equal(actual.name, expected.name);
  assert.equal(actual.datatype, expected.datatype);
  assert.deepEqual(actual.shape, expected.shape);
  assert.equal(actual.data.constructor, expected.data.constructor, 'representation');
  assert.equal(actual.data.length, expected.data.length);
  const got = comparable(actual.datatype, actual.data, opts.canonicalNaN).map((b) => Buffer.from(b).toString('hex'));
  const want = comparable(expected.datatype, expected.data, opts.canonicalNaN).map((b) => Buffer.from(b).toString('hex'));
  assert.deepEqual(got, want, `${expected.datatype} data`);
  assert.deepEqual(actual.parameters, 'parameters' in opts ? opts.parameters : expected.parameters);
}
