import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { DATATYPES, type Datatype } from './datatype.ts';
import { decodeData, encodeFlat, encodeNested, stringifyValue } from './json-data.ts';
import { parseJson } from './json-lossless.ts';
import { assertSameTensor, parametersArb, tensorArb } from './testing/arbitraries.ts';
import { elementCount } from './tensor.ts';
import { assertInvalidInput } from './testing/assert.ts';
const assertInvalid = (f: () => unknown, field: string): void => assertInvalidInput(f, field);

describe('decodeData', () => {
  test('nested row-major lists decode to the same flat data', () => {
    const nested = decodeData([[1, 2, 3], [4, 5, 6]], 'INT32', 6, 'd');
    assert.deepEqual(nested, new Int32Array([1, 2, 3, 4, 5, 6]));
    assert.deepEqual(decodeData([[[1], [2]], [[3], [4]]], 'FP32', 4, 'd'), new Float32Array([1, 2, 3, 4]));
    assert.deepEqual(decodeData([[], []], 'FP64', 0, 'd'), new Float64Array(0));
  });

  test('a bare value is one element (scalar)', () => {
    assert.deepEqual(decodeData(7, 'INT8', 1, 'd'), new Int8Array([7]));
    assert.deepEqual(decodeData('a', 'BYTES', 1, 'd'), [new TextEncoder().encode('a')]);
    assertInvalid(() => decodeData(null, 'INT8', 1, 'd'), 'd');
    assertInvalid(() => decodeData({ a: 1 }, 'INT8', 1, 'd'), 'd');
  });

  test('element count must match', () => {
    assertInvalid(() => decodeData([1, 2, 3], 'INT32', 4, 'inputs[0].data'), 'inputs[0].data');
    assertInvalid(() => decodeData([[1, 2], [3]], 'INT32', 4, 'inputs[0].data'), 'inputs[0].data');
  });

  test('non-finite floats as strings; other strings are errors naming the element', () => {
    const a = decodeData(['NaN', 'Infinity', '-Infinity', 1.5], 'FP64', 4, 'd') as Float64Array;
    assert.ok(Number.isNaN(a[0]));
    assert.deepEqual([...a.slice(1)], [Infinity, -Infinity, 1.5]);
    assert.equal((decodeData(['-Infinity'], 'FP16', 1, 'd') as Uint16Array)[0], 0xfc00);
    assertInvalid(() => decodeData([1, 'nan'], 'FP32', 2, 'd'), 'd[1]');
    // Inherited names are not non-finite spellings.
    assertInvalid(() => decodeData(['constructor'], 'FP32', 1, 'd'), 'd[0]');
    assertInvalid(() => decodeData(['toString'], 'FP16', 1, 'd'), 'd[0]');
    assertInvalid(() => decodeData([true], 'FP64', 1, 'd'), 'd[0]');
  });

  test('a float written as a long integer literal (lossless bigint) is still a float', () => {
    const parsed = parseJson('[100000000000000000000, 9007199254740993, 1]');
    assert.deepEqual(decodeData(parsed, 'FP64', 3, 'd'), new Float64Array([1e20, 9007199254740992, 1]));
    assert.deepEqual(decodeData(parsed, 'FP32', 3, 'd'), new Float32Array([1e20, 9007199254740992, 1]));
    assert.equal((decodeData(parsed, 'FP16', 3, 'd') as Uint16Array)[0], 0x7c00);
  });

  test('integer types check type and range, naming the element', () => {
    assertInvalid(() => decodeData([1, 1.5], 'INT32', 2, 'inputs[0].data'), 'inputs[0].data[1]');
    assertInvalid(() => decodeData([300], 'UINT8', 1, 'x'), 'x[0]');
    assertInvalid(() => decodeData([-1], 'UINT16', 1, 'x'), 'x[0]');
    assertInvalid(() => decodeData([2147483648], 'INT32', 1, 'x'), 'x[0]');
    assertInvalid(() => decodeData(['1'], 'INT8', 1, 'x'), 'x[0]');
    assertInvalid(() => decodeData([1, 0, 2], 'BOOL', 3, 'x'), 'x[2]');
    assert.deepEqual(decodeData([true, false, 1, 0], 'BOOL', 4, 'x'), new Uint8Array([1, 0, 1, 0]));
  });

  test('INT64/UINT64: bigint, safe numbers and digit strings, in range', () => {
    const parsed = parseJson('[9007199254740993, -9223372036854775808, 5, "-7"]');
    assert.deepEqual(decodeData(parsed, 'INT64', 4, 'x'), new BigInt64Array([9007199254740993n, -9223372036854775808n, 5n, -7n]));
    assert.deepEqual(decodeData(parseJson('[18446744073709551615]'), 'UINT64', 1, 'x'), new BigUint64Array([18446744073709551615n]));
    assertInvalid(() => decodeData(parseJson('[9223372036854775808]'), 'INT64', 1, 'x'), 'x[0]');
    assertInvalid(() => decodeData([1, -1], 'UINT64', 2, 'x'), 'x[1]');
    assertInvalid(() => decodeData([2 ** 53], 'INT64', 1, 'x'), 'x[0]'); // a rounded number is not exact
    assertInvalid(() => decodeData([0.5], 'INT64', 1, 'x'), 'x[0]');
  });

  test('BYTES: strings only', () => {
    assertInvalid(() => decodeData(['a', 1], 'BYTES', 2, 'x'), 'x[1]');
  });

  test('lists nested 100000 deep are an INVALID_INPUT, not a stack overflow', () => {
    const depth = 100_000;
    const deep = JSON.parse(`${'['.repeat(depth)}1${']'.repeat(depth)}`) as unknown;
    assert.deepEqual(decodeData(deep, 'INT32', 1, 'x'), new Int32Array([1]));
    assertInvalid(() => decodeData([deep, 2], 'INT32', 1, 'x'), 'x');
  });
});

describe('encodeFlat / encodeNested', () => {
  test('exact text for each kind', () => {
    assert.equal(encodeFlat(new BigInt64Array([-9223372036854775808n, 9223372036854775807n]), 'INT64'), '[-9223372036854775808,9223372036854775807]');
    assert.equal(encodeFlat(new BigUint64Array([18446744073709551615n]), 'UINT64'), '[18446744073709551615]');
    assert.equal(encodeFlat(new Uint8Array([1, 0]), 'BOOL'), '[true,false]');
    assert.equal(encodeFlat(new Uint16Array([0x3c00, 0x7c00, 0x7e00, 0x8000]), 'FP16'), '[1,"Infinity","NaN",-0]');
    assert.equal(encodeFlat(new Float32Array([0.1]), 'FP32'), '[0.10000000149011612]');
    assert.equal(encodeFlat(new Float64Array([1, -0, -Infinity]), 'FP64'), '[1,-0,"-Infinity"]');
    assert.equal(encodeFlat([new TextEncoder().encode('a"é')], 'BYTES'), '["a\\"é"]');
    assert.equal(encodeNested(new Int32Array([1, 2, 3, 4, 5, 6]), 'INT32', [2, 3]), '[[1,2,3],[4,5,6]]');
    assert.equal(encodeNested(new Int32Array([7]), 'INT32', []), '7');
    assert.equal(encodeNested(new Int32Array(0), 'INT32', [2, 0, 3]), '[[],[]]');
  });

  test('property: flat and nested text decode to the same data, bit for bit', () => {
    fc.assert(
      fc.property(tensorArb(), (t) => {
        const count = elementCount(t.shape);
        const flat = decodeData(parseJson(encodeFlat(t.data, t.datatype)), t.datatype, count, 'flat');
        const nested = decodeData(parseJson(encodeNested(t.data, t.datatype, t.shape)), t.datatype, count, 'nested');
        assertSameTensor({ ...t, data: flat }, t, { canonicalNaN: true });
        assertSameTensor({ ...t, data: nested }, t, { canonicalNaN: true });
      }),
      { numRuns: 500 },
    );
  });

  test('every datatype is covered by the property', () => {
    const seen = new Set<Datatype>();
    fc.assert(fc.property(tensorArb(), (t) => void seen.add(t.datatype)), { numRuns: 300 });
    assert.deepEqual([...seen].sort(), [...DATATYPES].sort());
  });
});

describe('stringifyValue', () => {
  test('bigint exact, unsafe integral numbers in exponent form, -0 kept', () => {
    assert.equal(stringifyValue({ a: 9223372036854775807n, b: 1e20, c: -0, d: [1, 'x', true, null] }),
      '{"a":9223372036854775807,"b":1e+20,"c":-0,"d":[1,"x",true,null]}');
  });

  test('strings and keys that look like placeholders pass through untouched', () => {
    const v = { __BIGINT__5: '__BIGINT__7', k: 'a"__BIGINT__1"' };
    assert.deepEqual(JSON.parse(stringifyValue(v)), v);
  });

  test('property: parameters survive stringify → parseJson exactly', () => {
    fc.assert(
      fc.property(parametersArb, (p) => {
        assert.deepEqual(parseJson(stringifyValue(p)), p);
      }),
      { numRuns: 500 },
    );
  });
});
