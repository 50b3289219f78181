/**
 * Reads serialized `onnx.TensorProto` messages (the `input_K.pb` / `output_K.pb` files of the ONNX
 * backend test suite) into kserve-ts `Tensor`s, with a hand-written wire reader.
 *
 * Fields read (onnx/onnx.proto): dims = 1, data_type = 2, float_data = 4, int32_data = 5,
 * string_data = 6, int64_data = 7, name = 8, raw_data = 9, double_data = 10, uint64_data = 11,
 * data_location = 14. Repeated numeric fields are accepted packed or unpacked. Numeric data comes
 * from `raw_data` (little-endian) when present, otherwise from the typed field ONNX stores that
 * type in: int32_data holds int8/int16/int32/uint8/uint16/bool and float16 bit patterns;
 * uint64_data holds uint32/uint64.
 *
 * Transport-agnostic: used by the runtime conformance test and by transport-level tests alike.
 */
import { readFile } from 'node:fs/promises';
import type { Datatype, NumericArray, NumericDatatype } from '../../../protocol/datatype.ts';
import { allocNumeric, elementSize } from '../../../protocol/datatype.ts';
import type { Tensor } from '../../../protocol/tensor.ts';
import { elementCount } from '../../../protocol/tensor.ts';
import { onnxTypeName } from '../datatypes.ts';
import { ProtoReader, WireType } from '../proto-wire.ts';

/** ONNX `TensorProto.DataType` code → OIP datatype, for the types OIP has. */
const ONNX_TO_OIP: Readonly<Record<number, Datatype>> = {
  1: 'FP32', 2: 'UINT8', 3: 'INT8', 4: 'UINT16', 5: 'INT16', 6: 'INT32', 7: 'INT64', 8: 'BYTES', 9: 'BOOL',
  10: 'FP16', 11: 'FP64', 12: 'UINT32', 13: 'UINT64',
};

/**
 * The OIP datatype of ONNX data type code `code`.
 * @throws Error for codes OIP cannot represent (bfloat16, float8, int4, complex …).
 */
export function datatypeOfOnnxCode(code: number): Datatype {
  const dt = ONNX_TO_OIP[code];
  if (!dt) throw new Error(`TensorProto data_type ${code} (${onnxTypeName(code)}) has no Open Inference Protocol datatype`);
  return dt;
}

interface Fields {
  name: string;
  dims: number[];
  dataType: number;
  raw?: Uint8Array;
  floats: number[];
  int32s: number[];
  int64s: bigint[];
  uint64s: bigint[];
  doubles: number[];
  strings: Uint8Array[];
  external: boolean;
}

function readFields(bytes: Uint8Array): Fields {
  const f: Fields = { name: '', dims: [], dataType: 0, floats: [], int32s: [], int64s: [], uint64s: [], doubles: [], strings: [], external: false };
  const r = new ProtoReader(bytes);
  while (r.more()) {
    const [field, wt] = r.key();
    switch (field) {
      case 1: r.repeated(wt, WireType.Varint, (x) => f.dims.push(Number(x.int64()))); break;
      case 2: f.dataType = r.uint(); break;
      case 4: r.repeated(wt, WireType.Fixed32, (x) => f.floats.push(x.float32())); break;
      case 5: r.repeated(wt, WireType.Varint, (x) => f.int32s.push(x.int32())); break;
      case 6: f.strings.push(r.bytes()); break;
      case 7: r.repeated(wt, WireType.Varint, (x) => f.int64s.push(x.int64())); break;
      case 8: f.name = r.string(); break;
      case 9: f.raw = r.bytes(); break;
      case 10: r.repeated(wt, WireType.Fixed64, (x) => f.doubles.push(x.float64())); break;
      case 11: r.repeated(wt, WireType.Varint, (x) => f.uint64s.push(x.uint64())); break;
      case 14: f.external = r.uint() === 1; break;
      default: r.skip(wt);
    }
  }
  return f;
}

/** Copies little-endian raw bytes into a fresh, aligned typed array. */
function fromRaw(dt: NumericDatatype, raw: Uint8Array, n: number, what: string): NumericArray {
  const want = n * elementSize(dt);
  if (raw.byteLength !== want) throw new Error(`${what}: raw_data has ${raw.byteLength} bytes, expected ${want} for ${n} ${dt} elements`);
  const out = allocNumeric(dt, n);
  new Uint8Array(out.buffer, out.byteOffset, out.byteLength).set(raw);
  return out;
}

function fromFields(dt: Datatype, f: Fields): NumericArray | Uint8Array[] {
  switch (dt) {
    case 'BYTES': return f.strings;
    case 'FP32': return Float32Array.from(f.floats);
    case 'FP64': return Float64Array.from(f.doubles);
    case 'INT64': return BigInt64Array.from(f.int64s);
    case 'UINT64': return BigUint64Array.from(f.uint64s);
    case 'UINT32': return Uint32Array.from(f.uint64s, (v) => Number(v));
    case 'INT32': return Int32Array.from(f.int32s);
    case 'INT16': return Int16Array.from(f.int32s);
    case 'INT8': return Int8Array.from(f.int32s);
    case 'UINT16': return Uint16Array.from(f.int32s);
    case 'FP16': return Uint16Array.from(f.int32s, (v) => v & 0xffff);
    case 'UINT8': return Uint8Array.from(f.int32s);
    case 'BOOL': return Uint8Array.from(f.int32s, (v) => (v ? 1 : 0));
  }
}

/**
 * Decodes one serialized TensorProto into a Tensor (name may be '' when the file has none).
 * @throws Error on malformed bytes, external data, types without an OIP datatype, or when the
 *   element count disagrees with `dims`.
 */
export function readTensorProto(bytes: Uint8Array): Tensor {
  const f = readFields(bytes);
  const what = `TensorProto ${JSON.stringify(f.name)}`;
  if (f.external) throw new Error(`${what}: external data is not supported`);
  const datatype = datatypeOfOnnxCode(f.dataType);
  const n = elementCount(f.dims);
  let data: NumericArray | Uint8Array[];
  if (f.raw !== undefined && datatype !== 'BYTES') data = fromRaw(datatype, f.raw, n, what);
  else data = fromFields(datatype, f);
  if (data.length !== n) throw new Error(`${what}: ${data.length} elements, expected ${n} for dims ${JSON.stringify(f.dims)}`);
  return { name: f.name, datatype, shape: f.dims, data };
}

/** Reads and decodes a `.pb` file holding one TensorProto. */
export async function readTensorProtoFile(path: string): Promise<Tensor> {
  try {
    return readTensorProto(await readFile(path));
  } catch (err) {
    throw new Error(`${path}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}
