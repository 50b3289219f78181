/**
 * Tensor lists of ModelInferRequest / ModelInferResponse ↔ internal `Tensor`s: name, datatype,
 * shape, per-tensor parameters, and the data from typed contents or from the parallel list of raw
 * buffers. The two sides differ only in field names (inputs/raw_input_contents,
 * outputs/raw_output_contents), passed in as a `Side`.
 */
import { invalidInput } from '../../core/errors.ts';
import { DATATYPES, isDatatype } from '../datatype.ts';
import { type Tensor, checkDataLength, checkShape, dataMatches, elementCount } from '../tensor.ts';
import { contentsCount, decodeContents, encodeContents } from './contents.ts';
import type { InferParameter, InferParameter__Output } from './generated/inference/InferParameter.ts';
import type { InferTensorContents, InferTensorContents__Output } from './generated/inference/InferTensorContents.ts';
import { decodeParameters, encodeParameters } from './parameters.ts';
import { decodeRaw, encodeRaw } from './raw.ts';

/** Field names of one side of the protocol. */
export interface Side {
  readonly list: 'inputs' | 'outputs';
  readonly raw: 'raw_input_contents' | 'raw_output_contents';
}
export const INPUT_SIDE: Side = { list: 'inputs', raw: 'raw_input_contents' };
export const OUTPUT_SIDE: Side = { list: 'outputs', raw: 'raw_output_contents' };

/** A tensor message as decoded (InferInputTensor and InferOutputTensor have the same fields). */
export interface TensorMessage__Output {
  name: string;
  datatype: string;
  shape: (string | number)[];
  parameters: Record<string, InferParameter__Output>;
  contents: InferTensorContents__Output | null;
}

/** A tensor message to encode. */
export interface TensorMessage {
  name: string;
  datatype: string;
  shape: number[];
  parameters?: Record<string, InferParameter>;
  contents?: InferTensorContents;
}

const INTEGER = /^-?\d{1,20}$/;

/** A repeated int64 dimension list (decimal strings) → numbers; `field` names it in errors. */
export function decodeDims(v: unknown, field: string): number[] {
  if (!Array.isArray(v)) throw invalidInput(field, v, 'a list of integer dimensions');
  return v.map((d: unknown, j) => {
    const n = typeof d === 'string' && INTEGER.test(d) ? Number(d) : d;
    if (typeof n !== 'number' || !Number.isSafeInteger(n)) throw invalidInput(`${field}[${j}]`, d, 'an integer');
    return n;
  });
}

/** Decodes a tensor list; with a non-empty `raw` list, data comes from it, one buffer per tensor. */
export function decodeTensors(msgs: readonly TensorMessage__Output[] | undefined, raw: readonly Uint8Array[] | undefined, side: Side): Tensor[] {
  const list: unknown = msgs ?? [];
  const raws: unknown = raw ?? [];
  if (!Array.isArray(list)) throw invalidInput(side.list, list, 'a list of tensors');
  if (!Array.isArray(raws)) throw invalidInput(side.raw, raws, 'a list of byte buffers');
  if (raws.length > 0 && raws.length !== list.length) {
    throw invalidInput(side.raw, `${raws.length} buffers`, `${list.length} buffers, one per tensor of ${side.list} in order`);
  }
  return list.map((m: unknown, i) => decodeTensor(m, raws.length > 0 ? (raws[i] as Uint8Array) : undefined, i, side));
}

function decodeTensor(msg: unknown, raw: Uint8Array | undefined, i: number, side: Side): Tensor {
  const f = `${side.list}[${i}]`;
  if (msg === null || typeof msg !== 'object') throw invalidInput(f, msg, 'a tensor message');
  const m = msg as Partial<TensorMessage__Output>;
  const { name, datatype } = m;
  if (typeof name !== 'string') throw invalidInput(`${f}.name`, name, 'a string');
  if (!isDatatype(datatype)) throw invalidInput(`${f}.datatype`, datatype, `one of ${DATATYPES.join(', ')}`);
  const shape = checkShape(decodeDims(m.shape, `${f}.shape`), `${f}.shape`);
  const count = elementCount(shape);
  let data: Tensor['data'];
  if (raw !== undefined) {
    const given = contentsCount(m.contents);
    if (given > 0) throw invalidInput(`${f}.contents`, `${given} values`, `no typed contents, since ${side.raw} is used`);
    data = decodeRaw(datatype, raw, count, `${side.raw}[${i}] (${side.list}[${i}] ${JSON.stringify(name)}, ${datatype} ${JSON.stringify(shape)})`);
  } else {
    data = decodeContents(datatype, m.contents, count, `${f}.contents`, side.raw);
  }
  const t: Tensor = { name, datatype, shape, data };
  const params = decodeParameters(m.parameters, `${f}.parameters`);
  if (params) t.parameters = params;
  return t;
}

/**
 * Encodes a tensor list. Raw when `raw` is asked for, or when any tensor is FP16 (which has no
 * typed contents, and the protocol does not mix raw and typed in one message).
 */
export function encodeTensors(ts: readonly Tensor[], raw: boolean, side: Side): { tensors: TensorMessage[]; raw?: Uint8Array[] } {
  const useRaw = raw || ts.some((t) => t.datatype === 'FP16');
  const tensors: TensorMessage[] = [];
  const buffers: Uint8Array[] = [];
  ts.forEach((t, i) => {
    const f = `${side.list}[${i}]`;
    if (!isDatatype(t.datatype)) throw invalidInput(`${f}.datatype`, t.datatype, `one of ${DATATYPES.join(', ')}`);
    checkShape(t.shape, `${f}.shape`);
    if (!dataMatches(t.datatype, t.data)) {
      throw invalidInput(`${f}.data`, t.data?.constructor?.name, `the array type of ${t.datatype}`);
    }
    checkDataLength(t, f);
    const m: TensorMessage = { name: t.name, datatype: t.datatype, shape: t.shape };
    const params = encodeParameters(t.parameters, `${f}.parameters`);
    if (params) m.parameters = params;
    if (useRaw) buffers.push(encodeRaw(t.datatype, t.data));
    else if (t.datatype !== 'FP16') m.contents = encodeContents(t.datatype, t.data);
    tensors.push(m);
  });
  return useRaw ? { tensors, raw: buffers } : { tensors };
}
