// Original file: proto/grpc_predict_v2.proto


/**
 * The server's metadata.
 */
export interface ServerMetadataResponse {
  /**
   * The server's name.
   */
  'name'?: (string);
  /**
   * The server's version.
   */
  'version'?: (string);
  /**
   * The protocol extensions the server supports.
   */
  'extensions'?: (string)[];
}

/**
 * The server's metadata.
 */
export interface ServerMetadataResponse__Output {
  /**
   * The server's name.
   */
  'name': (string);
  /**
   * The server's version.
   */
  'version': (string);
  /**
   * The protocol extensions the server supports.
   */
  'extensions': (string)[];
}
