/** The transformer-side codecs: what goes to a predictor and what comes back. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeV1Response, decodeV2Response, encodeV1Request, encodeV2Request } from './client-codec.ts';
import { parseJson } from './json-lossless.ts';
import { makeTensor } from './tensor.ts';
import { decodeV1Request } from './v1.ts';

test('V1 request: one input → instances as nested lists; several → one record per row; round trip through the V1 decoder', () => {
  const rows = makeTensor('input-0', 'FP64', [2, 2], new Float64Array([6.8, 2.8, 5.1, 3.5]));
  assert.equal(encodeV1Request([rows]), '{"instances":[[6.8,2.8],[5.1,3.5]]}');
  const a = makeTensor('a', 'INT64', [2], new BigInt64Array([1n, 2n]));
  const b = makeTensor('b', 'BYTES', [2], [new TextEncoder().encode('x'), new TextEncoder().encode('y')]);
  const text = encodeV1Request([a, b]);
  assert.equal(text, '{"instances":[{"a":1,"b":"x"},{"a":2,"b":"y"}]}');
  const back = decodeV1Request(parseJson(text), []);
  assert.deepEqual(back.map((t) => [t.name, t.datatype, t.shape]), [['a', 'INT64', [2]], ['b', 'BYTES', [2]]]);
  // No shared batch dimension: columnar inputs.
  assert.equal(encodeV1Request([makeTensor('s', 'INT64', [], new BigInt64Array([3n])), a]), '{"inputs":{"s":3,"a":[1,2]}}');
});

test('V1 response: records → one tensor per key; a list → one tensor named predictions', () => {
  const rec = decodeV1Response({ predictions: [{ label: 1, probabilities: [0.25, 0.75] }, { label: 0, probabilities: [0.5, 0.5] }] });
  assert.deepEqual(rec.map((t) => [t.name, t.datatype, t.shape]), [['label', 'INT64', [2]], ['probabilities', 'FP64', [2, 2]]]);
  const list = decodeV1Response({ predictions: [1, 0, 2] });
  assert.deepEqual(list.map((t) => [t.name, t.datatype, t.shape, [...(t.data as BigInt64Array)]]), [['predictions', 'INT64', [3], [1n, 0n, 2n]]]);
  assert.throws(() => decodeV1Response({ outputs: [] }), /predictor response: got .*expected a V1 body with "predictions"/);
});

test('V2 request: the binary-extension parameters of this hop are dropped, the rest kept', () => {
  const text = encodeV2Request({
    modelName: 'm',
    id: 'r1',
    parameters: { binary_data_output: true, priority: 2 },
    inputs: [makeTensor('x', 'FP32', [1, 2], new Float32Array([1.5, 2]), { binary_data_size: 8, content_type: 'np' })],
    outputs: [{ name: 'y', parameters: { binary_data: true } }],
  });
  assert.deepEqual(JSON.parse(text), {
    id: 'r1',
    parameters: { priority: 2 },
    inputs: [{ name: 'x', datatype: 'FP32', shape: [1, 2], parameters: { content_type: 'np' }, data: [1.5, 2] }],
    outputs: [{ name: 'y' }],
  });
});

test('V2 response: outputs decode as typed tensors, checked like request inputs', () => {
  const res = decodeV2Response({ model_name: 'iris', model_version: '1', id: 'r1', outputs: [{ name: 'label', datatype: 'INT64', shape: [1], data: [1] }] }, 'iris');
  assert.deepEqual(res.outputs.map((t) => [t.name, t.datatype, [...(t.data as BigInt64Array)]]), [['label', 'INT64', [1n]]]);
  assert.equal(res.modelVersion, '1');
  assert.equal(res.id, 'r1');
  assert.throws(() => decodeV2Response({ outputs: [{ name: 'y', datatype: 'FP32', shape: [2], data: [1] }] }, 'm'), /inputs\[0\]\.data|expected 2/);
  assert.throws(() => decodeV2Response({ error: 'x' }, 'm'), /expected a V2 body with "outputs"/);
});
