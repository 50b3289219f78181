import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { DATATYPES } from './datatype.ts';
import type { TensorMetadata } from './infer.ts';
import { parseJson } from './json-lossless.ts';
import type { Tensor } from './tensor.ts';
import { elementCount } from './tensor.ts';
import { assertSameTensor, dataArb } from './testing/arbitraries.ts';
import { MAX_DIMS, decodeV1Request, encodeV1Response, inferShape } from './v1.ts';
import { assertInvalidInput } from './testing/assert.ts';
const assertInvalid = (f: () => unknown, field: string): void => assertInvalidInput(f, field);

const utf8 = new TextEncoder();
const meta = (name: string, datatype: TensorMetadata['datatype'], shape: number[] = [-1]): TensorMetadata => ({ name, datatype, shape });
const decode = (text: string, metas: TensorMetadata[] = []): Tensor[] => decodeV1Request(parseJson(text), metas);

describe('decodeV1Request: one input', () => {
  test('instances: nested lists, shape inferred, datatype from metadata', () => {
    const [t] = decode('{"instances": [[1, 2, 3], [4, 5, 6]]}', [meta('x', 'FP32', [-1, 3])]);
    assert.deepEqual(t, { name: 'x', datatype: 'FP32', shape: [2, 3], data: new Float32Array([1, 2, 3, 4, 5, 6]) });
  });

  test('`inputs` as a list is the same as instances', () => {
    assert.deepEqual(decode('{"inputs": [[1, 2]]}', [meta('x', 'INT8')]), decode('{"instances": [[1, 2]]}', [meta('x', 'INT8')]));
  });

  test('no metadata: input-0, datatype guessed as numpy would', () => {
    const guess = (text: string): [string, string, number[]] => {
      const [t] = decode(text);
      return [t!.name, t!.datatype, t!.shape];
    };
    assert.deepEqual(guess('{"instances": [1, 2]}'), ['input-0', 'INT64', [2]]);
    assert.deepEqual(guess('{"instances": [[1, 2.5]]}'), ['input-0', 'FP64', [1, 2]]);
    assert.deepEqual(guess('{"instances": [true, false]}'), ['input-0', 'BOOL', [2]]);
    assert.deepEqual(guess('{"instances": [["a"], ["b"]]}'), ['input-0', 'BYTES', [2, 1]]);
    assert.deepEqual(guess('{"instances": []}'), ['input-0', 'INT64', [0]]);
    assert.deepEqual(decode('{"instances": [9007199254740993, 1]}')[0]!.data, new BigInt64Array([9007199254740993n, 1n]));
    // A float beside an integer literal beyond 2^53: FP64, the long literal read as a float.
    assert.deepEqual(decode('{"instances": [1.5, 100000000000000000000]}')[0]!.data, new Float64Array([1.5, 1e20]));
  });

  test('metadata datatype wins over the values: integers into FP32, 0/1 into BOOL', () => {
    assert.deepEqual(decode('{"instances": [1, 2]}', [meta('x', 'FP32')])[0]!.data, new Float32Array([1, 2]));
    assert.deepEqual(decode('{"instances": [1, 0]}', [meta('x', 'BOOL')])[0]!.data, new Uint8Array([1, 0]));
    assertInvalid(() => decode('{"instances": [1, 2.5]}', [meta('x', 'INT32')]), 'instances[1]');
  });

  test('ragged nesting is INVALID_INPUT naming the path', () => {
    assertInvalid(() => decode('{"instances": [[1, 2], [3]]}'), 'instances[1]');
    assertInvalid(() => decode('{"instances": [[1, 2], 3]}'), 'instances[1]');
    assertInvalid(() => decode('{"instances": [[1, 2], [3, [4]]]}'), 'instances[1][1]');
    assertInvalid(() => decode('{"instances": [[[1], [2]], [[3], []]]}'), 'instances[1][1]');
    assertInvalid(() => decode('{"inputs": {"a": [[1], [2, 3]]}}'), 'inputs.a[1]');
  });

  test('element errors name the (flat) element; bad values name the field', () => {
    assertInvalid(() => decode('{"instances": [[1, 2], [3, "x"]]}', [meta('x', 'FP32')]), 'instances[3]');
    assertInvalid(() => decode('{"instances": [null]}'), 'instances');
    assertInvalid(() => decode('{"instances": [{"a": 1}, 2]}'), 'instances[1]');
  });

  test(`more than ${MAX_DIMS} dimensions (or 100000-deep lists) are INVALID_INPUT, not a stack overflow`, () => {
    const nest = (d: number): string => `${'['.repeat(d)}1${']'.repeat(d)}`;
    assert.equal(inferShape(parseJson(nest(MAX_DIMS)), 'x').length, MAX_DIMS);
    assertInvalid(() => decode(`{"instances": ${nest(MAX_DIMS + 1)}}`), 'instances');
    assertInvalid(() => decode(`{"instances": ${nest(100_000)}}`), 'instances');
    assertInvalid(() => decode(`{"instances": [1, ${nest(100_000)}]}`), 'instances[1]');
  });

  test('body shape errors', () => {
    assertInvalid(() => decode('[]'), 'request body');
    assertInvalid(() => decode('{"signature_name": "x"}'), 'request body');
    assertInvalid(() => decode('{"instances": {"a": 1}}'), 'instances');
    assertInvalid(() => decode('{"inputs": 5}'), 'inputs');
  });
});

describe('decodeV1Request: several inputs', () => {
  const metas = [meta('a', 'INT32'), meta('b', 'FP32', [-1, 2])];

  test('row format: one object per instance keyed by input name', () => {
    const ts = decode('{"instances": [{"a": 1, "b": [1, 2]}, {"b": [3, 4], "a": 2}]}', metas);
    assert.deepEqual(ts, [
      { name: 'a', datatype: 'INT32', shape: [2], data: new Int32Array([1, 2]) },
      { name: 'b', datatype: 'FP32', shape: [2, 2], data: new Float32Array([1, 2, 3, 4]) },
    ]);
  });

  test('columnar format: inputs is an object of input → batch', () => {
    const ts = decode('{"inputs": {"a": [1, 2], "b": [[1, 2], [3, 4]]}}', metas);
    assert.deepEqual(ts, decode('{"instances": [{"a": 1, "b": [1, 2]}, {"a": 2, "b": [3, 4]}]}', metas));
    assert.deepEqual(decode('{"inputs": {"a": 7}}', metas)[0], { name: 'a', datatype: 'INT32', shape: [], data: new Int32Array([7]) });
  });

  test('rows: missing input, non-object row, unknown input', () => {
    assertInvalid(() => decode('{"instances": [{"a": 1, "b": [1, 2]}, {"a": 2}]}', metas), 'instances[1]');
    assertInvalid(() => decode('{"instances": [[1, 2]]}', metas), 'instances[0]');
    assertInvalid(() => decode('{"inputs": {"a": [1], "c": [1]}}', metas), 'inputs.c');
    // `in` would find Object.prototype.toString; a missing input is missing.
    assertInvalid(() => decode('{"instances": [{"a": 1}]}', [meta('a', 'INT32'), meta('toString', 'INT32')]), 'instances[0]');
  });

  test('rows without metadata: names from the first row, types guessed; "__proto__" is just a name', () => {
    const ts = decode('{"instances": [{"x": 1, "__proto__": "s"}, {"x": 2, "__proto__": "t"}]}');
    assert.deepEqual(ts.map((t) => [t.name, t.datatype, t.shape]), [['x', 'INT64', [2]], ['__proto__', 'BYTES', [2]]]);
    assert.deepEqual(ts[1]!.data, [utf8.encode('s'), utf8.encode('t')]);
  });
});

describe('encodeV1Response', () => {
  const t = (name: string, datatype: Tensor['datatype'], shape: number[], data: Tensor['data']): Tensor => ({ name, datatype, shape, data });

  test('one output: predictions are its nested lists', () => {
    assert.equal(encodeV1Response([t('y', 'INT32', [2, 2], new Int32Array([1, 2, 3, 4]))]), '{"predictions":[[1,2],[3,4]]}');
    assert.equal(encodeV1Response([t('y', 'BYTES', [2], [utf8.encode('a'), utf8.encode('é')])]), '{"predictions":["a","é"]}');
    assert.equal(encodeV1Response([t('y', 'BOOL', [1, 1], new Uint8Array([1]))]), '{"predictions":[[true]]}');
  });

  test('a scalar output is a bare value', () => {
    assert.equal(encodeV1Response([t('y', 'FP32', [], new Float32Array([0.5]))]), '{"predictions":0.5}');
  });

  test('INT64/UINT64 are exact in the text', () => {
    const text = encodeV1Response([t('y', 'INT64', [2], new BigInt64Array([9223372036854775807n, -9007199254740993n]))]);
    assert.equal(text, '{"predictions":[9223372036854775807,-9007199254740993]}');
    assert.deepEqual(parseJson(text), { predictions: [9223372036854775807n, -9007199254740993n] });
    assert.equal(encodeV1Response([t('y', 'UINT64', [], new BigUint64Array([18446744073709551615n]))]), '{"predictions":18446744073709551615}');
  });

  test('several outputs sharing the batch dimension: one object per row', () => {
    const text = encodeV1Response([
      t('label', 'INT64', [2], new BigInt64Array([9007199254740993n, 0n])),
      t('probs', 'FP32', [2, 2], new Float32Array([0.25, 0.75, 1, 0])),
    ]);
    assert.equal(text, '{"predictions":[{"label":9007199254740993,"probs":[0.25,0.75]},{"label":0,"probs":[1,0]}]}');
  });

  test('several outputs without a shared batch dimension: one object of outputs; none: empty', () => {
    const text = encodeV1Response([t('a', 'INT8', [2], new Int8Array([1, 2])), t('b', 'INT8', [], new Int8Array([3]))]);
    assert.equal(text, '{"predictions":{"a":[1,2],"b":3}}');
    assert.equal(encodeV1Response([]), '{"predictions":[]}');
    assert.equal(encodeV1Response([t('a', 'INT8', [0], new Int8Array(0)), t('b', 'INT8', [0, 3], new Int8Array(0))]), '{"predictions":[]}');
  });

  test('property: one output of any datatype → predictions → instances gives it back', () => {
    const arb = fc
      .record({ datatype: fc.constantFrom(...DATATYPES), shape: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 3 }) })
      .chain(({ datatype, shape }) => dataArb(datatype, elementCount(shape)).map((data) => t('y', datatype, shape, data)));
    fc.assert(
      fc.property(arb, (out) => {
        const body = parseJson(encodeV1Response([out])) as { predictions: unknown };
        const [back] = decodeV1Request({ instances: body.predictions }, [meta('y', out.datatype)]);
        assertSameTensor(back!, out, { canonicalNaN: true });
      }),
      { numRuns: 300 },
    );
  });
});
