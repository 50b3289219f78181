// Original file: proto/grpc_predict_v2.proto


/**
 * Asks whether the server is ready.
 */
export interface ServerReadyRequest {
}

/**
 * Asks whether the server is ready.
 */
export interface ServerReadyRequest__Output {
}
