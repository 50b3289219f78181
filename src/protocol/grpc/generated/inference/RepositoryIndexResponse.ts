// Original file: proto/grpc_predict_v2.proto


/**
 * One model and its state.
 */
export interface _inference_RepositoryIndexResponse_ModelIndex {
  /**
   * The model's name.
   */
  'name'?: (string);
  /**
   * The model's version.
   */
  'version'?: (string);
  /**
   * The model's state (UNAVAILABLE, LOADING, READY, UNLOADING, FAILED).
   */
  'state'?: (string);
  /**
   * Why the model is in that state, when it is not READY.
   */
  'reason'?: (string);
}

/**
 * One model and its state.
 */
export interface _inference_RepositoryIndexResponse_ModelIndex__Output {
  /**
   * The model's name.
   */
  'name': (string);
  /**
   * The model's version.
   */
  'version': (string);
  /**
   * The model's state (UNAVAILABLE, LOADING, READY, UNLOADING, FAILED).
   */
  'state': (string);
  /**
   * Why the model is in that state, when it is not READY.
   */
  'reason': (string);
}

/**
 * The models of a repository.
 */
export interface RepositoryIndexResponse {
  /**
   * The models.
   */
  'models'?: (_inference_RepositoryIndexResponse_ModelIndex)[];
}

/**
 * The models of a repository.
 */
export interface RepositoryIndexResponse__Output {
  /**
   * The models.
   */
  'models': (_inference_RepositoryIndexResponse_ModelIndex__Output)[];
}
