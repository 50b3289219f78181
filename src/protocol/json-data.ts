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

/**
 * Flattens nested arrays into `out` (depth-first, row-major). Iterative, with the open lists on an
 * explicit stack: `JSON.parse` accepts any nesting depth, and recursing here would overflow the call
 * stack on, say, 100000 nested lists instead of answering INVALID_INPUT.
 */
function flatten(data: unknown[], out: unknown[]): void {
  const lists: unknown[][] = [data];
  const next: number[] = [0];
  while (lists.length > 0) {
    const top = lists.length - 1;
    const list = lists[top]!;
    const i = next[top]!;
    if (i === list.length) {
      lists.pop();
      next.pop();
      continue;
    }
    next[top] = i + 1;
    const v = list[i];
    if (Array.isArray(v)) {
      lists.push(v);
      next.push(0);
    } else {
      out.push(v);
    }
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
        a[i] = toFloat(flat[i], `${field}[${i}]`, datatype);
      }
      return arr;
    }
    case 'FP16': {
      const a = arr as Uint16Array;
      for (let i = 0; i < count; i++) {
        a[i] = numberToHalf(toFloat(flat[i], `${field}[${i}]`, datatype));
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

/**
 * A JSON value as a float element. A bigint is an integer literal of 2^53 or more that the lossless
 * parser kept exact; it is still a valid float (`String(1e20)` is "100000000000000000000"), and
 * `Number` rounds it to nearest exactly as `JSON.parse` would have.
 */
function toFloat(v: unknown, field: string, datatype: Datatype): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string' && Object.hasOwn(NON_FINITE, v)) return NON_FINITE[v]!;
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

/** A float as JSON: `String(-0)` is "0", so negative zero is written by hand to keep its sign. */
function numberText(v: number): string {
  if (Number.isFinite(v)) return Object.is(v, -0) ? '-0' : String(v);
  return `"${String(v)}"`;
}

/** Whether `join` writes every element right: all finite, no negative zero. */
function allPlain(a: Float32Array | Float64Array): boolean {
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    if (!Number.isFinite(x) || (x === 0 && 1 / x < 0)) return false;
  }
  return true;
}

/** JSON text of the data as one flat array. */
export function encodeFlat(data: TensorData, datatype: Datatype): string {
  switch (datatype) {
    case 'FP32':
    case 'FP64':
      if (allPlain(data as Float32Array)) return `[${(data as Float32Array).join(',')}]`;
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

/**
 * JSON text of a plain value (parameters): bigint written as an exact integer, and an integral
 * number of 2^53 or more in exponent form (1e20 → "1e+20"), so that parsing the text back gives a
 * number again rather than a bigint; -0 keeps its sign. Non-finite numbers become null, as with
 * JSON.stringify.
 */
export function stringifyValue(v: unknown): string {
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return 'null';
    if (Number.isInteger(v) && !Number.isSafeInteger(v)) return v.toExponential();
    return numberText(v);
  }
  if (Array.isArray(v)) return `[${v.map((x) => (x === undefined ? 'null' : stringifyValue(x))).join(',')}]`;
  if (typeof v === 'object' && v !== null) {
    const parts: string[] = [];
    for (const [k, x] of Object.entries(v)) {
      if (x !== undefined && typeof x !== 'function' && typeof x !== 'symbol') parts.push(`${JSON.stringify(k)}:${stringifyValue(x)}`);
    }
    return `{${parts.join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}
