// Original file: proto/grpc_predict_v2.proto

import type { Long } from '@grpc/proto-loader';

/**
 * Name, datatype and shape of one input or output; -1 marks a dimension of any size.
 */
export interface _inference_ModelMetadataResponse_TensorMetadata {
  /**
   * The tensor's name.
   */
  'name'?: (string);
  /**
   * The tensor's datatype (BOOL, UINT8 ... FP64, BYTES).
   */
  'datatype'?: (string);
  /**
   * The tensor's shape; -1 for a dimension of any size.
   */
  'shape'?: (number | string | Long)[];
}

/**
 * Name, datatype and shape of one input or output; -1 marks a dimension of any size.
 */
export interface _inference_ModelMetadataResponse_TensorMetadata__Output {
  /**
   * The tensor's name.
   */
  'name': (string);
  /**
   * The tensor's datatype (BOOL, UINT8 ... FP64, BYTES).
   */
  'datatype': (string);
  /**
   * The tensor's shape; -1 for a dimension of any size.
   */
  'shape': (string)[];
}

/**
 * One model's metadata.
 */
export interface ModelMetadataResponse {
  /**
   * The model's name.
   */
  'name'?: (string);
  /**
   * The versions of the model the server has.
   */
  'versions'?: (string)[];
  /**
   * The framework/backend of the model (e.g. onnx_onnxv1).
   */
  'platform'?: (string);
  /**
   * The model's inputs.
   */
  'inputs'?: (_inference_ModelMetadataResponse_TensorMetadata)[];
  /**
   * The model's outputs.
   */
  'outputs'?: (_inference_ModelMetadataResponse_TensorMetadata)[];
}

/**
 * One model's metadata.
 */
export interface ModelMetadataResponse__Output {
  /**
   * The model's name.
   */
  'name': (string);
  /**
   * The versions of the model the server has.
   */
  'versions': (string)[];
  /**
   * The framework/backend of the model (e.g. onnx_onnxv1).
   */
  'platform': (string);
  /**
   * The model's inputs.
   */
  'inputs': (_inference_ModelMetadataResponse_TensorMetadata__Output)[];
  /**
   * The model's outputs.
   */
  'outputs': (_inference_ModelMetadataResponse_TensorMetadata__Output)[];
}
