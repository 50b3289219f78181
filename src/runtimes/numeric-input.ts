/**
 * Request helpers shared by the JavaScript evaluators (XGBoost, LightGBM, open to PMML): a boolean
 * request parameter such as `output_margin`/`raw_score`, the numeric input tensor as the float
 * array an evaluator walks, converted from any numeric datatype, and V1 JSON rows as such an
 * array, with JSON null and the string "NaN" as a missing value.
 */
import { invalidInput } from '../core/errors.ts';
import type { InferRequest } from '../protocol/infer.ts';
import type { Tensor } from '../protocol/tensor.ts';

/** A boolean request parameter: true/false or the strings "true"/"false"; absent = false. */
export function booleanParameter(req: InferRequest, key: string): boolean {
  const v = req.parameters?.[key];
  if (v === undefined || v === false || v === 'false') return false;
  if (v === true || v === 'true') return true;
  throw invalidInput(`parameters.${key}`, v, 'true or false');
}

type FloatArrayCtor<A extends Float32Array | Float64Array> = { new (length: number): A };

/**
 * The tensor's data as `ctor` (Float32Array or Float64Array), converted from FP32, FP64 or any
 * integer type (a copy unless it already is one); BYTES, BOOL and FP16 are INVALID_INPUT.
 * `field` names the input in the error, e.g. "inputs[0]".
 */
export function toFloatArray<A extends Float32Array | Float64Array>(t: Tensor, ctor: FloatArrayCtor<A>, field = 'inputs[0]'): A {
  if (t.data instanceof ctor) return t.data;
  if (t.datatype === 'BYTES' || t.datatype === 'FP16' || t.datatype === 'BOOL' || Array.isArray(t.data)) {
    throw invalidInput(`${field}.datatype (input ${t.name})`, t.datatype, 'FP32, FP64 or an integer type');
  }
  const src = t.data;
  const out = new ctor(src.length);
  for (let i = 0; i < src.length; i++) out[i] = Number(src[i]);
  return out;
}

const NON_FINITE: Readonly<Record<string, number>> = Object.freeze({ NaN: Number.NaN, Infinity: Infinity, '-Infinity': -Infinity });

/**
 * One JSON value of a V1 row as a float: a number; null, which is a missing value (NaN) as pandas
 * and numpy read it; or the strings "NaN", "Infinity", "-Infinity" (our JSON codec's spelling of
 * non-finite floats, protocol/json-data.ts). Anything else is INVALID_INPUT naming `field`.
 */
export function jsonFloat(v: unknown, field: string): number {
  if (typeof v === 'number') return v;
  if (v === null) return Number.NaN;
  if (typeof v === 'string' && Object.hasOwn(NON_FINITE, v)) return NON_FINITE[v]!;
  throw invalidInput(field, v, 'a number, null (missing), or "NaN"/"Infinity"/"-Infinity"');
}

/**
 * V1 rows given as lists of `features` values (`{"instances": [[5.1, null, 1.4, "NaN"]]}`) → a
 * row-major [rows, features] array of `ctor`, each value read by jsonFloat. `key` names the rows
 * in errors ("instances").
 */
export function jsonRows<A extends Float32Array | Float64Array>(rows: readonly unknown[], features: number, ctor: FloatArrayCtor<A>, key = 'instances'): A {
  const out = new ctor(rows.length * features);
  rows.forEach((row, i) => {
    if (!Array.isArray(row)) throw invalidInput(`${key}[${i}]`, row, `a list of ${features} numbers (null or "NaN" for a missing value)`);
    if (row.length !== features) throw invalidInput(`${key}[${i}]`, `${row.length} values`, `${features}: the model has ${features} features`);
    for (let j = 0; j < features; j++) out[i * features + j] = jsonFloat(row[j], `${key}[${i}][${j}]`);
  });
  return out;
}
