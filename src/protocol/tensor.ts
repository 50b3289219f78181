import { invalidInput } from '../core/errors.ts';
import { type Datatype, type NumericArray, type TensorData, matchesDatatype } from './datatype.ts';

/** A parameter value as OIP allows: string, number, boolean (bigint for int64/uint64 over 2^53). */
export type ParameterValue = string | number | boolean | bigint;
export type Parameters = Record<string, ParameterValue>;

/** One tensor: the internal form every codec decodes into and encodes from. */
export interface Tensor {
  name: string;
  datatype: Datatype;
  /** Dimensions; `[]` is a scalar (one element). */
  shape: number[];
  data: TensorData;
  parameters?: Parameters;
}

/** Number of elements a shape holds (1 for a scalar, 0 when any dimension is 0). */
export function elementCount(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Number of elements in tensor data. */
export function dataLength(data: TensorData): number {
  return data.length;
}

/**
 * Checks a shape is a list of non-negative safe integers; `field` names it in the error.
 */
export function checkShape(shape: unknown, field: string): number[] {
  if (!Array.isArray(shape)) throw invalidInput(field, shape, 'an array of non-negative integers');
  for (let i = 0; i < shape.length; i++) {
    const d: unknown = shape[i];
    if (typeof d !== 'number' || !Number.isSafeInteger(d) || d < 0) {
      throw invalidInput(`${field}[${i}]`, d, 'a non-negative integer');
    }
  }
  const n = elementCount(shape as number[]);
  if (!Number.isSafeInteger(n) || n > 2 ** 31) throw invalidInput(field, shape, 'at most 2^31 elements in all');
  return shape as number[];
}

/** Checks that data holds exactly as many elements as the shape says. */
export function checkDataLength(t: Tensor, field: string): void {
  const want = elementCount(t.shape);
  if (t.data.length !== want) {
    throw invalidInput(`${field}.data`, `${t.data.length} elements`, `${want} elements for shape ${JSON.stringify(t.shape)} (${t.datatype})`);
  }
}

/** True when data has the representation `datatype` calls for. */
export function dataMatches(datatype: Datatype, data: TensorData): boolean {
  if (datatype === 'BYTES') return Array.isArray(data);
  return matchesDatatype(datatype, data);
}

/** Builds a tensor, checking representation and length (for runtimes and custom models). */
export function makeTensor(name: string, datatype: Datatype, shape: number[], data: TensorData, parameters?: Parameters): Tensor {
  const t: Tensor = { name, datatype, shape, data };
  if (parameters) t.parameters = parameters;
  if (!dataMatches(datatype, data)) {
    throw invalidInput(`tensor ${name}.data`, data.constructor.name, `the array type for ${datatype}`);
  }
  checkDataLength(t, `tensor ${name}`);
  return t;
}

export type { Datatype, NumericArray, TensorData };
