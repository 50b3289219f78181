/**
 * kserve-ts public SDK: write custom models and transformers in TypeScript, or embed the model
 * server. `kserve-ts model-server --model-class ./my-model.ts` serves a file exporting a Model.
 */
export { Model, type ModelFactory, type ModelOptions, type PredictResult, type RequestContext, type V1Body } from './runtimes/model.ts';
export { Transformer } from './runtimes/transformer/transformer.ts';
export { makeTensor, elementCount, type Tensor, type Parameters, type ParameterValue } from './protocol/tensor.ts';
export type { Datatype, TensorData, NumericArray } from './protocol/datatype.ts';
export type { InferRequest, InferResponse, ModelMetadata, TensorMetadata, ServerMetadata } from './protocol/infer.ts';
export { ServingError, ErrorCode, invalidInput, invalidRequest, modelNotFound, modelNotReady, inferenceFailed } from './core/errors.ts';
export { startModelServer, type RunningModelServer } from './dataplane/model-server.ts';
export { parseModelServerArgs, type ModelServerConfig } from './dataplane/config.ts';
