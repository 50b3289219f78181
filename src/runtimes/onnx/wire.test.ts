/**
 * The pieces between the model and its workers: typed-array encoding for postMessage (copy vs
 * transfer), packed BYTES, load-time signature checks, ORT ↔ OIP type names, and the ModelProto
 * signature reader.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { DATATYPES } from '../../protocol/datatype.ts';
import { markDetachable } from '../../protocol/detachable.ts';
import { isServableOrtType, oipDatatypeOf, onnxTypeName, ortTypeOf } from './datatypes.ts';
import { checkSignature } from './metadata.ts';
import { readGraphSignature } from './model-proto.ts';
import { onnxFixturesDir } from './testing/cases.ts';
import { encodeNumeric, packBytes, packStrings, unpackBytes, unpackStrings } from './wire.ts';

describe('encodeNumeric', () => {
  test('a small array owning its buffer is cloned, not transferred', () => {
    const a = new Float32Array(4);
    const transfer: ArrayBuffer[] = [];
    assert.equal(encodeNumeric(a, transfer, 1024), a);
    assert.deepEqual(transfer, []);
  });

  test('a large array owning its buffer is transferred', () => {
    const a = new Float32Array(1024);
    const transfer: ArrayBuffer[] = [];
    assert.equal(encodeNumeric(a, transfer, 1024), a);
    assert.deepEqual(transfer, [a.buffer]);
  });

  test('a view into a bigger buffer is copied into its own buffer (then transferred)', () => {
    const big = new Float32Array(1 << 16).fill(7);
    const view = big.subarray(10, 14);
    const transfer: ArrayBuffer[] = [];
    const out = encodeNumeric(view, transfer, Number.POSITIVE_INFINITY);
    assert.notEqual(out.buffer, big.buffer);
    assert.equal(out.buffer.byteLength, 16);
    assert.deepEqual(Array.from(out as Float32Array), [7, 7, 7, 7]);
    assert.deepEqual(transfer, [out.buffer]);
  });

  test('a Node Buffer from the shared pool is copied, never transferred', () => {
    const b = Buffer.from([1, 2, 3]);
    const u8 = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    const transfer: ArrayBuffer[] = [];
    const out = encodeNumeric(u8, transfer, 0);
    assert.notEqual(out.buffer, b.buffer);
    assert.equal(b.buffer.byteLength > 3, true);
  });

  test('a view into a buffer marked detachable (a gRPC message) moves the whole buffer when large enough', () => {
    const message = new ArrayBuffer(4096 + 36);
    markDetachable(message);
    const view = new Float32Array(message, 36, 1024);
    const transfer: ArrayBuffer[] = [];
    assert.equal(encodeNumeric(view, transfer, 4096), view);
    assert.deepEqual(transfer, [message]);
    const small: ArrayBuffer[] = [];
    const copy = encodeNumeric(view, small, 4097);
    assert.notEqual(copy.buffer, message, 'below transferMinBytes it is copied, so small requests keep their arrays');
    assert.deepEqual(small, [copy.buffer]);
  });

  test('a SharedArrayBuffer is neither copied nor transferred', () => {
    const a = new Int32Array(new SharedArrayBuffer(1 << 20));
    const transfer: ArrayBuffer[] = [];
    assert.equal(encodeNumeric(a, transfer, 0), a);
    assert.deepEqual(transfer, []);
  });
});

describe('packed BYTES', () => {
  test('round-trips byte strings, empty ones included, into one transferred buffer', () => {
    const items = [Uint8Array.of(), Uint8Array.of(0, 255), Buffer.from('héllo'), Uint8Array.of()];
    const transfer: ArrayBuffer[] = [];
    const packed = packBytes(items, transfer);
    assert.deepEqual(Array.from(packed.offsets), [0, 0, 2, 8, 8]);
    assert.deepEqual(transfer, [packed.bytes.buffer, packed.offsets.buffer]);
    assert.deepEqual(unpackBytes(packed).map((b) => Array.from(b)), items.map((b) => Array.from(b)));
    assert.deepEqual(unpackBytes(packBytes([], [])), []);
  });

  test('strings travel as UTF-8', () => {
    const s = ['', 'a', '日本語', '🙂'];
    assert.deepEqual(unpackStrings(packStrings(s, [])), s);
  });
});

describe('ORT ↔ OIP types', () => {
  test('every OIP datatype has an ORT element type and back', () => {
    for (const dt of DATATYPES) assert.equal(oipDatatypeOf(ortTypeOf(dt)), dt);
    assert.equal(ortTypeOf('BYTES'), 'string');
    assert.equal(ortTypeOf('FP16'), 'float16');
    for (const t of ['int4', 'uint4', 'bfloat16', 'float8e4m3fn', '']) assert.equal(isServableOrtType(t), false);
    assert.equal(onnxTypeName(16), 'bfloat16');
    assert.equal(onnxTypeName(99), 'type 99');
  });
});

describe('checkSignature', () => {
  test('maps types and turns symbolic dims into -1', () => {
    const sig = checkSignature('m', [
      { name: 'a', isTensor: true, type: 'float32', shape: ['batch', 3, ''] },
      { name: 'sr', isTensor: true, type: 'int64', shape: [] },
    ], [{ name: 'y', isTensor: true, type: 'bool', shape: [0, 2] }]);
    assert.deepEqual(sig.inputs, [
      { name: 'a', datatype: 'FP32', shape: [-1, 3, -1], ortType: 'float32' },
      { name: 'sr', datatype: 'INT64', shape: [], ortType: 'int64' },
    ]);
    assert.deepEqual(sig.outputs, [{ name: 'y', datatype: 'BOOL', shape: [0, 2], ortType: 'bool' }]);
  });

  test('lists every problem at once', () => {
    assert.throws(() => checkSignature('m', [
      { name: 'q', isTensor: true, type: 'uint4', shape: [2] },
      { name: 'seq', isTensor: false },
    ], [
      { name: 'y', isTensor: true, type: 'int4', shape: [2] },
      { name: 'm', isTensor: false },
    ]), (err: Error) => {
      assert.match(err.message, /^Model m failed to load: input "q" has element type uint4, .*; input "seq" is not a tensor .*; output "y" has element type int4/);
      return true;
    });
  });

  test('non-tensor outputs are skipped; none left fails the load', () => {
    const sig = checkSignature('m', [], [{ name: 'map', isTensor: false }, { name: 'y', isTensor: true, type: 'string', shape: [-1] }]);
    assert.deepEqual(sig.skippedOutputs, ['map']);
    assert.deepEqual(sig.outputs.map((o) => o.datatype), ['BYTES']);
    assert.throws(() => checkSignature('m', [], [{ name: 'a', isTensor: false }, { name: 'b', isTensor: false }]), /"a", "b" are sequences, maps or optional values/);
  });
});

test('readGraphSignature reads input/output element types from the model bytes', async () => {
  const dir = join(onnxFixturesDir(process.env.KSERVE_TS_ONNX_FIXTURES), 'expected-failures');
  const bf16 = readGraphSignature(await readFile(join(dir, 'load_error_bfloat16__test_cast_FLOAT_to_BFLOAT16/model.onnx')));
  assert.deepEqual(bf16, { inputs: [{ name: 'input', kind: 'tensor', elemType: 1 }], outputs: [{ name: 'output', kind: 'tensor', elemType: 16 }] });
  const seq = readGraphSignature(await readFile(join(dir, 'unsupported_io_sequence__test_identity_sequence/model.onnx')));
  assert.deepEqual(seq.inputs.map((v) => v.kind), ['sequence']);
});
