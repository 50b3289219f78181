/**
 * `map<string, InferParameter>` ↔ `Parameters`. An InferParameter is a oneof of bool, int64,
 * string, double and uint64. Decoded 64-bit integers are numbers when they fit in a double
 * exactly (|v| ≤ 2^53 − 1) and BigInts beyond, so nothing is rounded.
 *
 * Encoding picks the member from the JS type: boolean → bool_param, string → string_param, a safe
 * integer number → int64_param, any other number (fractions, ±0.0 kept as -0, NaN, ±Infinity,
 * integers beyond 2^53) → double_param, a bigint → int64_param, or uint64_param above 2^63 − 1.
 */
import { invalidInput } from '../../core/errors.ts';
import { INT_RANGES } from '../datatype.ts';
import type { ParameterValue, Parameters } from '../tensor.ts';
import type { InferParameter, InferParameter__Output } from './generated/inference/InferParameter.ts';

const CHOICES = ['bool_param', 'int64_param', 'string_param', 'double_param', 'uint64_param'] as const;
const EXPECTED = `an InferParameter with one of ${CHOICES.join(', ')} set`;
const [I64_MIN, I64_MAX] = INT_RANGES.INT64 as readonly [bigint, bigint];
const U64_MAX = (INT_RANGES.UINT64 as readonly [bigint, bigint])[1];
const SAFE_MIN = BigInt(Number.MIN_SAFE_INTEGER);
const SAFE_MAX = BigInt(Number.MAX_SAFE_INTEGER);

/** A decoded parameters map → Parameters (undefined when empty). `field` names it in errors. */
export function decodeParameters(map: Readonly<Record<string, InferParameter__Output>> | null | undefined, field: string): Parameters | undefined {
  if (map === null || map === undefined) return undefined;
  if (typeof map !== 'object') throw invalidInput(field, map, 'a map of InferParameter');
  const keys = Object.keys(map);
  if (keys.length === 0) return undefined;
  const out: Parameters = {};
  for (const k of keys) out[k] = decodeParameter(map[k], `${field}[${JSON.stringify(k)}]`);
  return out;
}

function decodeParameter(p: InferParameter__Output | undefined, field: string): ParameterValue {
  if (p === null || typeof p !== 'object') throw invalidInput(field, p, EXPECTED);
  const choice = p.parameter_choice ?? CHOICES.find((c) => p[c] !== undefined && p[c] !== null);
  const v: unknown = choice === undefined ? undefined : p[choice];
  switch (choice) {
    case 'bool_param':
      if (typeof v === 'boolean') return v;
      break;
    case 'string_param':
      if (typeof v === 'string') return v;
      break;
    case 'double_param':
      if (typeof v === 'number') return v;
      break;
    case 'int64_param':
    case 'uint64_param': {
      const b = toBigInt(v);
      const [lo, hi] = choice === 'int64_param' ? [I64_MIN, I64_MAX] : [0n, U64_MAX];
      if (b !== undefined && b >= lo && b <= hi) return b >= SAFE_MIN && b <= SAFE_MAX ? Number(b) : b;
      throw invalidInput(`${field}.${choice}`, v, `an integer in [${lo}, ${hi}]`);
    }
    default:
      throw invalidInput(field, p, EXPECTED);
  }
  throw invalidInput(`${field}.${choice}`, v, `a ${choice.replace('_param', '')} value`);
}

function toBigInt(v: unknown): bigint | undefined {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isSafeInteger(v)) return BigInt(v);
  if (typeof v === 'string' && /^-?\d{1,20}$/.test(v)) return BigInt(v);
  return undefined;
}

/** Parameters → a map of InferParameter (undefined when there are none). */
export function encodeParameters(params: Parameters | undefined, field: string): Record<string, InferParameter> | undefined {
  if (!params) return undefined;
  const keys = Object.keys(params);
  if (keys.length === 0) return undefined;
  const out: Record<string, InferParameter> = {};
  for (const k of keys) out[k] = encodeParameter(params[k], `${field}[${JSON.stringify(k)}]`);
  return out;
}

function encodeParameter(v: ParameterValue | undefined, field: string): InferParameter {
  switch (typeof v) {
    case 'boolean':
      return { bool_param: v };
    case 'string':
      return { string_param: v };
    case 'number':
      return Number.isSafeInteger(v) && !Object.is(v, -0) ? { int64_param: v } : { double_param: v };
    case 'bigint':
      if (v >= I64_MIN && v <= I64_MAX) return { int64_param: v.toString() };
      if (v > I64_MAX && v <= U64_MAX) return { uint64_param: v.toString() };
      throw invalidInput(field, v, `an integer in [${I64_MIN}, ${U64_MAX}]`);
    default:
      throw invalidInput(field, v, 'a boolean, string, number or bigint');
  }
}
