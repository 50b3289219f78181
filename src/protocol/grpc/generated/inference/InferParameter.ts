// Original file: proto/grpc_predict_v2.proto

import type { Long } from '@grpc/proto-loader';

/**
 * One parameter value: a boolean, an integer, a string or a double.
 */
export interface InferParameter {
  /**
   * A boolean value.
   */
  'bool_param'?: (boolean);
  /**
   * A signed 64-bit integer value.
   */
  'int64_param'?: (number | string | Long);
  /**
   * A string value.
   */
  'string_param'?: (string);
  /**
   * A double value.
   */
  'double_param'?: (number | string);
  /**
   * An unsigned 64-bit integer value.
   */
  'uint64_param'?: (number | string | Long);
  /**
   * The value, of one of these types.
   */
  'parameter_choice'?: "bool_param"|"int64_param"|"string_param"|"double_param"|"uint64_param";
}

/**
 * One parameter value: a boolean, an integer, a string or a double.
 */
export interface InferParameter__Output {
  /**
   * A boolean value.
   */
  'bool_param'?: (boolean);
  /**
   * A signed 64-bit integer value.
   */
  'int64_param'?: (string);
  /**
   * A string value.
   */
  'string_param'?: (string);
  /**
   * A double value.
   */
  'double_param'?: (number);
  /**
   * An unsigned 64-bit integer value.
   */
  'uint64_param'?: (string);
  /**
   * The value, of one of these types.
   */
  'parameter_choice'?: "bool_param"|"int64_param"|"string_param"|"double_param"|"uint64_param";
}
