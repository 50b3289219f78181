import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import type { MethodDefinition, ServiceDefinition } from '@grpc/proto-loader';
import { ServingError } from '../../core/errors.ts';
import type { InferRequest } from '../infer.ts';
import type { Tensor } from '../tensor.ts';
import type { ContentsField } from './contents.ts';
import { decodeInferRequest, decodeInferResponse, encodeInferRequest, encodeInferResponse, usesRawContents } from './codec.ts';
import type { ModelInferRequest, ModelInferRequest__Output } from './generated/inference/ModelInferRequest.ts';
import type { ModelInferResponse, ModelInferResponse__Output } from './generated/inference/ModelInferResponse.ts';
import { decodeModelMetadata, encodeModelMetadata, encodeRepositoryIndex } from './metadata.ts';
import { INFERENCE_SERVICE, loadInferenceProto } from './proto.ts';
import { assertTensorsEqual, requestArb, responseArb, tensorArb } from './testing/arbitraries.ts';

// The real protobufjs serialization grpc-js uses, from the loaded package definition.
const service = loadInferenceProto()[INFERENCE_SERVICE] as ServiceDefinition;
const infer = service.ModelInfer as MethodDefinition<ModelInferRequest, ModelInferResponse, ModelInferRequest__Output, ModelInferResponse__Output>;
const wireRequest = (m: ModelInferRequest): ModelInferRequest__Output => infer.requestDeserialize(infer.requestSerialize(m));
const wireResponse = (m: ModelInferResponse): ModelInferResponse__Output => infer.responseDeserialize(infer.responseSerialize(m));

/** Asserts `fn` throws INVALID_INPUT whose message contains every one of `parts`. */
function throwsInvalid(fn: () => unknown, ...parts: string[]): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof ServingError, `not a ServingError: ${String(err)}`);
    assert.equal(err.code, 'INVALID_INPUT');
    for (const p of parts) assert.ok(err.message.includes(p), `${JSON.stringify(err.message)} lacks ${JSON.stringify(p)}`);
    return true;
  });
}

function request(inputs: ModelInferRequest['inputs'], raw?: Uint8Array[]): ModelInferRequest__Output {
  return wireRequest({ model_name: 'm', inputs, ...(raw ? { raw_input_contents: raw } : {}) });
}

function le(bytes: number[]): Buffer {
  return Buffer.from(bytes);
}

describe('typed contents', () => {
  const cases: [Tensor['datatype'], ContentsField, unknown[], Tensor['data']][] = [
    ['BOOL', 'bool_contents', [true, false], Uint8Array.from([1, 0])],
    ['INT8', 'int_contents', [-128, 127], Int8Array.from([-128, 127])],
    ['INT16', 'int_contents', [-32768, 32767], Int16Array.from([-32768, 32767])],
    ['INT32', 'int_contents', [-2147483648, 7], Int32Array.from([-2147483648, 7])],
    ['INT64', 'int64_contents', ['-9223372036854775808', '9007199254740993'], BigInt64Array.from([-(2n ** 63n), 2n ** 53n + 1n])],
    ['UINT8', 'uint_contents', [0, 255], Uint8Array.from([0, 255])],
    ['UINT16', 'uint_contents', [0, 65535], Uint16Array.from([0, 65535])],
    ['UINT32', 'uint_contents', [0, 4294967295], Uint32Array.from([0, 4294967295])],
    ['UINT64', 'uint64_contents', ['18446744073709551615', '1'], BigUint64Array.from([2n ** 64n - 1n, 1n])],
    ['FP32', 'fp32_contents', [1.5, -0.25], Float32Array.from([1.5, -0.25])],
    ['FP64', 'fp64_contents', [0.1, -1e300], Float64Array.from([0.1, -1e300])],
    ['BYTES', 'bytes_contents', [Buffer.from('ab'), Buffer.alloc(0)], [new Uint8Array([97, 98]), new Uint8Array(0)]],
  ];
  for (const [datatype, field, values, data] of cases) {
    test(`${datatype} decodes from ${field} and encodes back to it`, () => {
      const req = decodeInferRequest(request([{ name: 'x', datatype, shape: [2], contents: { [field]: values } }]));
      assertTensorsEqual(req.inputs, [{ name: 'x', datatype, shape: [2], data }]);
      const out = encodeInferResponse({ modelName: 'm', id: '1', outputs: req.inputs }, { raw: false });
      const contents = out.outputs![0]!.contents!;
      assert.deepEqual(Object.keys(contents), [field]);
      assert.equal(out.raw_output_contents, undefined);
    });
  }

  test('scalar (shape []) holds one element; empty tensor (a 0 dim) none', () => {
    const req = decodeInferRequest(request([
      { name: 's', datatype: 'INT64', shape: [], contents: { int64_contents: ['-5'] } },
      { name: 'e', datatype: 'FP32', shape: [3, 0] },
      { name: 'h', datatype: 'FP16', shape: [0] },
    ]));
    assertTensorsEqual(req.inputs, [
      { name: 's', datatype: 'INT64', shape: [], data: BigInt64Array.from([-5n]) },
      { name: 'e', datatype: 'FP32', shape: [3, 0], data: new Float32Array(0) },
      { name: 'h', datatype: 'FP16', shape: [0], data: new Uint16Array(0) },
    ]);
  });

  test('values out of range for the datatype are rejected, naming field, value and range', () => {
    throwsInvalid(() => decodeInferRequest(request([{ name: 'x', datatype: 'INT8', shape: [2], contents: { int_contents: [1, 300] } }])),
      'inputs[0].contents.int_contents[1]', '300', '[-128, 127]');
    throwsInvalid(() => decodeInferRequest(request([{ name: 'x', datatype: 'UINT16', shape: [1], contents: { uint_contents: [70000] } }])),
      'uint_contents[0]', '70000', '[0, 65535]');
    throwsInvalid(() => decodeInferRequest({ ...request([]), inputs: [{ name: 'x', datatype: 'INT64', shape: ['1'], parameters: {}, contents: { ...request([]).inputs[0]?.contents, int64_contents: ['9223372036854775808'] } as never }] }),
      'int64_contents[0]', '9223372036854775808');
  });

  test('contents count must match the shape', () => {
    throwsInvalid(() => decodeInferRequest(request([{ name: 'x', datatype: 'FP32', shape: [2, 2], contents: { fp32_contents: [1, 2, 3] } }])),
      'inputs[0].contents.fp32_contents', '3 values', '4 values');
  });

  test('values in the wrong contents field are rejected', () => {
    throwsInvalid(() => decodeInferRequest(request([{ name: 'x', datatype: 'INT32', shape: [1], contents: { fp32_contents: [1] } }])),
      'inputs[0].contents.fp32_contents', 'int_contents');
  });

  test('FP16 has no typed contents: decode needs raw, encode switches to raw', () => {
    throwsInvalid(() => decodeInferRequest(request([{ name: 'h', datatype: 'FP16', shape: [1] }])), 'inputs[0].contents', 'raw_input_contents');
    const out = encodeInferResponse({ modelName: 'm', id: '', outputs: [
      { name: 'h', datatype: 'FP16', shape: [1], data: Uint16Array.from([0x3c00]) },
      { name: 'i', datatype: 'INT32', shape: [1], data: Int32Array.from([7]) },
    ] }, { raw: false });
    assert.equal(out.raw_output_contents?.length, 2);
    assert.ok(out.outputs!.every((o) => o.contents === undefined));
  });

  test('unknown datatype and bad shapes are rejected', () => {
    throwsInvalid(() => decodeInferRequest(request([{ name: 'x', datatype: 'FP8', shape: [1] }])), 'inputs[0].datatype', '"FP8"', 'one of BOOL');
    throwsInvalid(() => decodeInferRequest(request([{ name: 'x', datatype: 'FP32', shape: [-1] }])), 'inputs[0].shape[0]', '-1', 'non-negative');
  });
});

describe('raw contents', () => {
  test('decode into typed-array views of the message buffer, no copy when aligned', () => {
    const raw = new Uint8Array(new Float32Array([1, 2, 3, 4]).buffer);
    const msg = request([{ name: 'x', datatype: 'FP32', shape: [2, 2] }], [raw]);
    assert.ok(usesRawContents(msg));
    const req = decodeInferRequest(msg);
    const data = req.inputs[0]!.data as Float32Array;
    assert.deepEqual([...data], [1, 2, 3, 4]);
    const buf = msg.raw_input_contents[0]!;
    if (buf.byteOffset % 4 === 0) assert.equal(data.buffer, buf.buffer);
  });

  test('INT64 beyond 2^53 and UINT64 max are exact; FP16 bit patterns kept; BYTES length-prefixed', () => {
    const i64 = Buffer.alloc(8); i64.writeBigInt64LE(2n ** 53n + 1n);
    const u64 = Buffer.alloc(8); u64.writeBigUInt64LE(2n ** 64n - 1n);
    const bytes = le([2, 0, 0, 0, 104, 105, 0, 0, 0, 0]);
    const req = decodeInferRequest(request([
      { name: 'a', datatype: 'INT64', shape: [1] },
      { name: 'b', datatype: 'UINT64', shape: [] },
      { name: 'c', datatype: 'FP16', shape: [2] },
      { name: 'd', datatype: 'BYTES', shape: [2] },
    ], [i64, u64, le([0x00, 0x3c, 0x00, 0x7e]), bytes]));
    assertTensorsEqual(req.inputs, [
      { name: 'a', datatype: 'INT64', shape: [1], data: BigInt64Array.from([2n ** 53n + 1n]) },
      { name: 'b', datatype: 'UINT64', shape: [], data: BigUint64Array.from([2n ** 64n - 1n]) },
      { name: 'c', datatype: 'FP16', shape: [2], data: Uint16Array.from([0x3c00, 0x7e00]) },
      { name: 'd', datatype: 'BYTES', shape: [2], data: [new Uint8Array([104, 105]), new Uint8Array(0)] },
    ]);
    const out = encodeInferResponse({ modelName: 'm', id: 'x', outputs: req.inputs }, { raw: true });
    assert.deepEqual(out.raw_output_contents!.map((b) => Buffer.from(b).toString('hex')), [i64, u64, le([0x00, 0x3c, 0x00, 0x7e]), bytes].map((b) => b.toString('hex')));
  });

  test('buffer length must be shape × element size', () => {
    throwsInvalid(() => decodeInferRequest(request([{ name: 'x', datatype: 'INT32', shape: [3] }], [Buffer.alloc(8)])),
      'raw_input_contents[0]', '8 bytes', '12 bytes');
  });

  test('a BYTES length prefix overrunning the buffer is rejected', () => {
    throwsInvalid(() => decodeInferRequest(request([{ name: 's', datatype: 'BYTES', shape: [1] }], [le([9, 0, 0, 0, 1, 2])])),
      'raw_input_contents[0]', 'length prefix', '9', 'at most 2');
  });

  test('BOOL raw bytes other than 0/1 are rejected', () => {
    throwsInvalid(() => decodeInferRequest(request([{ name: 'b', datatype: 'BOOL', shape: [2] }], [le([1, 2])])), 'element 1', '2', '0 or 1');
  });

  test('raw and typed contents together are rejected', () => {
    throwsInvalid(() => decodeInferRequest(request([{ name: 'x', datatype: 'FP32', shape: [1], contents: { fp32_contents: [1] } }], [Buffer.alloc(4)])),
      'inputs[0].contents', 'raw_input_contents');
  });

  test('raw_input_contents count must equal inputs count', () => {
    throwsInvalid(() => decodeInferRequest(request([{ name: 'x', datatype: 'FP32', shape: [1] }, { name: 'y', datatype: 'FP32', shape: [1] }], [Buffer.alloc(4)])),
      'raw_input_contents', '1 buffers', '2 buffers');
  });
});

describe('parameters, ids, outputs', () => {
  test('every InferParameter kind decodes; int64/uint64 beyond 2^53 as BigInt', () => {
    const msg = wireRequest({
      model_name: 'm', model_version: '2', id: 'req-1', inputs: [],
      parameters: {
        b: { bool_param: false }, s: { string_param: '' }, d: { double_param: 0.5 },
        i: { int64_param: '-42' }, big: { int64_param: '-9007199254740993' }, u: { uint64_param: '18446744073709551615' },
      },
      outputs: [{ name: 'y', parameters: { binary_data: { bool_param: true } } }],
    });
    assert.deepEqual(decodeInferRequest(msg), {
      modelName: 'm', modelVersion: '2', id: 'req-1', inputs: [],
      parameters: { b: false, s: '', d: 0.5, i: -42, big: -9007199254740993n, u: 18446744073709551615n },
      outputs: [{ name: 'y', parameters: { binary_data: true } }],
    });
  });

  test('an InferParameter with nothing set is rejected', () => {
    throwsInvalid(() => decodeInferRequest(wireRequest({ model_name: 'm', parameters: { k: {} } })), 'parameters["k"]', 'one of bool_param');
  });

  test('a model output of the wrong array type is INFERENCE_FAILED, not bad input', () => {
    assert.throws(
      () => encodeInferResponse({ modelName: 'm', id: '', outputs: [{ name: 'y', datatype: 'FP32', shape: [1], data: Float64Array.from([1]) }] }, { raw: false }),
      (err: unknown) => err instanceof ServingError && err.code === 'INFERENCE_FAILED' && err.message.includes('outputs[0].data'),
    );
  });
});

describe('metadata', () => {
  test('model metadata round-trips, -1 dims kept', () => {
    const meta = { name: 'm', versions: ['1'], platform: 'onnx_onnxv1', inputs: [{ name: 'x', datatype: 'FP32' as const, shape: [-1, 3] }], outputs: [] };
    const method = service.ModelMetadata as MethodDefinition<object, object>;
    const wire = method.responseDeserialize(method.responseSerialize(encodeModelMetadata(meta)));
    assert.deepEqual(decodeModelMetadata(wire as never), meta);
  });

  test('repository index sends an absent version as ""', () => {
    assert.deepEqual(encodeRepositoryIndex([{ name: 'a', state: 'FAILED', reason: 'boom' }]), { models: [{ name: 'a', version: '', state: 'FAILED', reason: 'boom' }] });
  });
});

describe('properties', () => {
  const roundTripRequest = (req: InferRequest, raw: boolean) => decodeInferRequest(wireRequest(encodeInferRequest(req, { raw })));

  for (const raw of [false, true]) {
    test(`any valid request round-trips exactly through protobuf bytes (${raw ? 'raw' : 'typed'} contents)`, () => {
      fc.assert(fc.property(requestArb, (req) => {
        const got = roundTripRequest(req, raw);
        const { inputs: gi, ...gm } = got;
        const { inputs: wi, ...wm } = req;
        assert.deepEqual(gm, wm);
        assertTensorsEqual(gi, wi);
      }), { numRuns: 300 });
    });

    test(`any valid response round-trips exactly through protobuf bytes (${raw ? 'raw' : 'typed'} contents)`, () => {
      fc.assert(fc.property(responseArb, (res) => {
        const got = decodeInferResponse(wireResponse(encodeInferResponse(res, { raw })));
        const { outputs: go, ...gm } = got;
        const { outputs: wo, ...wm } = res;
        assert.deepEqual(gm, wm);
        assertTensorsEqual(go, wo);
      }), { numRuns: 300 });
    });
  }

  /** Decoding either succeeds or throws INVALID_INPUT; returns whether it threw. */
  function decodeOrInvalid(msg: ModelInferRequest__Output): boolean {
    try {
      decodeInferRequest(msg);
      return false;
    } catch (err) {
      assert.ok(err instanceof ServingError, `not a ServingError: ${String(err)}`);
      assert.equal(err.code, 'INVALID_INPUT');
      return true;
    }
  }

  const rawRequestArb = fc.array(tensorArb(), { minLength: 1, maxLength: 4 }).map((inputs) => wireRequest(encodeInferRequest({ modelName: 'm', inputs }, { raw: true })));

  test('a truncated or extended raw buffer is always INVALID_INPUT', () => {
    fc.assert(fc.property(rawRequestArb, fc.nat(), fc.integer({ min: -8, max: 8 }).filter((d) => d !== 0), (msg, pick, delta) => {
      const i = pick % msg.raw_input_contents.length;
      const buf = msg.raw_input_contents[i]!;
      fc.pre(buf.byteLength + delta >= 0);
      const changed = delta < 0 ? buf.subarray(0, buf.byteLength + delta) : Buffer.concat([buf, Buffer.alloc(delta, 0xab)]);
      const raws = msg.raw_input_contents.map((b, j) => (j === i ? changed : b));
      assert.ok(decodeOrInvalid({ ...msg, raw_input_contents: raws }));
    }), { numRuns: 300 });
  });

  test('flipped bytes, changed shapes or a wrong buffer count never crash: decode or INVALID_INPUT', () => {
    fc.assert(fc.property(rawRequestArb, fc.nat(), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }), fc.integer({ min: 0, max: 3 }),
      (msg, pick, flips, mode) => {
        const i = pick % msg.raw_input_contents.length;
        const buf = Buffer.from(msg.raw_input_contents[i]!);
        for (const [pos, val] of flips) if (buf.length > 0) buf[pos % buf.length] = val;
        const raws = msg.raw_input_contents.map((b, j) => (j === i ? buf : b));
        const inputs = msg.inputs.map((t, j) => (j === i && mode === 1 ? { ...t, shape: [...t.shape, String(flips[0]![1] % 4)] } : t));
        if (mode === 2) raws.pop();
        if (mode === 3) raws.push(Buffer.alloc(1));
        const threw = decodeOrInvalid({ ...msg, inputs, raw_input_contents: raws });
        // a buffer count that is neither 0 (typed contents) nor the input count is always rejected
        if (raws.length > 0 && raws.length !== inputs.length) assert.ok(threw);
      }), { numRuns: 500 });
  });

  test('mutated protobuf bytes: protobuf rejects them or decode succeeds or is INVALID_INPUT', () => {
    fc.assert(fc.property(rawRequestArb, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }), fc.nat(), (msg, flips, cut) => {
      const bytes = Buffer.from(infer.requestSerialize(msg as ModelInferRequest));
      for (const [pos, val] of flips) bytes[pos % bytes.length] = val;
      let parsed: ModelInferRequest__Output;
      try {
        parsed = infer.requestDeserialize(bytes.subarray(0, bytes.length - (cut % 3)));
      } catch {
        return; // the server answers these INVALID_ARGUMENT before the codec runs
      }
      decodeOrInvalid(parsed);
    }), { numRuns: 500 });
  });
});
