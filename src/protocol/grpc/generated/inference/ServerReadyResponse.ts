// Original file: proto/grpc_predict_v2.proto


/**
 * Readiness of the server.
 */
export interface ServerReadyResponse {
  /**
   * True when the server is ready to serve inference.
   */
  'ready'?: (boolean);
}

/**
 * Readiness of the server.
 */
export interface ServerReadyResponse__Output {
  /**
   * True when the server is ready to serve inference.
   */
  'ready': (boolean);
}
