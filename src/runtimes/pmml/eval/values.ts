/** Value conversions between PMML data types; failures return `undefined` (an invalid value). */
import type { DataType, DefinedFunction, Value } from '../doc/types.ts';

/** Reads field values by name (a FieldScope, or a view over outputs); missing is `null`. */
export interface FieldReader {
  get(name: string): Value;
  /** A DefineFunction by name (absent where none can be called). */
  functionNamed?(name: string): DefinedFunction | undefined;
}

/** Converts a value to a data type; `undefined` when it cannot be (e.g. "abc" as double). */
export function convert(v: Value, type: DataType): Value | undefined {
  if (v === null) return null;
  switch (type) {
    case 'string':
      return typeof v === 'string' ? v : typeof v === 'number' ? numberText(v) : String(v);
    case 'double':
    case 'float': {
      const n = toNumber(v);
      return n === undefined ? undefined : type === 'float' ? Math.fround(n) : n;
    }
    case 'integer': {
      const n = toNumber(v);
      return n !== undefined && Number.isInteger(n) ? n : undefined;
    }
    case 'boolean':
      if (typeof v === 'boolean') return v;
      if (v === 'true' || v === 1 || v === '1') return true;
      if (v === 'false' || v === 0 || v === '0') return false;
      return undefined;
  }
}

export function toNumber(v: Value): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v !== 'string') return undefined;
  const t = v.trim();
  if (t === '') return undefined;
  if (t === 'INF') return Infinity;
  if (t === '-INF') return -Infinity;
  const n = Number(t);
  return Number.isNaN(n) ? undefined : n;
}

/** Integral doubles print without ".0", as JPMML prints category labels ("1", not "1.0"). */
export function numberText(n: number): string {
  if (n === Infinity) return 'INF';
  if (n === -Infinity) return '-INF';
  return String(n);
}

/** Equality as PMML compares a field value with a literal from the document. */
export function sameValue(a: Value, literal: string): boolean {
  if (a === null) return false;
  if (typeof a === 'number') {
    const n = toNumber(literal);
    return n !== undefined && n === a;
  }
  if (typeof a === 'boolean') return convert(literal, 'boolean') === a;
  return a === literal;
}

/** Orders a value against a literal: numbers numerically, strings lexicographically. */
export function compareTo(a: Value, literal: string): number | undefined {
  if (a === null) return undefined;
  if (typeof a === 'number' || typeof a === 'boolean') {
    const n = toNumber(literal);
    const x = toNumber(a);
    return n === undefined || x === undefined ? undefined : x - n;
  }
  return a < literal ? -1 : a > literal ? 1 : 0;
}

/** A type derived from a JavaScript value, for results with no declared type. */
export function typeOf(v: Value): DataType {
  return typeof v === 'number' ? 'double' : typeof v === 'boolean' ? 'boolean' : 'string';
}
