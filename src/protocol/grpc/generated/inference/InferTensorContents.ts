// Original file: proto/grpc_predict_v2.proto

import type { Long } from '@grpc/proto-loader';

/**
 * A tensor's values in row-major order; only the field of the tensor's datatype is used.
 */
export interface InferTensorContents {
  /**
   * BOOL values.
   */
  'bool_contents'?: (boolean)[];
  /**
   * INT8, INT16 and INT32 values.
   */
  'int_contents'?: (number)[];
  /**
   * INT64 values.
   */
  'int64_contents'?: (number | string | Long)[];
  /**
   * UINT8, UINT16 and UINT32 values.
   */
  'uint_contents'?: (number)[];
  /**
   * UINT64 values.
   */
  'uint64_contents'?: (number | string | Long)[];
  /**
   * FP32 values.
   */
  'fp32_contents'?: (number | string)[];
  /**
   * FP64 values.
   */
  'fp64_contents'?: (number | string)[];
  /**
   * BYTES values, one per element.
   */
  'bytes_contents'?: (Buffer | Uint8Array | string)[];
}

/**
 * A tensor's values in row-major order; only the field of the tensor's datatype is used.
 */
export interface InferTensorContents__Output {
  /**
   * BOOL values.
   */
  'bool_contents': (boolean)[];
  /**
   * INT8, INT16 and INT32 values.
   */
  'int_contents': (number)[];
  /**
   * INT64 values.
   */
  'int64_contents': (string)[];
  /**
   * UINT8, UINT16 and UINT32 values.
   */
  'uint_contents': (number)[];
  /**
   * UINT64 values.
   */
  'uint64_contents': (string)[];
  /**
   * FP32 values.
   */
  'fp32_contents': (number)[];
  /**
   * FP64 values.
   */
  'fp64_contents': (number)[];
  /**
   * BYTES values, one per element.
   */
  'bytes_contents': (Buffer)[];
}
