/**
 * The hand-written ModelInferRequest decoder against proto-loader's (the contract the codec is
 * written against): any message protobufjs encodes decodes to a deep-equal object, packed or
 * unpacked, with unknown fields of every wire type (groups included) anywhere.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import fc from 'fast-check';
import { type MethodDefinition, type ServiceDefinition, loadSync } from '@grpc/proto-loader';
import { decodeInferRequest, encodeInferRequest } from './codec.ts';
import { decodeModelInferRequest } from './infer-wire.ts';
import { INFERENCE_SERVICE, PROTO_LOADER_OPTIONS, loadInferenceProto, protoPath } from './proto.ts';
import { requestArb } from './testing/arbitraries.ts';
import { extraFieldsArb, requestObjectArb } from './testing/wire-arbitraries.ts';
import { WireWriter, fieldBoundaries, w } from './testing/wire-writer.ts';

type Method = MethodDefinition<object, object, object, object>;
const methodOf = (def: ReturnType<typeof loadSync>): Method => (def[INFERENCE_SERVICE] as ServiceDefinition).ModelInfer as Method;
const infer = methodOf(loadInferenceProto());

/** The proto with `edit` applied, loaded with the same options (variants of the schema). */
const tmp = mkdtempSync(join(tmpdir(), 'kserve-infer-wire-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
function variant(name: string, edit: (proto: string) => string): Method {
  const file = join(tmp, `${name}.proto`);
  writeFileSync(file, edit(readFileSync(protoPath(), 'utf8')));
  return methodOf(loadSync(file, { ...PROTO_LOADER_OPTIONS }));
}

/** Asserts the hand decoder and proto-loader agree on `bytes`. */
function agree(bytes: Buffer): void {
  assert.deepStrictEqual(decodeModelInferRequest(bytes), infer.requestDeserialize(bytes));
}

describe('decodeModelInferRequest equals proto-loader', () => {
  test('any message protobufjs encodes', () => {
    fc.assert(fc.property(requestObjectArb(), (obj) => agree(infer.requestSerialize(obj))), { numRuns: 400 });
  });

  test('any request the codec encodes (raw or typed), and the codec reads it back the same', () => {
    fc.assert(
      fc.property(requestArb, fc.boolean(), (req, raw) => {
        const bytes = infer.requestSerialize(encodeInferRequest(req, { raw }));
        agree(bytes);
        assert.deepStrictEqual(decodeInferRequest(decodeModelInferRequest(bytes)), decodeInferRequest(infer.requestDeserialize(bytes) as never));
      }),
      { numRuns: 200 },
    );
  });

  test('repeated scalars sent unpacked (one tag per value), as proto2 writers do', () => {
    const unpacked = variant('unpacked', (p) => p.replace(/(repeated (?:bool|int32|int64|uint32|uint64|float|double) \w+ = \d+);/g, '$1 [packed = false];'));
    fc.assert(
      fc.property(requestObjectArb(), (obj) => {
        const bytes = unpacked.requestSerialize(obj);
        agree(bytes);
        assert.deepStrictEqual(decodeModelInferRequest(bytes), decodeModelInferRequest(infer.requestSerialize(obj)));
      }),
      { numRuns: 200 },
    );
  });

  test('unknown fields of every wire type in every message (a newer schema) are skipped', () => {
    const extras = 'fixed64 x_f64 = 90; sfixed32 x_f32 = 91; bytes x_len = 92; sint64 x_var = 93; InferParameter x_msg = 94;';
    const messages = /(message (?:ModelInferRequest|InferInputTensor|InferRequestedOutputTensor|InferParameter|InferTensorContents) \{)/g;
    const extended = variant('extended', (p) => p.replace(messages, `$1 ${extras}`));
    fc.assert(
      fc.property(requestObjectArb(extraFieldsArb), (obj) => {
        const bytes = extended.requestSerialize(obj);
        agree(bytes);
        // the same message without the extra fields
        const plain = infer.requestDeserialize(infer.requestSerialize(obj));
        assert.deepStrictEqual(decodeModelInferRequest(bytes), plain);
      }),
      { numRuns: 200 },
    );
  });
});

/** A random unknown field (number ≥ 8, unknown to ModelInferRequest): any wire type, groups nested. */
const unknownFieldArb: fc.Arbitrary<WireWriter> = fc.letrec<{ field: WireWriter }>((tie) => ({
  field: fc.oneof(
    { maxDepth: 3 },
    fc.tuple(fc.integer({ min: 8, max: 1 << 20 }), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n })).map(([n, v]) => w().varintField(n, v)),
    fc.tuple(fc.integer({ min: 8, max: 1000 }), fc.double()).map(([n, v]) => w().fixed64Field(n, v)),
    fc.tuple(fc.integer({ min: 8, max: 1000 }), fc.float()).map(([n, v]) => w().fixed32Field(n, v)),
    fc.tuple(fc.integer({ min: 8, max: 1000 }), fc.uint8Array({ maxLength: 12 })).map(([n, v]) => w().bytesField(n, v)),
    fc.tuple(fc.integer({ min: 8, max: 1000 }), fc.array(tie('field'), { maxLength: 3 })).map(([n, body]) => {
      const inner = w();
      for (const f of body) inner.raw(f.bytes());
      return w().groupField(n, inner);
    }),
  ),
})).field;

describe('unknown top-level fields between known ones', () => {
  test('are skipped, groups included', () => {
    fc.assert(
      fc.property(requestObjectArb(), fc.array(fc.tuple(fc.nat(), unknownFieldArb), { minLength: 1, maxLength: 4 }), (obj, inserts) => {
        const bytes = infer.requestSerialize(obj);
        const cuts = fieldBoundaries(bytes);
        const chunks: Buffer[] = [];
        let from = 0;
        for (const at of [...inserts].map(([i, f]) => [cuts[i % cuts.length]!, f] as const).sort((a, b) => a[0] - b[0])) {
          chunks.push(bytes.subarray(from, at[0]), at[1].bytes());
          from = at[0];
        }
        chunks.push(bytes.subarray(from));
        assert.deepStrictEqual(decodeModelInferRequest(Buffer.concat(chunks)), infer.requestDeserialize(bytes));
      }),
      { numRuns: 200 },
    );
  });
});

describe('details proto-loader shares', () => {
  test('a map key "__proto__" is an own property, not the prototype', () => {
    const entry = w().stringField(1, '__proto__').messageField(2, w().stringField(3, 'v'));
    const msg = decodeModelInferRequest(w().messageField(4, entry).bytes());
    assert.deepStrictEqual(Object.keys(msg.parameters), ['__proto__']);
    assert.equal(Object.getPrototypeOf(msg.parameters), Object.prototype);
    assert.deepStrictEqual(msg.parameters.__proto__, { string_param: 'v', parameter_choice: 'string_param' });
  });

  test('64-bit integers at the edges of their ranges, as decimal strings', () => {
    const edges = [0n, 1n, -1n, 2n ** 31n, -(2n ** 31n), 2n ** 32n, 2n ** 53n + 1n, -(2n ** 53n) - 1n, 2n ** 63n - 1n, -(2n ** 63n)];
    agree(infer.requestSerialize({ inputs: [{ shape: edges.map(String), contents: { int64_contents: edges.map(String), uint64_contents: ['0', '4294967295', '4294967296', String(2n ** 64n - 1n)] } }] }));
  });
});

describe('where the decoder follows the protobuf spec rather than protobufjs', () => {
  test('a oneof keeps the member that came last on the wire', () => {
    const entry = w().stringField(1, 'k').messageField(2, w().varintField(2, 7).varintField(1, 1));
    assert.deepStrictEqual(decodeModelInferRequest(w().messageField(4, entry).bytes()).parameters, { k: { bool_param: true, parameter_choice: 'bool_param' } });
  });

  test('a map entry without a value gets an empty InferParameter (the codec then rejects it)', () => {
    assert.deepStrictEqual(decodeModelInferRequest(w().messageField(4, w().stringField(1, 'k')).bytes()).parameters, { k: {} });
  });

  test('bool is true for any non-zero varint, also beyond 32 bits', () => {
    const contents = w().varintField(1, 2n ** 40n).varintField(1, 0);
    const msg = decodeModelInferRequest(w().messageField(5, w().messageField(5, contents)).bytes());
    assert.deepStrictEqual(msg.inputs[0]!.contents!.bool_contents, [true, false]);
  });
});
