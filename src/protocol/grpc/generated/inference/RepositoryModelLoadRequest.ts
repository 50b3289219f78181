// Original file: proto/grpc_predict_v2.proto


/**
 * Asks to load a model.
 */
export interface RepositoryModelLoadRequest {
  /**
   * The model's name.
   */
  'model_name'?: (string);
}

/**
 * Asks to load a model.
 */
export interface RepositoryModelLoadRequest__Output {
  /**
   * The model's name.
   */
  'model_name': (string);
}
