// Original file: proto/grpc_predict_v2.proto


/**
 * Liveness of the server.
 */
export interface ServerLiveResponse {
  /**
   * True when the server can receive and answer requests.
   */
  'live'?: (boolean);
}

/**
 * Liveness of the server.
 */
export interface ServerLiveResponse__Output {
  /**
   * True when the server can receive and answer requests.
   */
  'live': (boolean);
}
