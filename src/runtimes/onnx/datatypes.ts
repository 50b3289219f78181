/**
 * ONNX Runtime element types ↔ Open Inference Protocol datatypes.
 *
 * onnxruntime-node names tensor element types with strings ('float32', 'int64', …). Only the types
 * below can cross the JavaScript boundary with a typed array we also use for OIP tensors; every
 * other ONNX type (int4/uint4, bfloat16, the float8 family, complex) is refused at load time,
 * because some of them abort the whole process when fetched (int4/uint4 outputs, see
 * fixtures/onnx/expected-failures).
 *
 * This module is imported by the worker thread too, so it depends on nothing but types.
 */
import type { Datatype } from '../../protocol/datatype.ts';

/** The ORT element types kserve-ts serves. */
export type OrtTensorType =
  | 'float32' | 'float16' | 'float64'
  | 'int8' | 'int16' | 'int32' | 'int64'
  | 'uint8' | 'uint16' | 'uint32' | 'uint64'
  | 'bool' | 'string';

const ORT_TO_OIP: Readonly<Record<OrtTensorType, Datatype>> = Object.freeze({
  float32: 'FP32', float16: 'FP16', float64: 'FP64',
  int8: 'INT8', int16: 'INT16', int32: 'INT32', int64: 'INT64',
  uint8: 'UINT8', uint16: 'UINT16', uint32: 'UINT32', uint64: 'UINT64',
  bool: 'BOOL', string: 'BYTES',
});

const OIP_TO_ORT: Readonly<Record<Datatype, OrtTensorType>> = Object.freeze(
  Object.fromEntries(Object.entries(ORT_TO_OIP).map(([ort, oip]) => [oip, ort])) as Record<Datatype, OrtTensorType>,
);

/** Whether ORT type string `t` is one kserve-ts can serve. */
export function isServableOrtType(t: string): t is OrtTensorType {
  return Object.prototype.hasOwnProperty.call(ORT_TO_OIP, t);
}

/** The OIP datatype of a servable ORT element type. */
export function oipDatatypeOf(t: OrtTensorType): Datatype {
  return ORT_TO_OIP[t];
}

/** The ORT element type of an OIP datatype. */
export function ortTypeOf(dt: Datatype): OrtTensorType {
  return OIP_TO_ORT[dt];
}

/** "float32 (FP32), float16 (FP16), …": the supported types, for error messages. */
export function supportedTypesText(): string {
  return Object.entries(ORT_TO_OIP).map(([ort, oip]) => `${ort} (${oip})`).join(', ');
}

/**
 * Names of ONNX `TensorProto.DataType` codes (onnx/onnx.proto). onnxruntime-node reports only the
 * code ("Unsupported data type: 16") for types it cannot describe, so messages translate it.
 */
const ONNX_TYPE_NAMES: readonly string[] = [
  'undefined', 'float32', 'uint8', 'int8', 'uint16', 'int16', 'int32', 'int64', 'string', 'bool',
  'float16', 'float64', 'uint32', 'uint64', 'complex64', 'complex128', 'bfloat16',
  'float8e4m3fn', 'float8e4m3fnuz', 'float8e5m2', 'float8e5m2fnuz', 'uint4', 'int4', 'float4e2m1',
  'float8e8m0', 'uint2', 'int2',
];

/** The name of ONNX data type code `code` ('bfloat16' for 16), or `type <code>` when unknown. */
export function onnxTypeName(code: number): string {
  return ONNX_TYPE_NAMES[code] ?? `type ${code}`;
}
