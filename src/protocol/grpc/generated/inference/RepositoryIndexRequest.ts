// Original file: proto/grpc_predict_v2.proto


/**
 * Asks for the models of a repository.
 */
export interface RepositoryIndexRequest {
  /**
   * The repository's name; empty for the server's only repository.
   */
  'repository_name'?: (string);
  /**
   * Only list models that are ready.
   */
  'ready'?: (boolean);
}

/**
 * Asks for the models of a repository.
 */
export interface RepositoryIndexRequest__Output {
  /**
   * The repository's name; empty for the server's only repository.
   */
  'repository_name': (string);
  /**
   * Only list models that are ready.
   */
  'ready': (boolean);
}
