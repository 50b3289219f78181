// Original file: proto/grpc_predict_v2.proto

import type { InferParameter as _inference_InferParameter, InferParameter__Output as _inference_InferParameter__Output } from '../inference/InferParameter.ts';
import type { InferTensorContents as _inference_InferTensorContents, InferTensorContents__Output as _inference_InferTensorContents__Output } from '../inference/InferTensorContents.ts';
import type { Long } from '@grpc/proto-loader';

/**
 * One output tensor.
 */
export interface _inference_ModelInferResponse_InferOutputTensor {
  /**
   * The tensor's name.
   */
  'name'?: (string);
  /**
   * The tensor's datatype.
   */
  'datatype'?: (string);
  /**
   * The tensor's shape; [] is a scalar.
   */
  'shape'?: (number | string | Long)[];
  /**
   * Per-tensor parameters.
   */
  'parameters'?: ({[key: string]: _inference_InferParameter});
  /**
   * The tensor's values in typed fields; left empty when raw_output_contents is used.
   */
  'contents'?: (_inference_InferTensorContents | null);
}

/**
 * One output tensor.
 */
export interface _inference_ModelInferResponse_InferOutputTensor__Output {
  /**
   * The tensor's name.
   */
  'name': (string);
  /**
   * The tensor's datatype.
   */
  'datatype': (string);
  /**
   * The tensor's shape; [] is a scalar.
   */
  'shape': (string)[];
  /**
   * Per-tensor parameters.
   */
  'parameters': ({[key: string]: _inference_InferParameter__Output});
  /**
   * The tensor's values in typed fields; left empty when raw_output_contents is used.
   */
  'contents': (_inference_InferTensorContents__Output | null);
}

/**
 * One inference response.
 */
export interface ModelInferResponse {
  /**
   * The model's name.
   */
  'model_name'?: (string);
  /**
   * The model's version.
   */
  'model_version'?: (string);
  /**
   * The request's identifier.
   */
  'id'?: (string);
  /**
   * Response parameters.
   */
  'parameters'?: ({[key: string]: _inference_InferParameter});
  /**
   * The output tensors.
   */
  'outputs'?: (_inference_ModelInferResponse_InferOutputTensor)[];
  /**
   * Raw output data, one buffer per output in output order, encoded as raw_input_contents.
   */
  'raw_output_contents'?: (Buffer | Uint8Array | string)[];
}

/**
 * One inference response.
 */
export interface ModelInferResponse__Output {
  /**
   * The model's name.
   */
  'model_name': (string);
  /**
   * The model's version.
   */
  'model_version': (string);
  /**
   * The request's identifier.
   */
  'id': (string);
  /**
   * Response parameters.
   */
  'parameters': ({[key: string]: _inference_InferParameter__Output});
  /**
   * The output tensors.
   */
  'outputs': (_inference_ModelInferResponse_InferOutputTensor__Output)[];
  /**
   * Raw output data, one buffer per output in output order, encoded as raw_input_contents.
   */
  'raw_output_contents': (Buffer)[];
}
