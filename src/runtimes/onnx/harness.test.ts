/**
 * The conformance harness itself (testing/): the TensorProto reader against hand-built messages
 * in every encoding ONNX uses, the comparison rules, and the case loader for both layouts,
 * including an upstream-style `light` folder whose inputs are synthesized.
 */
import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { Tensor } from '../../protocol/tensor.ts';
import { OnnxModel } from './onnx-model.ts';
import { WireType } from './proto-wire.ts';
import { listCases, loadDataset, onnxFixturesDir, rampFloat32 } from './testing/cases.ts';
import { compareOutputs, compareTensor } from './testing/compare.ts';
import { type Field, textField, varint, writeFields } from './testing/proto-edit.ts';
import { readTensorProto, readTensorProtoFile } from './testing/tensor-proto.ts';

const fixtures = onnxFixturesDir(process.env.KSERVE_TS_ONNX_FIXTURES);

const vint = (no: number, n: number): Field => ({ no, wt: WireType.Varint, value: varint(n) });
/** A 10-byte two's complement varint, as protobuf writes negative int32/int64 values. */
function negVarint(no: number, n: bigint): Field {
  let v = BigInt.asUintN(64, n);
  const out: number[] = [];
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return { no, wt: WireType.Varint, value: Uint8Array.from(out) };
}
const packed = (no: number, bytes: Uint8Array): Field => ({ no, wt: WireType.Bytes, value: bytes });
const f32le = (xs: number[]): Uint8Array => new Uint8Array(Float32Array.from(xs).buffer);
const tensorProto = (...fields: Field[]): Uint8Array => writeFields(fields);

describe('readTensorProto', () => {
  test('float_data, packed and unpacked, with dims and name', () => {
    const p = readTensorProto(tensorProto(vint(1, 2), vint(1, 2), vint(2, 1), textField(8, 'x'), packed(4, f32le([1, 2.5, -3, 0]))));
    assert.deepEqual(p, { name: 'x', datatype: 'FP32', shape: [2, 2], data: Float32Array.of(1, 2.5, -3, 0) });
    const u = readTensorProto(tensorProto(vint(1, 2), vint(2, 1), { no: 4, wt: WireType.Fixed32, value: f32le([7]) }, { no: 4, wt: WireType.Fixed32, value: f32le([8]) }));
    assert.deepEqual(u.data, Float32Array.of(7, 8));
  });

  test('int32_data holds INT8 (negative: 10-byte varints), BOOL and FP16 bit patterns', () => {
    const i8 = readTensorProto(tensorProto(vint(1, 2), vint(2, 3), negVarint(5, -128n), vint(5, 127)));
    assert.deepEqual(i8.data, Int8Array.of(-128, 127));
    const b = readTensorProto(tensorProto(vint(1, 3), vint(2, 9), packed(5, Uint8Array.of(1, 0, 1))));
    assert.deepEqual(b, { name: '', datatype: 'BOOL', shape: [3], data: Uint8Array.of(1, 0, 1) });
    const h = readTensorProto(tensorProto(vint(1, 1), vint(2, 10), packed(5, varint(0x3c00))));
    assert.deepEqual(h.data, Uint16Array.of(0x3c00));
  });

  test('int64_data, uint64_data (UINT32 and UINT64) and double_data', () => {
    const i64 = readTensorProto(tensorProto(vint(1, 2), vint(2, 7), negVarint(7, -9223372036854775808n), vint(7, 5)));
    assert.deepEqual(i64.data, BigInt64Array.of(-9223372036854775808n, 5n));
    const u64 = readTensorProto(tensorProto(vint(1, 1), vint(2, 13), negVarint(11, 18446744073709551615n)));
    assert.deepEqual(u64.data, BigUint64Array.of(18446744073709551615n));
    const u32 = readTensorProto(tensorProto(vint(1, 1), vint(2, 12), vint(11, 4294967295)));
    assert.deepEqual(u32.data, Uint32Array.of(4294967295));
    const d = readTensorProto(tensorProto(vint(1, 2), vint(2, 11), packed(10, new Uint8Array(Float64Array.of(0.1, -1e300).buffer))));
    assert.deepEqual(d.data, Float64Array.of(0.1, -1e300));
  });

  test('raw_data (little-endian; copied even when misaligned in the message), scalars, strings', () => {
    const raw = readTensorProto(tensorProto(vint(2, 10), textField(8, 'odd'), packed(9, new Uint8Array(Uint16Array.of(0x7e00).buffer))));
    assert.deepEqual(raw, { name: 'odd', datatype: 'FP16', shape: [], data: Uint16Array.of(0x7e00) });
    const s = readTensorProto(tensorProto(vint(1, 2), vint(2, 8), textField(6, 'héllo'), textField(6, '')));
    assert.deepEqual((s.data as Uint8Array[]).map((b) => Buffer.from(b).toString()), ['héllo', '']);
    const empty = readTensorProto(tensorProto(vint(1, 0), vint(1, 3), vint(2, 1)));
    assert.deepEqual(empty, { name: '', datatype: 'FP32', shape: [0, 3], data: new Float32Array(0) });
  });

  test('refuses what it cannot represent, saying why', () => {
    assert.throws(() => readTensorProto(tensorProto(vint(1, 1), vint(2, 16), packed(9, Uint8Array.of(0, 0)))), /data_type 16 \(bfloat16\) has no Open Inference Protocol datatype/);
    assert.throws(() => readTensorProto(tensorProto(vint(1, 3), vint(2, 1), packed(4, f32le([1])))), /1 elements, expected 3/);
    assert.throws(() => readTensorProto(tensorProto(vint(1, 2), vint(2, 1), packed(9, Uint8Array.of(1, 2, 3)))), /raw_data has 3 bytes, expected 8/);
    assert.throws(() => readTensorProto(tensorProto(vint(1, 1), vint(2, 1), vint(14, 1))), /external data is not supported/);
    assert.throws(() => readTensorProto(Uint8Array.of(0x0a, 0x05, 1)), /runs past the end/);
  });
});

describe('compare', () => {
  const fp32 = (data: number[], name = 'y', shape = [data.length]): Tensor => ({ name, datatype: 'FP32', shape, data: Float32Array.from(data) });

  test('floats: |e - a| <= atol + rtol·|e| (the worked example), NaN equals NaN, infinities exactly', () => {
    assert.equal(compareTensor(fp32([2]), fp32([2.0019])), undefined);
    assert.match(compareTensor(fp32([2]), fp32([2.0021])) ?? '', /^y: 1 of 1 elements differ \(rtol 0.001, atol 1e-7\): \[0\] 2.002/);
    assert.equal(compareTensor(fp32([Number.NaN, Number.POSITIVE_INFINITY]), fp32([Number.NaN, Number.POSITIVE_INFINITY])), undefined);
    assert.ok(compareTensor(fp32([Number.NaN]), fp32([0])));
    assert.ok(compareTensor(fp32([Number.POSITIVE_INFINITY]), fp32([1e38])));
    const h = (bits: number): Tensor => ({ name: 'h', datatype: 'FP16', shape: [1], data: Uint16Array.of(bits) });
    assert.equal(compareTensor(h(0x3c00), h(0x3c00)), undefined);
    assert.equal(compareTensor(h(0x3c00), h(0x3c01)), undefined, '1 vs 1.000977: within 1e-7 + 1e-3');
    assert.ok(compareTensor(h(0x3c00), h(0x3c02)), '1 vs 1.001953: beyond');
  });

  test('integers, BOOL and BYTES must be equal; datatype and shape must match', () => {
    const i64 = (v: bigint[]): Tensor => ({ name: 'i', datatype: 'INT64', shape: [v.length], data: BigInt64Array.from(v) });
    assert.equal(compareTensor(i64([1n, 2n]), i64([1n, 2n])), undefined);
    assert.match(compareTensor(i64([1n, 2n]), i64([1n, 3n])) ?? '', /\[1\] 3 \(expected 2\)/);
    const by = (s: string[]): Tensor => ({ name: 's', datatype: 'BYTES', shape: [s.length], data: s.map((x) => Buffer.from(x)) });
    assert.equal(compareTensor(by(['a', 'b']), by(['a', 'b'])), undefined);
    assert.match(compareTensor(by(['a', 'b']), by(['a', 'c'])) ?? '', /\[1\] "c" \(expected "b"\)/);
    assert.match(compareTensor(fp32([1]), { ...fp32([1]), datatype: 'FP64', data: Float64Array.of(1) }) ?? '', /datatype FP64, expected FP32/);
    assert.match(compareTensor(fp32([1, 2], 'y', [2]), fp32([1, 2], 'y', [1, 2])) ?? '', /shape \[1,2\], expected \[2\]/);
  });

  test('compareOutputs matches by name, or by position for unnamed expectations', () => {
    assert.deepEqual(compareOutputs([fp32([1], 'b'), fp32([2], 'a')], [fp32([2], 'a'), fp32([1], 'b')]), []);
    assert.deepEqual(compareOutputs([fp32([1], '')], [fp32([1], 'z')]), []);
    assert.deepEqual(compareOutputs([fp32([1], 'q')], [fp32([1], 'z')]), ['output "q" is missing; got "z"']);
  });
});

describe('case loader', () => {
  test('dir layout: datasets in numeric order, inputs/outputs in K order, unnamed tensors named from the model', async () => {
    const vad = (await listCases(join(fixtures, 'models'))).find((c) => c.name === 'silero-vad-v5')!;
    assert.deepEqual(vad.datasets.map((d) => d.name), ['test_data_set_0', 'test_data_set_1']);
    assert.deepEqual(vad.datasets[0]!.inputFiles.map((f) => f.split('/').pop()), ['input_0.pb', 'input_1.pb', 'input_2.pb']);
    const conv = (await listCases(join(fixtures, 'conformance/pytorch-converted'))).find((c) => c.name === 'test_Conv1d')!;
    const raw = await loadDataset(conv.datasets[0]!);
    assert.equal(raw.inputs[0]!.name, '');
    const named = await loadDataset(conv.datasets[0]!, { inputs: ['in'], outputs: ['out'] });
    assert.deepEqual([named.inputs[0]!.name, named.expected[0]!.name], ['in', 'out']);
  });

  test('rampFloat32 is (np.arange(n) / n).astype(float32)', () => {
    assert.deepEqual(Array.from(rampFloat32(4)), [0, 0.25, 0.5, 0.75]);
    assert.deepEqual(Array.from(rampFloat32(3)), [0, Math.fround(1 / 3), Math.fround(2 / 3)]);
    assert.equal(rampFloat32(0).length, 0);
  });

  test('light layout: light_X.onnx + light_X_output_0.pb, inputs synthesized from the manifest', async () => {
    const tmp = await mkdtemp(join(tmpdir(), 'kserve-ts-light-'));
    try {
      const src = join(fixtures, 'conformance/light/light_squeezenet');
      await mkdir(join(tmp, 'light'));
      await copyFile(join(src, 'model.onnx'), join(tmp, 'light/light_squeezenet.onnx'));
      await copyFile(join(src, 'test_data_set_0/output_0.pb'), join(tmp, 'light/light_squeezenet_output_0.pb'));
      await writeFile(join(tmp, 'light-manifest.json'), await readFile(join(fixtures, 'conformance/light-manifest.json')));
      const [c, ...rest] = await listCases(join(tmp, 'light'));
      assert.equal(rest.length, 0);
      assert.equal(c!.id, 'light/light_squeezenet');
      assert.equal(c!.layout, 'light');
      const ds = await loadDataset(c!.datasets[0]!);
      const fromFixture = await readTensorProtoFile(join(src, 'test_data_set_0/input_0.pb'));
      assert.equal(ds.inputs[0]!.name, fromFixture.name);
      assert.deepEqual(ds.inputs[0]!.shape, fromFixture.shape);
      assert.deepEqual(Buffer.from((ds.inputs[0]!.data as Float32Array).buffer), Buffer.from((fromFixture.data as Float32Array).buffer), 'bit for bit');
      const model = new OnnxModel({ name: c!.id, modelDir: c!.modelDir });
      await model.load();
      try {
        const res = await model.predict({ modelName: c!.id, inputs: ds.inputs });
        assert.deepEqual(compareOutputs(ds.expected, res.outputs), []);
      } finally {
        await model.unload();
      }
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  });
});
