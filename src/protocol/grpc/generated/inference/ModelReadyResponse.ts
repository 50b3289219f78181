// Original file: proto/grpc_predict_v2.proto


/**
 * Readiness of one model.
 */
export interface ModelReadyResponse {
  /**
   * True when the model is ready to serve inference.
   */
  'ready'?: (boolean);
}

/**
 * Readiness of one model.
 */
export interface ModelReadyResponse__Output {
  /**
   * True when the model is ready to serve inference.
   */
  'ready': (boolean);
}
