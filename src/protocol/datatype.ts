/**
 * Open Inference Protocol datatypes and their in-memory representation.
 *
 * Numeric tensors live in typed arrays (little-endian on every platform Node supports):
 * BOOL → Uint8Array of 0/1, FP16 → Uint16Array of IEEE half bit patterns, INT64/UINT64 →
 * BigInt64Array/BigUint64Array (no precision lost beyond 2^53). BYTES → an array of Uint8Array.
 */
export const DATATYPES = [
  'BOOL', 'UINT8', 'UINT16', 'UINT32', 'UINT64', 'INT8', 'INT16', 'INT32', 'INT64', 'FP16', 'FP32', 'FP64', 'BYTES',
] as const;
export type Datatype = (typeof DATATYPES)[number];
export type NumericDatatype = Exclude<Datatype, 'BYTES'>;

export type NumericArray =
  | Uint8Array | Uint16Array | Uint32Array | BigUint64Array
  | Int8Array | Int16Array | Int32Array | BigInt64Array
  | Float32Array | Float64Array;

/** Data of a tensor: a typed array for numeric types, a list of byte strings for BYTES. */
export type TensorData = NumericArray | Uint8Array[];

type TypedArrayCtor = {
  new (length: number): NumericArray;
  new (buffer: ArrayBufferLike, byteOffset: number, length: number): NumericArray;
  readonly BYTES_PER_ELEMENT: number;
};

const CTORS: Readonly<Record<NumericDatatype, TypedArrayCtor>> = {
  BOOL: Uint8Array, UINT8: Uint8Array, UINT16: Uint16Array, UINT32: Uint32Array, UINT64: BigUint64Array,
  INT8: Int8Array, INT16: Int16Array, INT32: Int32Array, INT64: BigInt64Array,
  FP16: Uint16Array, FP32: Float32Array, FP64: Float64Array,
};

const DATATYPE_SET: ReadonlySet<string> = new Set(DATATYPES);

export function isDatatype(s: unknown): s is Datatype {
  return typeof s === 'string' && DATATYPE_SET.has(s);
}

/** Bytes per element of a numeric datatype. */
export function elementSize(dt: NumericDatatype): number {
  return CTORS[dt].BYTES_PER_ELEMENT;
}

/** A zero-filled typed array for `length` elements of `dt`. */
export function allocNumeric(dt: NumericDatatype, length: number): NumericArray {
  return new CTORS[dt](length);
}

/**
 * A typed array over little-endian raw bytes. Copies when `bytes` is not aligned for the element
 * size (typed arrays need aligned offsets); otherwise a zero-copy view.
 */
export function viewNumeric(dt: NumericDatatype, bytes: Uint8Array): NumericArray {
  const ctor = CTORS[dt];
  const size = ctor.BYTES_PER_ELEMENT;
  const length = bytes.byteLength / size;
  if (bytes.byteOffset % size === 0) return new ctor(bytes.buffer, bytes.byteOffset, length);
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return new ctor(copy.buffer, 0, length);
}

/** The raw little-endian bytes of a typed array (a view, no copy). */
export function bytesOf(a: NumericArray): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/** Whether a typed array is the representation of datatype `dt`. */
export function matchesDatatype(dt: NumericDatatype, a: unknown): a is NumericArray {
  return a instanceof CTORS[dt];
}

export function isBigIntDatatype(dt: Datatype): dt is 'INT64' | 'UINT64' {
  return dt === 'INT64' || dt === 'UINT64';
}

/** Inclusive integer range of an integer datatype (bigint for the 64-bit types). */
export const INT_RANGES: Readonly<Partial<Record<NumericDatatype, readonly [number | bigint, number | bigint]>>> = {
  BOOL: [0, 1],
  UINT8: [0, 255], UINT16: [0, 65535], UINT32: [0, 4294967295], UINT64: [0n, 18446744073709551615n],
  INT8: [-128, 127], INT16: [-32768, 32767], INT32: [-2147483648, 2147483647],
  INT64: [-9223372036854775808n, 9223372036854775807n],
};
