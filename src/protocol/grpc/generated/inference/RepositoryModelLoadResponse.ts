// Original file: proto/grpc_predict_v2.proto


/**
 * The outcome of a load.
 */
export interface RepositoryModelLoadResponse {
  /**
   * The model's name.
   */
  'model_name'?: (string);
  /**
   * True when the model is loaded.
   */
  'isLoaded'?: (boolean);
}

/**
 * The outcome of a load.
 */
export interface RepositoryModelLoadResponse__Output {
  /**
   * The model's name.
   */
  'model_name': (string);
  /**
   * True when the model is loaded.
   */
  'isLoaded': (boolean);
}
