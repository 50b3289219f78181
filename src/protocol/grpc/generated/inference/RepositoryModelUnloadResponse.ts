// Original file: proto/grpc_predict_v2.proto


/**
 * The outcome of an unload.
 */
export interface RepositoryModelUnloadResponse {
  /**
   * The model's name.
   */
  'model_name'?: (string);
  /**
   * True when the model is unloaded.
   */
  'isUnloaded'?: (boolean);
}

/**
 * The outcome of an unload.
 */
export interface RepositoryModelUnloadResponse__Output {
  /**
   * The model's name.
   */
  'model_name': (string);
  /**
   * True when the model is unloaded.
   */
  'isUnloaded': (boolean);
}
