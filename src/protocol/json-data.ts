/**
 * Tensor data <-> JSON values, shared by the V1 and V2 JSON codecs.
 *
 * Decoding flattens nested (row-major) or flat arrays straight into a typed array, checking every
 * element's type and range. Encoding writes JSON text directly (no intermediate JS arrays), so
 * INT64/UINT64 stay exact and FP16 appears as numbers. Non-finite floats, which JSON cannot
 * carry, are written as the strings "NaN", "Infinity", "-Infinity" and accepted back the same way.
 */
import { invalidInput } from '../core/errors.ts';
import { type Datatype, INT_RANGES, type NumericArray, type TensorData, allocNumeric } from './datatype.ts';
import { halfToNumber, numberToHalf } from './fp16.ts';

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder();

/** Flattens nested arrays into `out` (depth-first, row-major). */
function flatten(data: unknown, out: unknown[]): void {
  if (Array.isArray(data)) {
    for (const v of data) flatten(v, out);
  } else {
    out.push(data);
  }
}

function isFlat(a: unknown[]): boolean {
  for (const v of a) if (Array.isArray(v)) return false;
  return true;
}

const NON_FINITE: Readonly<Record<string, number>> = { NaN: Number.NaN, Infinity: Number.POSITIVE_INFINITY, '-Infinity': Number.NEGATIVE_INFINITY };

/**
 * Converts JSON `data` (flat or nested) to the typed representation of `datatype`, checking that it
 * holds `count` elements. `field` (e.g. `inputs[0].data`) names the data in errors.
 */
export function decodeData(data: unknown, datatype: Datatype, count: number, field: string): TensorData {
  let flat: unknown[];
  if (Array.isArray(data)) {
    if (isFlat(data)) flat = data;
    else {
      flat = [];
      flatten(data, flat);
    }
  } else if (data !== undefined && data !== null && typeof data !== 'object') {
    flat = [data];
  } else {
    throw invalidInput(field, data, 'an array of values');
  }
  if (flat.length !== count) {
    throw invalidInput(field, `${flat.length} elements`, `${count} elements to match the shape`);
  }
  if (datatype === 'BYTES') {
    const out: Uint8Array[] = new Array<Uint8Array>(count);
    for (let i = 0; i < count; i++) {
      const v = flat[i];
      if (typeof v !== 'string') throw invalidInput(`${field}[${i}]`, v, 'a string (BYTES)');
      out[i] = utf8.encode(v);
    }
    return out;
  }
  const arr = allocNumeric(datatype, count);
  switch (datatype) {
    case 'FP32':
    case 'FP64': {
      const a = arr as Float32Array | Float64Array;
      for (let i = 0; i < count; i++) {
        const v = flat[i];
        if (typeof v === 'number') a[i] = v;
        else a[i] = nonFinite(v, `${field}[${i}]`, datatype);
      }
      return arr;
    }
    case 'FP16': {
      const a = arr as Uint16Array;
      for (let i = 0; i < count; i++) {
        const v = flat[i];
        a[i] = numberToHalf(typeof v === 'number' ? v : nonFinite(v, `${field}[${i}]`, datatype));
      }
      return arr;
    }
    case 'BOOL': {
      const a = arr as Uint8Array;
      for (let i = 0; i < count; i++) {
        const v = flat[i];
        if (typeof v === 'boolean') a[i] = v ? 1 : 0;
        else if (v === 0 || v === 1) a[i] = v;
        else throw invalidInput(`${field}[${i}]`, v, 'a boolean (BOOL)');
      }
      return arr;
    }
    case 'INT64':
    case 'UINT64':
      return decodeBig(flat, arr as BigInt64Array | BigUint64Array, datatype, field);
    default:
      return decodeInt(flat, arr, datatype, field);
  }
}

function nonFinite(v: unknown, field: string, datatype: Datatype): number {
  if (typeof v === 'string' && v in NON_FINITE) return NON_FINITE[v]!;
  throw invalidInput(field, v, `a number (${datatype})`);
}

function decodeInt(flat: unknown[], arr: NumericArray, datatype: Datatype, field: string): NumericArray {
  const [lo, hi] = INT_RANGES[datatype as 'INT32'] as [number, number];
  const a = arr as Int32Array;
  for (let i = 0; i < flat.length; i++) {
    const v = flat[i];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) {
      throw invalidInput(`${field}[${i}]`, v, `an integer in [${lo}, ${hi}] (${datatype})`);
    }
    a[i] = v;
  }
  return arr;
}

function decodeBig(flat: unknown[], a: BigInt64Array | BigUint64Array, datatype: 'INT64' | 'UINT64', field: string): NumericArray {
  const [lo, hi] = INT_RANGES[datatype] as [bigint, bigint];
  for (let i = 0; i < flat.length; i++) {
    const v = flat[i];
    let b: bigint;
    if (typeof v === 'number' && Number.isSafeInteger(v)) b = BigInt(v);
    else if (typeof v === 'bigint') b = v;
    else if (typeof v === 'string' && /^-?\d+$/.test(v)) b = BigInt(v);
    else throw invalidInput(`${field}[${i}]`, v, `an integer in [${lo}, ${hi}] (${datatype})`);
    if (b < lo || b > hi) throw invalidInput(`${field}[${i}]`, v, `an integer in [${lo}, ${hi}] (${datatype})`);
    a[i] = b;
  }
  return a;
}

/** JSON text of one element. */
function elementText(data: TensorData, datatype: Datatype, i: number): string {
  switch (datatype) {
    case 'BYTES':
      return JSON.stringify(utf8Decoder.decode((data as Uint8Array[])[i]));
    case 'BOOL':
      return (data as Uint8Array)[i] ? 'true' : 'false';
    case 'FP16':
      return numberText(halfToNumber((data as Uint16Array)[i]!));
    case 'FP32':
    case 'FP64':
      return numberText((data as Float64Array)[i]!);
    default:
      return String((data as Int32Array)[i]);
  }
}

function numberText(v: number): string {
  return Number.isFinite(v) ? String(v) : `"${String(v)}"`;
}

function allFinite(a: Float32Array | Float64Array): boolean {
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i]!)) return false;
  return true;
}

/** JSON text of the data as one flat array. */
export function encodeFlat(data: TensorData, datatype: Datatype): string {
  switch (datatype) {
    case 'FP32':
    case 'FP64':
      if (allFinite(data as Float32Array)) return `[${(data as Float32Array).join(',')}]`;
      break;
    case 'BOOL':
    case 'FP16':
    case 'BYTES':
      break;
    default:
      return `[${(data as Int32Array).join(',')}]`;
  }
  const parts = new Array<string>(data.length);
  for (let i = 0; i < data.length; i++) parts[i] = elementText(data, datatype, i);
  return `[${parts.join(',')}]`;
}

/** JSON text of the data nested by `shape` (a bare value for a scalar). */
export function encodeNested(data: TensorData, datatype: Datatype, shape: readonly number[]): string {
  if (shape.length === 0) return data.length > 0 ? elementText(data, datatype, 0) : 'null';
  if (shape.length === 1) return encodeFlat(data, datatype);
  const parts: string[] = [];
  const rec = (dim: number, offset: number): number => {
    const n = shape[dim]!;
    parts.push('[');
    if (dim === shape.length - 1) {
      for (let j = 0; j < n; j++) {
        if (j) parts.push(',');
        parts.push(elementText(data, datatype, offset + j));
      }
      parts.push(']');
      return offset + n;
    }
    for (let j = 0; j < n; j++) {
      if (j) parts.push(',');
      offset = rec(dim + 1, offset);
    }
    parts.push(']');
    return offset;
  };
  rec(0, 0);
  return parts.join('');
}

/** JSON text of any plain value, bigint written as an exact number. */
export function stringifyValue(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? `__BIGINT__${x.toString()}` : x)).replace(/"__BIGINT__(-?\d+)"/g, '$1');
}
