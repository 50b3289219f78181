/**
 * The hand-written ModelInferRequest decoder on malformed bytes: every failure is one INVALID_INPUT
 * ("malformed protobuf in <field> at byte <n>: <what>"), never another exception, a hang or an
 * out-of-range read; and the in-place realignment of raw contents when it owns the buffer.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import type { MethodDefinition, ServiceDefinition } from '@grpc/proto-loader';
import { ServingError } from '../../core/errors.ts';
import { isDetachable } from '../detachable.ts';
import { decodeInferRequest } from './codec.ts';
import { decodeModelInferRequest } from './infer-wire.ts';
import { INFERENCE_SERVICE, loadInferenceProto } from './proto.ts';
import { requestObjectArb } from './testing/wire-arbitraries.ts';
import { w } from './testing/wire-writer.ts';
import { END_GROUP, FIXED32, START_GROUP, isWireError } from './wire-reader.ts';

const infer = (loadInferenceProto()[INFERENCE_SERVICE] as ServiceDefinition).ModelInfer as MethodDefinition<object, object, object, object>;

/** Asserts decoding `bytes` fails with a wire error whose message contains every one of `parts`. */
function malformed(bytes: Uint8Array, ...parts: string[]): void {
  assert.throws(
    () => decodeModelInferRequest(bytes),
    (err: unknown) => {
      assert.ok(isWireError(err), `not a wire error: ${String(err)}`);
      assert.equal(err.code, 'INVALID_INPUT');
      for (const p of parts) assert.ok(err.message.includes(p), `${JSON.stringify(err.message)} lacks ${JSON.stringify(p)}`);
      return true;
    },
  );
}

describe('malformed bytes name what is wrong', () => {
  test('truncated varints and lengths past the end', () => {
    malformed(Buffer.from([0x0a, 0xff, 0xff]), 'model_name', 'varint runs past the end', 'byte 1');
    malformed(Buffer.from([0x0a, 0x05, 0x61]), 'model_name', 'length 5 runs past the end', '1 bytes left');
    malformed(w().messageField(5, w().stringField(1, 'x')).bytes().subarray(0, 4), 'inputs[0]', 'runs past the end');
    malformed(Buffer.from([0x3a, 0x80]), 'raw_input_contents', 'varint runs past the end');
    malformed(Buffer.from([0x3a, 0xff, 0xff, 0xff, 0xff, 0x7f]), 'raw_input_contents', 'over 2^32');
  });

  test('a submessage whose last field runs past its own length, though not past the message', () => {
    const contents = w().tag(6, FIXED32).raw([0, 0]).bytes(); // a 4-byte float with 2 bytes
    const input = w().bytesField(5, contents).bytes();
    malformed(Buffer.concat([w().bytesField(5, input).bytes(), Buffer.alloc(8)]), 'inputs[0].contents', '4-byte value runs past the end');
  });

  test('a known field with another wire type', () => {
    malformed(w().varintField(1, 1).bytes(), 'ModelInferRequest.model_name', 'wire type varint, expected length-delimited');
    malformed(w().messageField(5, w().fixed64Field(3, 1)).bytes(), 'inputs[0].shape', 'fixed64');
    malformed(w().messageField(5, w().messageField(5, w().varintField(6, 1))).bytes(), 'fp32_contents', 'wire type varint, expected fixed32 or a packed run');
    malformed(w().messageField(5, w().messageField(5, w().varintField(8, 1))).bytes(), 'bytes_contents', 'expected length-delimited');
    malformed(w().messageField(4, w().stringField(1, 'k').messageField(2, w().stringField(4, 'x'))).bytes(), 'parameters value.double_param', 'expected fixed64');
  });

  test('field number 0, wire types 6 and 7, a stray end-group', () => {
    malformed(Buffer.from([0x00, 0x00]), 'field number 0');
    malformed(Buffer.from([0x0e]), 'wire type 6');
    malformed(Buffer.from([0x47]), 'wire type 7');
    malformed(Buffer.from([0x4c]), 'wire type 4');
  });

  test('groups: unmatched end, no end, too deep; 64 levels are fine', () => {
    malformed(w().tag(9, START_GROUP).tag(10, END_GROUP).bytes(), 'end of group 10 without its start');
    malformed(w().tag(9, START_GROUP).varintField(1, 1).bytes(), 'group of field 9 has no end');
    const nest = (depth: number): Buffer => {
      const open = Buffer.from(Array.from({ length: depth }, () => 9 * 8 + START_GROUP));
      return Buffer.concat([open, Buffer.from(Array.from({ length: depth }, () => 9 * 8 + END_GROUP))]);
    };
    assert.deepStrictEqual(decodeModelInferRequest(Buffer.concat([nest(64), w().stringField(1, 'm').bytes()])).model_name, 'm');
    malformed(nest(65), 'groups nested deeper than 64');
  });

  test('a varint longer than 10 bytes; a packed float run that is not whole floats', () => {
    malformed(Buffer.from([0x48, ...Array<number>(10).fill(0x80), 0x01]), 'varint longer than 10 bytes');
    const contents = w().bytesField(6, [0, 0, 0, 0, 0, 0]);
    malformed(w().messageField(5, w().messageField(5, contents)).bytes(), 'fp32_contents', 'packed run of 6 bytes', '4-byte values');
  });
});

type Mutation = { at: number } & ({ kind: 'set'; value: number } | { kind: 'truncate' } | { kind: 'insert'; bytes: Uint8Array } | { kind: 'delete'; n: number });
const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 6 }) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), n: fc.integer({ min: 1, max: 6 }) }),
);

function mutate(bytes: Buffer, ms: readonly Mutation[]): Buffer {
  let b = bytes;
  for (const m of ms) {
    const at = b.length === 0 ? 0 : m.at % (b.length + 1);
    if (m.kind === 'set' && at < b.length) (b = Buffer.from(b))[at] = m.value;
    else if (m.kind === 'truncate') b = b.subarray(0, at);
    else if (m.kind === 'insert') b = Buffer.concat([b.subarray(0, at), m.bytes, b.subarray(at)]);
    else if (m.kind === 'delete') b = Buffer.concat([b.subarray(0, at), b.subarray(at + m.n)]);
  }
  return b;
}

describe('random mutations of valid messages', () => {
  test('decode or fail with a wire error, quickly; what decodes, the codec takes or rejects with INVALID_INPUT', { timeout: 120_000 }, () => {
    fc.assert(
      fc.property(requestObjectArb(), fc.array(mutationArb, { minLength: 1, maxLength: 3 }), fc.boolean(), (obj, ms, owns) => {
        const bytes = mutate(infer.requestSerialize(obj), ms);
        const t0 = performance.now();
        let msg;
        try {
          msg = decodeModelInferRequest(Buffer.from(bytes), { ownsBuffer: owns });
        } catch (err) {
          assert.ok(isWireError(err), `not a wire error: ${String(err)}`);
          return;
        } finally {
          assert.ok(performance.now() - t0 < 1000, 'decoding took over a second');
        }
        try {
          decodeInferRequest(msg);
        } catch (err) {
          assert.ok(err instanceof ServingError && err.code === 'INVALID_INPUT', `codec threw ${String(err)}`);
        }
      }),
      { numRuns: 5000 },
    );
  });
});

describe('ownsBuffer: raw contents are realigned in place, the buffer marked detachable', () => {
  /** A message in a fresh ArrayBuffer at `pad` bytes in, raw contents of `input` (datatype, bytes). */
  function message(modelName: string, datatype: string, raw: Uint8Array, pad: number): Buffer {
    const body = w().stringField(1, modelName).messageField(5, w().stringField(1, 'x').stringField(2, datatype)).bytesField(7, raw).bytes();
    const ab = new ArrayBuffer(pad + body.length);
    const buf = Buffer.from(ab, pad, body.length);
    body.copy(buf);
    return buf;
  }
  const data = Float64Array.from({ length: 300 }, (_, i) => i * 1.5);
  const raw = new Uint8Array(data.buffer);

  for (const [datatype, name, want] of [['FP32', 'resnet50', 4], ['FP64', 'gap', 8], ['FP64', 'resnet', 4], ['INT16', 'abc', 2]] as const) {
    test(`${datatype} after model name ${JSON.stringify(name)} ends up ${want}-byte aligned, bytes intact`, () => {
      const buf = message(name, datatype, raw, 5);
      const msg = decodeModelInferRequest(buf, { ownsBuffer: true });
      const got = msg.raw_input_contents[0]!;
      assert.equal(got.byteOffset % want, 0, `offset ${got.byteOffset}`);
      assert.ok(Buffer.from(raw).equals(got));
      assert.equal(got.buffer, buf.buffer);
      assert.ok(isDetachable(buf.buffer));
      assert.deepStrictEqual(msg.inputs[0]!.datatype, datatype);
    });
  }

  test('BYTES contents, and any contents without ownsBuffer, are left where they are', () => {
    for (const [datatype, owns] of [['BYTES', true], ['FP32', false]] as const) {
      const buf = message('resnet50', datatype, raw, 5);
      const before = Buffer.from(buf);
      const got = decodeModelInferRequest(buf, { ownsBuffer: owns }).raw_input_contents[0]!;
      assert.equal(got.byteOffset, 5 + before.indexOf(Buffer.from(raw)));
      assert.ok(before.equals(buf), 'buffer unchanged');
      assert.equal(isDetachable(buf.buffer), owns);
    }
  });
});
