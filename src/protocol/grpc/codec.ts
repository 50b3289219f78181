/**
 * The gRPC codec of the Open Inference Protocol: proto message objects, as @grpc/proto-loader
 * decodes and encodes them with `PROTO_LOADER_OPTIONS` (./proto.ts), ↔ the internal
 * `InferRequest` / `InferResponse`.
 *
 * Tensor data comes either from typed contents or from raw contents (one little-endian buffer per
 * tensor); raw decoding makes typed-array views, no per-element objects. As Triton and KServe do,
 * a response uses raw_output_contents when its request used raw_input_contents (and always when
 * an output is FP16, which has no typed field). Bad input throws INVALID_INPUT naming the field.
 */
import { ServingError, inferenceFailed, invalidInput } from '../../core/errors.ts';
import type { InferRequest, InferResponse, RequestedOutput } from '../infer.ts';
import type { ModelInferRequest, ModelInferRequest__Output } from './generated/inference/ModelInferRequest.ts';
import type { ModelInferResponse, ModelInferResponse__Output } from './generated/inference/ModelInferResponse.ts';
import { decodeParameters, encodeParameters } from './parameters.ts';
import { INPUT_SIDE, OUTPUT_SIDE, decodeTensors, encodeTensors } from './tensors.ts';

export interface EncodeOptions {
  /** Send tensor data as raw contents (forced when any tensor is FP16). */
  raw: boolean;
}

function str(v: unknown, field: string): string {
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') throw invalidInput(field, v, 'a string');
  return v;
}

/** True when the request carries raw_input_contents (so the response should use raw outputs). */
export function usesRawContents(msg: Pick<ModelInferRequest__Output, 'raw_input_contents'>): boolean {
  return Array.isArray(msg.raw_input_contents) && msg.raw_input_contents.length > 0;
}

/** A decoded ModelInferRequest → InferRequest. Throws INVALID_INPUT naming the field. */
export function decodeInferRequest(msg: ModelInferRequest__Output): InferRequest {
  if (msg === null || typeof msg !== 'object') throw invalidInput('request', msg, 'a ModelInferRequest message');
  const req: InferRequest = {
    modelName: str(msg.model_name, 'model_name'),
    inputs: decodeTensors(msg.inputs, msg.raw_input_contents, INPUT_SIDE),
  };
  const version = str(msg.model_version, 'model_version');
  if (version !== '') req.modelVersion = version;
  const id = str(msg.id, 'id');
  if (id !== '') req.id = id;
  const params = decodeParameters(msg.parameters, 'parameters');
  if (params) req.parameters = params;
  const outputs: unknown = msg.outputs ?? [];
  if (!Array.isArray(outputs)) throw invalidInput('outputs', outputs, 'a list of requested outputs');
  if (outputs.length > 0) {
    req.outputs = outputs.map((o: unknown, i): RequestedOutput => {
      if (o === null || typeof o !== 'object') throw invalidInput(`outputs[${i}]`, o, 'a requested output message');
      const m = o as Partial<ModelInferRequest__Output['outputs'][number]>;
      const r: RequestedOutput = { name: str(m.name, `outputs[${i}].name`) };
      const p = decodeParameters(m.parameters, `outputs[${i}].parameters`);
      if (p) r.parameters = p;
      return r;
    });
  }
  return req;
}

/** InferRequest → a ModelInferRequest message (the client side: gateway, tests, tools). */
export function encodeInferRequest(req: InferRequest, opts: EncodeOptions): ModelInferRequest {
  const { tensors, raw } = encodeTensors(req.inputs, opts.raw, INPUT_SIDE);
  const msg: ModelInferRequest = { model_name: req.modelName, inputs: tensors };
  if (raw) msg.raw_input_contents = raw;
  if (req.modelVersion !== undefined) msg.model_version = req.modelVersion;
  if (req.id !== undefined) msg.id = req.id;
  const params = encodeParameters(req.parameters, 'parameters');
  if (params) msg.parameters = params;
  if (req.outputs && req.outputs.length > 0) {
    msg.outputs = req.outputs.map((o, i) => {
      const p = encodeParameters(o.parameters, `outputs[${i}].parameters`);
      return p ? { name: o.name, parameters: p } : { name: o.name };
    });
  }
  return msg;
}

/**
 * InferResponse → a ModelInferResponse message. Outputs that do not match their datatype (a model
 * bug, not bad input) become INFERENCE_FAILED.
 */
export function encodeInferResponse(res: InferResponse, opts: EncodeOptions): ModelInferResponse {
  try {
    const { tensors, raw } = encodeTensors(res.outputs, opts.raw, OUTPUT_SIDE);
    const msg: ModelInferResponse = { model_name: res.modelName, id: res.id, outputs: tensors };
    if (raw) msg.raw_output_contents = raw;
    if (res.modelVersion !== undefined) msg.model_version = res.modelVersion;
    const params = encodeParameters(res.parameters, 'parameters');
    if (params) msg.parameters = params;
    return msg;
  } catch (err) {
    if (err instanceof ServingError && err.code === 'INVALID_INPUT') throw inferenceFailed(res.modelName, `bad output, ${err.message}`, err);
    throw err;
  }
}

/** A decoded ModelInferResponse → InferResponse (the client side). Throws INVALID_INPUT. */
export function decodeInferResponse(msg: ModelInferResponse__Output): InferResponse {
  if (msg === null || typeof msg !== 'object') throw invalidInput('response', msg, 'a ModelInferResponse message');
  const res: InferResponse = {
    modelName: str(msg.model_name, 'model_name'),
    id: str(msg.id, 'id'),
    outputs: decodeTensors(msg.outputs, msg.raw_output_contents, OUTPUT_SIDE),
  };
  const version = str(msg.model_version, 'model_version');
  if (version !== '') res.modelVersion = version;
  const params = decodeParameters(msg.parameters, 'parameters');
  if (params) res.parameters = params;
  return res;
}
