// Original file: proto/grpc_predict_v2.proto


/**
 * Asks whether the server is live.
 */
export interface ServerLiveRequest {
}

/**
 * Asks whether the server is live.
 */
export interface ServerLiveRequest__Output {
}
