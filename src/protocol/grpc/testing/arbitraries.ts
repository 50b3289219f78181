/**
 * fast-check arbitraries of valid internal tensors, requests and responses (every datatype,
 * scalars, empty tensors, parameters of every kind), and a bit-exact comparison of tensor data.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DATATYPES, type Datatype, type NumericArray, bytesOf } from '../../datatype.ts';
import type { InferRequest, InferResponse } from '../../infer.ts';
import { type ParameterValue, type Parameters, type Tensor, type TensorData, elementCount } from '../../tensor.ts';

const I64: [bigint, bigint] = [-(2n ** 63n), 2n ** 63n - 1n];
const U64: [bigint, bigint] = [0n, 2n ** 64n - 1n];

/** Data of `n` elements of `dt`; FP16/FP32/FP64 include NaN, ±0 and ±Infinity. */
export function dataArb(dt: Datatype, n: number): fc.Arbitrary<TensorData> {
  const len = { minLength: n, maxLength: n };
  const ints = (min: number, max: number) => fc.array(fc.integer({ min, max }), len);
  switch (dt) {
    case 'BOOL': return fc.array(fc.boolean(), len).map((a) => Uint8Array.from(a, (b) => (b ? 1 : 0)));
    case 'UINT8': return ints(0, 255).map((a) => Uint8Array.from(a));
    case 'UINT16': return ints(0, 65535).map((a) => Uint16Array.from(a));
    case 'UINT32': return fc.array(fc.nat({ max: 4294967295 }), len).map((a) => Uint32Array.from(a));
    case 'UINT64': return fc.array(fc.bigInt({ min: U64[0], max: U64[1] }), len).map((a) => BigUint64Array.from(a));
    case 'INT8': return ints(-128, 127).map((a) => Int8Array.from(a));
    case 'INT16': return ints(-32768, 32767).map((a) => Int16Array.from(a));
    case 'INT32': return ints(-2147483648, 2147483647).map((a) => Int32Array.from(a));
    case 'INT64': return fc.array(fc.bigInt({ min: I64[0], max: I64[1] }), len).map((a) => BigInt64Array.from(a));
    case 'FP16': return ints(0, 65535).map((a) => Uint16Array.from(a));
    case 'FP32': return fc.array(fc.float(), len).map((a) => Float32Array.from(a));
    case 'FP64': return fc.array(fc.double(), len).map((a) => Float64Array.from(a));
    case 'BYTES': return fc.array(fc.uint8Array({ maxLength: 12 }), len);
  }
}

const paramValueArb: fc.Arbitrary<ParameterValue> = fc.oneof(
  fc.boolean(),
  fc.string({ maxLength: 8 }),
  fc.integer(),
  fc.maxSafeInteger(),
  fc.double(),
  // bigints only beyond 2^53: inside it they decode as numbers
  fc.bigInt({ min: I64[0], max: BigInt(Number.MIN_SAFE_INTEGER) - 1n }),
  fc.bigInt({ min: BigInt(Number.MAX_SAFE_INTEGER) + 1n, max: U64[1] }),
);

/** Parameters, or undefined (an empty map decodes as undefined). */
export const parametersArb: fc.Arbitrary<Parameters | undefined> = fc.option(
  fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }), paramValueArb, { minKeys: 1, maxKeys: 3 }),
  { nil: undefined },
);

export const shapeArb = fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 3 });

/** A valid tensor of `dt` (any datatype when omitted). */
export function tensorArb(dt?: Datatype): fc.Arbitrary<Tensor> {
  const dtArb = dt ? fc.constant(dt) : fc.constantFrom(...DATATYPES);
  return fc.tuple(dtArb, shapeArb, fc.string({ maxLength: 6 })).chain(([datatype, shape, name]) =>
    fc.tuple(dataArb(datatype, elementCount(shape)), parametersArb).map(([data, parameters]) => {
      const t: Tensor = { name, datatype, shape, data };
      if (parameters) t.parameters = parameters;
      return t;
    }),
  );
}

const optString = fc.option(fc.string({ minLength: 1, maxLength: 8 }), { nil: undefined });

export const requestArb: fc.Arbitrary<InferRequest> = fc
  .record({
    modelName: fc.string({ maxLength: 8 }),
    modelVersion: optString,
    id: optString,
    parameters: parametersArb,
    inputs: fc.array(tensorArb(), { maxLength: 4 }),
    outputs: fc.option(fc.array(fc.record({ name: fc.string({ maxLength: 6 }), parameters: parametersArb }), { minLength: 1, maxLength: 3 }), { nil: undefined }),
  })
  .map((r) => stripUndefined(r) as InferRequest);

export const responseArb: fc.Arbitrary<InferResponse> = fc
  .record({
    modelName: fc.string({ maxLength: 8 }),
    modelVersion: optString,
    id: fc.string({ maxLength: 8 }),
    parameters: parametersArb,
    outputs: fc.array(tensorArb(), { maxLength: 4 }),
  })
  .map((r) => stripUndefined(r) as InferResponse);

/** Drops keys whose value is undefined, deeply through plain objects and arrays. */
function stripUndefined(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stripUndefined);
  if (v === null || typeof v !== 'object' || ArrayBuffer.isView(v)) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = stripUndefined(x);
  return out;
}

/** Asserts two tensor lists are equal, data bit for bit and in the same array type. */
export function assertTensorsEqual(got: readonly Tensor[], want: readonly Tensor[]): void {
  assert.equal(got.length, want.length);
  got.forEach((g, i) => {
    const w = want[i]!;
    const { data: gd, ...gm } = g;
    const { data: wd, ...wm } = w;
    assert.deepEqual(gm, wm);
    if (w.datatype === 'BYTES') {
      assert.ok(Array.isArray(gd));
      assert.deepEqual((gd as Uint8Array[]).map((b) => Buffer.from(b).toString('hex')), (wd as Uint8Array[]).map((b) => Buffer.from(b).toString('hex')));
      for (const b of gd as Uint8Array[]) assert.equal(Object.getPrototypeOf(b), Uint8Array.prototype);
    } else {
      assert.equal(gd.constructor, wd.constructor, `tensor ${i} array type`);
      assert.deepEqual(Buffer.from(bytesOf(gd as NumericArray)), Buffer.from(bytesOf(wd as NumericArray)));
    }
  });
}
