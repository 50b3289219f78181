/**
 * Turns the input/output metadata of an ONNX Runtime session into OIP model metadata, and decides
 * at load time whether the model can be served at all:
 *
 * - a tensor input or output whose element type has no OIP datatype (int4, uint4, …) fails the
 *   load. This is a safety check, not a nicety: fetching an int4/uint4 output aborts the whole
 *   Node process inside onnxruntime-node;
 * - a non-tensor input (sequence, map, optional) fails the load: the JavaScript API cannot build one;
 * - non-tensor outputs are left out of the metadata and never fetched (the caller logs them);
 *   when no tensor output remains, the load fails.
 *
 * Symbolic dimensions (ORT reports the dim_param string, or '' when unnamed) become -1.
 */
import { modelLoadFailed } from '../../core/errors.ts';
import type { TensorMetadata } from '../../protocol/infer.ts';
import { type OrtTensorType, isServableOrtType, oipDatatypeOf, supportedTypesText } from './datatypes.ts';

/** An input or output as `InferenceSession.inputMetadata` describes it (structured-clone safe). */
export interface OrtValueInfo {
  name: string;
  isTensor: boolean;
  type?: string;
  shape?: readonly (number | string)[];
}

/** A servable tensor input or output. */
export interface OnnxTensorSpec extends TensorMetadata {
  ortType: OrtTensorType;
}

/** What a model can be served as. */
export interface OnnxSignature {
  inputs: OnnxTensorSpec[];
  /** Tensor outputs only, in graph order. */
  outputs: OnnxTensorSpec[];
  /** Names of outputs left out because they are not tensors. */
  skippedOutputs: string[];
}

/** Checks a session's metadata; throws MODEL_LOAD_FAILED listing every problem found. */
export function checkSignature(modelName: string, inputs: readonly OrtValueInfo[], outputs: readonly OrtValueInfo[]): OnnxSignature {
  const problems: string[] = [];
  const sig: OnnxSignature = { inputs: [], outputs: [], skippedOutputs: [] };
  for (const m of inputs) {
    if (!m.isTensor) {
      problems.push(`input ${JSON.stringify(m.name)} is not a tensor (a sequence, map or optional value), and onnxruntime-node can feed only tensors`);
      continue;
    }
    const spec = toSpec(m, 'input', problems);
    if (spec) sig.inputs.push(spec);
  }
  for (const m of outputs) {
    if (!m.isTensor) {
      sig.skippedOutputs.push(m.name);
      continue;
    }
    const spec = toSpec(m, 'output', problems);
    if (spec) sig.outputs.push(spec);
  }
  if (problems.length === 0 && sig.outputs.length === 0) {
    const names = sig.skippedOutputs.map((n) => JSON.stringify(n)).join(', ');
    const what = sig.skippedOutputs.length === 1 ? 'is a sequence, map or optional value' : 'are sequences, maps or optional values';
    problems.push(`none of the model's outputs is a tensor (${names} ${what}, which onnxruntime-node cannot fetch)`);
  }
  if (problems.length > 0) throw modelLoadFailed(modelName, problems.join('; '));
  return sig;
}

function toSpec(m: OrtValueInfo, role: 'input' | 'output', problems: string[]): OnnxTensorSpec | undefined {
  const t = m.type ?? 'unknown';
  if (!isServableOrtType(t)) {
    problems.push(`${role} ${JSON.stringify(m.name)} has element type ${t}, which onnxruntime-node cannot exchange with JavaScript; supported element types: ${supportedTypesText()}`);
    return undefined;
  }
  const shape = (m.shape ?? []).map((d) => (typeof d === 'number' && d >= 0 ? d : -1));
  return { name: m.name, datatype: oipDatatypeOf(t), shape, ortType: t };
}

/** The OIP metadata view of specs (drops the ORT type). */
export function toTensorMetadata(specs: readonly OnnxTensorSpec[]): TensorMetadata[] {
  return specs.map((s) => ({ name: s.name, datatype: s.datatype, shape: [...s.shape] }));
}
