import type { Datatype } from './datatype.ts';
import type { Parameters, Tensor } from './tensor.ts';

/** An output the client asked for, with its per-output parameters (e.g. binary_data). */
export interface RequestedOutput {
  name: string;
  parameters?: Parameters;
}

/** The internal inference request: what every transport decodes into. */
export interface InferRequest {
  modelName: string;
  modelVersion?: string;
  /** The request id to echo (OIP `id`); the data plane assigns one if absent. */
  id?: string;
  parameters?: Parameters;
  inputs: Tensor[];
  /** When set, only these outputs are returned, in this order. */
  outputs?: RequestedOutput[];
}

/** The internal inference response: what every transport encodes from. */
export interface InferResponse {
  modelName: string;
  modelVersion?: string;
  id: string;
  parameters?: Parameters;
  outputs: Tensor[];
}

/** Name, datatype and shape of a model input or output; -1 marks a dynamic dimension. */
export interface TensorMetadata {
  name: string;
  datatype: Datatype;
  shape: number[];
  parameters?: Parameters;
}

/** OIP model metadata. */
export interface ModelMetadata {
  name: string;
  versions?: string[];
  platform: string;
  inputs: TensorMetadata[];
  outputs: TensorMetadata[];
  parameters?: Parameters;
}

/** OIP server metadata. */
export interface ServerMetadata {
  name: string;
  version: string;
  extensions: string[];
}

/** Model states as the repository index reports them (Triton's names). */
export type ModelState = 'UNAVAILABLE' | 'LOADING' | 'READY' | 'UNLOADING' | 'FAILED';

export interface ModelIndexEntry {
  name: string;
  version?: string;
  state: ModelState;
  reason: string;
}
