// Original file: proto/grpc_predict_v2.proto


/**
 * Asks whether one model is ready.
 */
export interface ModelReadyRequest {
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
 * Asks whether one model is ready.
 */
export interface ModelReadyRequest__Output {
  /**
   * The model's name.
   */
  'name': (string);
  /**
   * The model's version; empty lets the server choose.
   */
  'version': (string);
}
