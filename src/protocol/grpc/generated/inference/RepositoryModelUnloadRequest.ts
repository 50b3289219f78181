// Original file: proto/grpc_predict_v2.proto


/**
 * Asks to unload a model.
 */
export interface RepositoryModelUnloadRequest {
  /**
   * The model's name.
   */
  'model_name'?: (string);
}

/**
 * Asks to unload a model.
 */
export interface RepositoryModelUnloadRequest__Output {
  /**
   * The model's name.
   */
  'model_name': (string);
}
