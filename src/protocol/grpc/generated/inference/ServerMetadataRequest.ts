// Original file: proto/grpc_predict_v2.proto


/**
 * Asks for the server's metadata.
 */
export interface ServerMetadataRequest {
}

/**
 * Asks for the server's metadata.
 */
export interface ServerMetadataRequest__Output {
}
