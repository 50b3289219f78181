/**
 * Request helpers shared by the JavaScript evaluators (XGBoost, and open to LightGBM and PMML):
 * a boolean request parameter such as `output_margin`/`raw_score`, and the numeric input tensor
 * as the float array an evaluator walks, converted from any numeric datatype.
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
