// Original file: proto/grpc_predict_v2.proto


/**
 * Asks for one model's metadata.
 */
export interface ModelMetadataRequest {
  /**
   * The model's name.
   */
  'name'?: (string);
  /**
   * The model's version; empty lets the server choose.
   */
  'version'?: (string);
}

/**
 * Asks for one model's metadata.
 */
export interface ModelMetadataRequest__Output {
  /**
   * The model's name.
   */
  'name': (string);
  /**
   * The model's version; empty lets the server choose.
   */
  'version': (string);
}
