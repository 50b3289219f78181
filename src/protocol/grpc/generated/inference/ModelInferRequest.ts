// Original file: proto/grpc_predict_v2.proto

import type { InferParameter as _inference_InferParameter, InferParameter__Output as _inference_InferParameter__Output } from '../inference/InferParameter.ts';
import type { InferTensorContents as _inference_InferTensorContents, InferTensorContents__Output as _inference_InferTensorContents__Output } from '../inference/InferTensorContents.ts';
import type { Long } from '@grpc/proto-loader';

/**
 * One input tensor.
 */
export interface _inference_ModelInferRequest_InferInputTensor {
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
   * The tensor's values in typed fields; left empty when raw_input_contents is used.
   */
  'contents'?: (_inference_InferTensorContents | null);
}

/**
 * One input tensor.
 */
export interface _inference_ModelInferRequest_InferInputTensor__Output {
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
   * The tensor's values in typed fields; left empty when raw_input_contents is used.
   */
  'contents': (_inference_InferTensorContents__Output | null);
}

/**
 * One output the client asks for.
 */
export interface _inference_ModelInferRequest_InferRequestedOutputTensor {
  /**
   * The output's name.
   */
  'name'?: (string);
  /**
   * Per-output parameters.
   */
  'parameters'?: ({[key: string]: _inference_InferParameter});
}

/**
 * One output the client asks for.
 */
export interface _inference_ModelInferRequest_InferRequestedOutputTensor__Output {
  /**
   * The output's name.
   */
  'name': (string);
  /**
   * Per-output parameters.
   */
  'parameters': ({[key: string]: _inference_InferParameter__Output});
}

/**
 * One inference request.
 */
export interface ModelInferRequest {
  /**
   * The model's name.
   */
  'model_name'?: (string);
  /**
   * The model's version; empty lets the server choose.
   */
  'model_version'?: (string);
  /**
   * An identifier the response echoes.
   */
  'id'?: (string);
  /**
   * Request parameters.
   */
  'parameters'?: ({[key: string]: _inference_InferParameter});
  /**
   * The input tensors.
   */
  'inputs'?: (_inference_ModelInferRequest_InferInputTensor)[];
  /**
   * The outputs wanted; all outputs when empty.
   */
  'outputs'?: (_inference_ModelInferRequest_InferRequestedOutputTensor)[];
  /**
   * Raw input data, one buffer per input in input order, little-endian; BYTES elements are each
   * a 4-byte little-endian length followed by the bytes. When set, no input has contents.
   */
  'raw_input_contents'?: (Buffer | Uint8Array | string)[];
}

/**
 * One inference request.
 */
export interface ModelInferRequest__Output {
  /**
   * The model's name.
   */
  'model_name': (string);
  /**
   * The model's version; empty lets the server choose.
   */
  'model_version': (string);
  /**
   * An identifier the response echoes.
   */
  'id': (string);
  /**
   * Request parameters.
   */
  'parameters': ({[key: string]: _inference_InferParameter__Output});
  /**
   * The input tensors.
   */
  'inputs': (_inference_ModelInferRequest_InferInputTensor__Output)[];
  /**
   * The outputs wanted; all outputs when empty.
   */
  'outputs': (_inference_ModelInferRequest_InferRequestedOutputTensor__Output)[];
  /**
   * Raw input data, one buffer per input in input order, little-endian; BYTES elements are each
   * a 4-byte little-endian length followed by the bytes. When set, no input has contents.
   */
  'raw_input_contents': (Buffer)[];
}
