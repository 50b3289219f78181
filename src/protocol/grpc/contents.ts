/**
 * Typed tensor contents (`InferTensorContents`) ↔ tensor data. Each datatype has one contents
 * field: BOOL → bool_contents, INT8/16/32 → int_contents, INT64 → int64_contents, UINT8/16/32 →
 * uint_contents, UINT64 → uint64_contents, FP32 → fp32_contents, FP64 → fp64_contents, BYTES →
 * bytes_contents. FP16 has none: it travels only as raw contents.
 *
 * Decoding checks every value's type and range (int_contents 300 is not an INT8), and that the
 * other fields are empty; 64-bit integers arrive as decimal strings and become BigInts exactly.
 */
import { invalidInput } from '../../core/errors.ts';
import { type Datatype, INT_RANGES, type NumericArray, type NumericDatatype, allocNumeric } from '../datatype.ts';
import type { TensorData } from '../tensor.ts';
import type { InferTensorContents, InferTensorContents__Output } from './generated/inference/InferTensorContents.ts';

export type ContentsField = keyof InferTensorContents__Output;

export const CONTENTS_FIELDS: readonly ContentsField[] = [
  'bool_contents', 'int_contents', 'int64_contents', 'uint_contents', 'uint64_contents', 'fp32_contents', 'fp64_contents', 'bytes_contents',
];

const FIELD_OF: Readonly<Record<Datatype, ContentsField | undefined>> = {
  BOOL: 'bool_contents',
  INT8: 'int_contents', INT16: 'int_contents', INT32: 'int_contents', INT64: 'int64_contents',
  UINT8: 'uint_contents', UINT16: 'uint_contents', UINT32: 'uint_contents', UINT64: 'uint64_contents',
  FP16: undefined, FP32: 'fp32_contents', FP64: 'fp64_contents', BYTES: 'bytes_contents',
};

/** The contents field of a datatype (undefined for FP16, which has none). */
export function contentsFieldOf(dt: Datatype): ContentsField | undefined {
  return FIELD_OF[dt];
}

/** Values in all fields of `c` together; 0 means no typed contents were given. */
export function contentsCount(c: Partial<InferTensorContents__Output> | null | undefined): number {
  if (!c) return 0;
  let n = 0;
  for (const k of CONTENTS_FIELDS) {
    const v: unknown = c[k];
    if (Array.isArray(v)) n += v.length;
  }
  return n;
}

/**
 * Typed contents → tensor data of `count` elements. `field` names the contents in errors (e.g.
 * `inputs[0].contents`); `rawField` is where FP16 data must go instead.
 */
export function decodeContents(
  dt: Datatype, c: Partial<InferTensorContents__Output> | null | undefined, count: number, field: string, rawField: string,
): TensorData {
  const want = FIELD_OF[dt];
  for (const k of CONTENTS_FIELDS) {
    const other: unknown = c?.[k];
    if (k === want || !Array.isArray(other) || other.length === 0) continue;
    const expected = want
      ? `no values: a ${dt} tensor's values go in ${want}`
      : `no values: FP16 has no typed contents field, send FP16 data in ${rawField}`;
    throw invalidInput(`${field}.${k}`, `${other.length} values`, expected);
  }
  if (want === undefined) {
    if (count === 0) return new Uint16Array(0);
    throw invalidInput(field, 'no FP16 data', `${count} FP16 elements in ${rawField} (FP16 has no typed contents field)`);
  }
  const values: unknown = c?.[want] ?? [];
  const f = `${field}.${want}`;
  if (!Array.isArray(values)) throw invalidInput(f, values, 'a list of values');
  if (values.length !== count) throw invalidInput(f, `${values.length} values`, `${count} values for the tensor's shape (${dt})`);
  switch (dt) {
    case 'BOOL':
      return toBool(values, f);
    case 'INT64':
    case 'UINT64':
      return toBigInts(dt, values, f);
    case 'FP32':
    case 'FP64':
      return toFloats(dt, values, f);
    case 'BYTES':
      return toBytes(values, f);
    default:
      return toInts(dt, values, f);
  }
}

function toBool(values: readonly unknown[], f: string): Uint8Array {
  const out = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === true) out[i] = 1;
    else if (v !== false) throw invalidInput(`${f}[${i}]`, v, 'true or false (BOOL)');
  }
  return out;
}

function toInts(dt: NumericDatatype, values: readonly unknown[], f: string): NumericArray {
  const [lo, hi] = INT_RANGES[dt] as readonly [number, number];
  const out = allocNumeric(dt, values.length) as Int32Array;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) {
      throw invalidInput(`${f}[${i}]`, v, `an integer in [${lo}, ${hi}] (${dt})`);
    }
    out[i] = v;
  }
  return out;
}

const DECIMAL = /^-?\d{1,20}$/;

function toBigInts(dt: 'INT64' | 'UINT64', values: readonly unknown[], f: string): BigInt64Array | BigUint64Array {
  const [lo, hi] = INT_RANGES[dt] as readonly [bigint, bigint];
  const out = allocNumeric(dt, values.length) as BigInt64Array;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    let b: bigint | undefined;
    if (typeof v === 'string' && DECIMAL.test(v)) b = BigInt(v);
    else if (typeof v === 'number' && Number.isSafeInteger(v)) b = BigInt(v);
    else if (typeof v === 'bigint') b = v;
    if (b === undefined || b < lo || b > hi) throw invalidInput(`${f}[${i}]`, v, `an integer in [${lo}, ${hi}] (${dt})`);
    out[i] = b;
  }
  return out;
}

function toFloats(dt: 'FP32' | 'FP64', values: readonly unknown[], f: string): Float32Array | Float64Array {
  const out = dt === 'FP32' ? new Float32Array(values.length) : new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'number') throw invalidInput(`${f}[${i}]`, v, `a number (${dt})`);
    if (dt === 'FP32' && Number.isFinite(v) && !Number.isFinite(Math.fround(v))) {
      throw invalidInput(`${f}[${i}]`, v, 'a number within the FP32 range (±3.4028235e38)');
    }
    out[i] = v;
  }
  return out;
}

function toBytes(values: readonly unknown[], f: string): Uint8Array[] {
  const out = new Array<Uint8Array>(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!(v instanceof Uint8Array)) throw invalidInput(`${f}[${i}]`, v, 'bytes (BYTES)');
    out[i] = new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  }
  return out;
}

/**
 * Tensor data → typed contents (plain arrays, as protobufjs wants). Not for FP16 (callers switch
 * to raw contents). The data must already match the datatype.
 */
export function encodeContents(dt: Exclude<Datatype, 'FP16'>, data: TensorData): InferTensorContents {
  switch (dt) {
    case 'BOOL':
      return { bool_contents: Array.from(data as Uint8Array, (v) => v !== 0) };
    case 'INT8':
    case 'INT16':
    case 'INT32':
      return { int_contents: Array.from(data as Int32Array) };
    case 'UINT8':
    case 'UINT16':
    case 'UINT32':
      return { uint_contents: Array.from(data as Uint32Array) };
    case 'INT64':
      return { int64_contents: Array.from(data as BigInt64Array, (v) => v.toString()) };
    case 'UINT64':
      return { uint64_contents: Array.from(data as BigUint64Array, (v) => v.toString()) };
    case 'FP32':
      return { fp32_contents: Array.from(data as Float32Array) };
    case 'FP64':
      return { fp64_contents: Array.from(data as Float64Array) };
    case 'BYTES':
      return { bytes_contents: data as Uint8Array[] };
  }
}
