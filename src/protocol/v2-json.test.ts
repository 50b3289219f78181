import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import type { InferResponse } from './infer.ts';
import { encodeNested } from './json-data.ts';
import { parseJson } from './json-lossless.ts';
import type { Tensor } from './tensor.ts';
import { assertSameTensor, parametersArb, tensorArb } from './testing/arbitraries.ts';
import { joinBody, splitBody } from './v2-binary.ts';
import { binaryOutputs, decodeV2Request, encodeV2Response, rawOf } from './v2-json.ts';

const head = { modelName: fc.string({ maxLength: 6 }), id: fc.string({ maxLength: 6 }), parameters: fc.option(parametersArb, { nil: undefined }) };

const jsonResponseArb = fc.record({ ...head, outputs: fc.array(tensorArb(), { maxLength: 4 }) });

/** Outputs with their binary flag; binary ones carry arbitrary bits (NaN payloads, non-UTF-8 BYTES). */
const mixedResponseArb = fc.record({
  ...head,
  outputs: fc.array(fc.boolean().chain((b) => tensorArb(b).map((t) => [b, t] as const)), { maxLength: 4 }),
});

/** Drops undefined fields, as a decoded object has none. */
function response(r: { modelName: string; id: string; parameters: InferResponse['parameters'] | undefined; outputs: Tensor[] }): InferResponse {
  const res: InferResponse = { modelName: r.modelName, id: r.id, outputs: r.outputs };
  if (r.parameters) res.parameters = r.parameters;
  return res;
}

function concat(chunks: Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(chunks));
}

function checkHead(parsed: Record<string, unknown>, res: InferResponse): void {
  assert.equal(parsed.model_name, res.modelName);
  assert.equal(parsed.id, res.id);
  assert.deepEqual(parsed.parameters, res.parameters);
}

describe('V2 JSON round trip', () => {
  test('property: any tensors survive encodeV2Response → text → parseJson → decodeV2Request', () => {
    fc.assert(
      fc.property(jsonResponseArb.map(response), (res) => {
        const enc = encodeV2Response(res);
        assert.equal(enc.binary.length, 0);
        const parsed = parseJson(enc.json) as Record<string, unknown>;
        checkHead(parsed, res);
        const req = decodeV2Request({ inputs: parsed.outputs }, 'm', '2');
        assert.equal(req.modelName, 'm');
        assert.equal(req.modelVersion, '2');
        assert.equal(req.inputs.length, res.outputs.length);
        req.inputs.forEach((t, i) => assertSameTensor(t, res.outputs[i]!, { canonicalNaN: true }));
      }),
      { numRuns: 400 },
    );
  });

  test('property: the same through the binary extension, output by output', () => {
    fc.assert(
      fc.property(mixedResponseArb, (r) => {
        const res = response({ ...r, outputs: r.outputs.map(([, t]) => t) });
        const flags = r.outputs.map(([b]) => b);
        const enc = encodeV2Response(res, flags);
        const joined = joinBody(enc);
        const body = concat(joined.chunks);
        assert.equal(body.byteLength, joined.length);
        assert.equal(joined.headerLength === undefined, enc.binary.length === 0);
        const { json, binary } = splitBody(body, joined.headerLength === undefined ? undefined : String(joined.headerLength));
        const parsed = parseJson(json) as Record<string, unknown>;
        checkHead(parsed, res);
        const req = decodeV2Request({ inputs: parsed.outputs }, 'm', undefined, binary);
        req.inputs.forEach((t, i) => {
          const want = res.outputs[i]!;
          const parameters = flags[i] ? { ...want.parameters, binary_data_size: rawOf(want).byteLength } : want.parameters;
          assertSameTensor(t, want, { canonicalNaN: !flags[i], parameters });
        });
      }),
      { numRuns: 400 },
    );
  });

  test('property: nested `data` decodes to the same flat data', () => {
    fc.assert(
      fc.property(tensorArb(), (t) => {
        const text = `{"inputs":[{"name":${JSON.stringify(t.name)},"datatype":"${t.datatype}","shape":${JSON.stringify(t.shape)},` +
          `"data":${encodeNested(t.data, t.datatype, t.shape)}}]}`;
        const [got] = decodeV2Request(parseJson(text), 'm').inputs;
        assertSameTensor(got!, t, { canonicalNaN: true, parameters: undefined });
      }),
      { numRuns: 300 },
    );
  });

  test('a binary response: JSON header with binary_data_size, then the raw bytes in output order', () => {
    const res: InferResponse = {
      modelName: 'm', modelVersion: '1', id: 'r1', parameters: { big: 18446744073709551615n },
      outputs: [
        { name: 'a', datatype: 'INT32', shape: [2], data: new Int32Array([1, -1]) },
        { name: 's', datatype: 'BYTES', shape: [2], data: [new Uint8Array([0x61, 0x62]), new Uint8Array(0)] },
        { name: 'j', datatype: 'BOOL', shape: [], data: new Uint8Array([1]) },
      ],
    };
    const enc = encodeV2Response(res, [true, true, false]);
    assert.equal(enc.json, '{"model_name":"m","model_version":"1","id":"r1","parameters":{"big":18446744073709551615},"outputs":[' +
      '{"name":"a","datatype":"INT32","shape":[2],"parameters":{"binary_data_size":8}},' +
      '{"name":"s","datatype":"BYTES","shape":[2],"parameters":{"binary_data_size":10}},' +
      '{"name":"j","datatype":"BOOL","shape":[],"data":[true]}]}');
    assert.equal(Buffer.concat(enc.binary).toString('hex'), '01000000ffffffff' + '020000006162' + '00000000');
  });
});

describe('decodeV2Request: request fields', () => {
  test('id, parameters, requested outputs', () => {
    const req = decodeV2Request(parseJson(`{"id":"x","parameters":{"binary_data_output":true,"n":9007199254740993},
      "inputs":[{"name":"a","datatype":"FP32","shape":[1],"data":[1]}],
      "outputs":[{"name":"o","parameters":{"binary_data":false}},{"name":"p"}]}`), 'm');
    assert.equal(req.id, 'x');
    assert.deepEqual(req.parameters, { binary_data_output: true, n: 9007199254740993n });
    assert.deepEqual(req.outputs, [{ name: 'o', parameters: { binary_data: false } }, { name: 'p' }]);
    assert.equal(req.modelVersion, undefined);
  });

  test('wrong types name the field', () => {
    const input = { name: 'a', datatype: 'INT8', shape: [1], data: [1] };
    const cases: [unknown, string][] = [
      [[], 'request body'], [{}, 'inputs'], [{ inputs: {} }, 'inputs'], [{ inputs: [input], id: 5 }, 'id'],
      [{ inputs: [input], parameters: [] }, 'parameters'], [{ inputs: [input], parameters: { a: null } }, 'parameters.a'],
      [{ inputs: [5] }, 'inputs[0]'], [{ inputs: [{ ...input, name: '' }] }, 'inputs[0].name'],
      [{ inputs: [{ ...input, parameters: { x: {} } }] }, 'inputs[0].parameters.x'],
      [{ inputs: [input, { ...input, data: undefined }] }, 'inputs[1].data'],
      [{ inputs: [input], outputs: {} }, 'outputs'], [{ inputs: [input], outputs: [{ name: 1 }] }, 'outputs[0]'],
      [{ inputs: [input], outputs: [{ name: 'o', parameters: 1 }] }, 'outputs[0].parameters'],
    ];
    for (const [body, field] of cases) {
      assert.throws(() => decodeV2Request(body, 'm'), (e: Error & { code?: string }) => e.code === 'INVALID_INPUT' && e.message.startsWith(`${field}: `), field);
    }
  });
});

describe('binaryOutputs', () => {
  const outs = ['a', 'b', 'c'].map((name): Tensor => ({ name, datatype: 'INT8', shape: [0], data: new Int8Array(0) }));

  test('off by default; binary_data_output turns every output on', () => {
    assert.deepEqual(binaryOutputs({}, outs), [false, false, false]);
    assert.deepEqual(binaryOutputs({ parameters: { binary_data_output: true } }, outs), [true, true, true]);
    assert.deepEqual(binaryOutputs({ parameters: { binary_data_output: false } }, outs), [false, false, false]);
    assert.deepEqual(binaryOutputs({ parameters: { binary_data_output: 'true' } }, outs), [false, false, false]);
  });

  test('a per-output binary_data overrides the request-level setting either way', () => {
    const outputs = [{ name: 'a', parameters: { binary_data: false } }, { name: 'c', parameters: { binary_data: true } }, { name: 'b' }];
    assert.deepEqual(binaryOutputs({ parameters: { binary_data_output: true }, outputs }, outs), [false, true, true]);
    assert.deepEqual(binaryOutputs({ outputs }, outs), [false, false, true]);
    assert.deepEqual(binaryOutputs({ outputs: [{ name: 'b', parameters: { binary_data: 1 } }] }, outs), [false, false, false]);
  });
});
