/**
 * Open Inference Protocol v2 REST codec: JSON request → InferRequest, InferResponse → JSON text.
 * With the binary tensor extension the JSON header is followed by raw tensor bytes; this module
 * decodes both (the caller splits the body, see v2-binary.ts) and encodes binary outputs when asked.
 */
import { invalidInput } from '../core/errors.ts';
import { type Datatype, type NumericArray, type NumericDatatype, bytesOf, elementSize, isDatatype, viewNumeric } from './datatype.ts';
import type { InferRequest, InferResponse, RequestedOutput } from './infer.ts';
import { decodeData, encodeFlat, stringifyValue } from './json-data.ts';
import { packBytes, unpackBytes } from './bytes-codec.ts';
import { type Parameters, type Tensor, checkShape, elementCount } from './tensor.ts';

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Checks a parameters object: values must be string, number, boolean (or bigint). */
export function decodeParameters(v: unknown, field: string): Parameters | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isObject(v)) throw invalidInput(field, v, 'an object of parameters');
  for (const [k, x] of Object.entries(v)) {
    const t = typeof x;
    if (t !== 'string' && t !== 'number' && t !== 'boolean' && t !== 'bigint') {
      throw invalidInput(`${field}.${k}`, x, 'a string, number or boolean');
    }
  }
  return v as Parameters;
}

/**
 * The binary section of a request: one contiguous buffer (split off the body), or one buffer per
 * binary input, in input order (read straight off the socket, each its own aligned ArrayBuffer,
 * see dataplane/http/binary-body.ts).
 */
export type BinarySection = Uint8Array | readonly Uint8Array[];

/** Hands out the binary section's bytes in input order. */
class BinaryCursor {
  private offset = 0;
  private index = 0;
  constructor(private readonly section: BinarySection | undefined) {}

  private get total(): number {
    const s = this.section;
    if (!s) return 0;
    return s instanceof Uint8Array ? s.byteLength : s.reduce((n, b) => n + b.byteLength, 0);
  }

  take(size: number, field: string): Uint8Array {
    const s = this.section;
    const avail = this.total - this.offset;
    if (!s || size > avail) {
      throw invalidInput(`${field}.parameters.binary_data_size`, size, `at most the ${Math.max(avail, 0)} binary bytes left in the body`);
    }
    let bytes: Uint8Array;
    if (s instanceof Uint8Array) bytes = s.subarray(this.offset, this.offset + size);
    else {
      const seg = s[this.index];
      if (!seg || seg.byteLength !== size) throw invalidInput(`${field}.parameters.binary_data_size`, size, `${seg?.byteLength ?? 0} (the size of this input's binary segment)`);
      this.index++;
      bytes = seg;
    }
    this.offset += size;
    return bytes;
  }

  /** Fails when bytes are left over after the last binary input. */
  finish(): void {
    const total = this.total;
    if (total !== this.offset) {
      throw invalidInput('binary data', `${total} bytes after the JSON header`, `${this.offset} bytes (the sum of the inputs' binary_data_size)`);
    }
  }
}

/**
 * Decodes a parsed V2 request body. `binary` is the raw section after the JSON header (binary
 * tensor extension); inputs with `parameters.binary_data_size` take their bytes from it in order.
 */
export function decodeV2Request(body: unknown, modelName: string, modelVersion?: string, binary?: BinarySection): InferRequest {
  if (!isObject(body)) throw invalidInput('request body', body, 'a JSON object with "inputs"');
  const inputs = body.inputs;
  if (!Array.isArray(inputs)) throw invalidInput('inputs', inputs, 'a list of input tensors');
  const req: InferRequest = { modelName, inputs: [] };
  if (modelVersion !== undefined) req.modelVersion = modelVersion;
  if (body.id !== undefined) {
    if (typeof body.id !== 'string') throw invalidInput('id', body.id, 'a string');
    req.id = body.id;
  }
  const params = decodeParameters(body.parameters, 'parameters');
  if (params) req.parameters = params;
  const cursor = new BinaryCursor(binary);
  for (let i = 0; i < inputs.length; i++) req.inputs.push(decodeInput(inputs[i], `inputs[${i}]`, cursor));
  cursor.finish();
  if (body.outputs !== undefined) req.outputs = decodeRequestedOutputs(body.outputs);
  return req;
}

function decodeInput(v: unknown, field: string, cursor: BinaryCursor): Tensor {
  if (!isObject(v)) throw invalidInput(field, v, 'an input tensor object');
  const { name, datatype } = v;
  if (typeof name !== 'string' || name === '') throw invalidInput(`${field}.name`, name, 'a non-empty string');
  if (!isDatatype(datatype)) throw invalidInput(`${field}.datatype`, datatype, 'one of BOOL, UINT8, UINT16, UINT32, UINT64, INT8, INT16, INT32, INT64, FP16, FP32, FP64, BYTES');
  const shape = checkShape(v.shape, `${field}.shape`);
  const params = decodeParameters(v.parameters, `${field}.parameters`);
  const count = elementCount(shape);
  const size = params?.binary_data_size;
  let t: Tensor;
  if (size !== undefined) {
    if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) {
      throw invalidInput(`${field}.parameters.binary_data_size`, size, 'a non-negative integer');
    }
    if (v.data !== undefined) throw invalidInput(`${field}.data`, 'data with binary_data_size', 'either data or binary_data_size, not both');
    t = { name, datatype, shape, data: decodeRaw(cursor.take(size, field), datatype, count, field) };
  } else {
    if (v.data === undefined) throw invalidInput(`${field}.data`, undefined, 'tensor data (or parameters.binary_data_size)');
    t = { name, datatype, shape, data: decodeData(v.data, datatype, count, `${field}.data`) };
  }
  if (params) t.parameters = params;
  return t;
}

/** Raw little-endian bytes → typed data, checking the length against the shape. */
export function decodeRaw(bytes: Uint8Array, datatype: Datatype, count: number, field: string): Tensor['data'] {
  if (datatype === 'BYTES') return unpackBytes(bytes, count, field);
  const want = count * elementSize(datatype);
  if (bytes.byteLength !== want) {
    throw invalidInput(`${field} binary data`, `${bytes.byteLength} bytes`, `${want} bytes (${count} × ${datatype})`);
  }
  const arr = viewNumeric(datatype, bytes);
  if (datatype === 'BOOL') {
    const a = arr as Uint8Array;
    for (let i = 0; i < a.length; i++) if (a[i]! > 1) throw invalidInput(`${field} binary data[${i}]`, a[i], '0 or 1 (BOOL)');
  }
  return arr;
}

function decodeRequestedOutputs(v: unknown): RequestedOutput[] {
  if (!Array.isArray(v)) throw invalidInput('outputs', v, 'a list of requested outputs');
  return v.map((o, i) => {
    if (!isObject(o) || typeof o.name !== 'string') throw invalidInput(`outputs[${i}]`, o, 'an object with a string "name"');
    const r: RequestedOutput = { name: o.name };
    const p = decodeParameters(o.parameters, `outputs[${i}].parameters`);
    if (p) r.parameters = p;
    return r;
  });
}

/** Which outputs go binary: per-output `binary_data` overrides request-level `binary_data_output`. */
export function binaryOutputs(req: Pick<InferRequest, 'parameters' | 'outputs'>, outputs: readonly Tensor[]): boolean[] {
  const all = req.parameters?.binary_data_output === true;
  const per = new Map<string, unknown>();
  for (const o of req.outputs ?? []) per.set(o.name, o.parameters?.binary_data);
  return outputs.map((t) => {
    const p = per.get(t.name);
    return typeof p === 'boolean' ? p : all;
  });
}

/** Raw bytes of tensor data (BYTES packed with 4-byte LE length prefixes). */
export function rawOf(t: Tensor): Uint8Array {
  return t.datatype === 'BYTES' ? packBytes(t.data as Uint8Array[]) : bytesOf(t.data as NumericArray);
}

/** An encoded response: the JSON header text and the binary chunks that follow it (if any). */
export interface EncodedV2 {
  json: string;
  binary: Uint8Array[];
}

/** Encodes a response; `binary[i]` says whether output i goes in the binary section. */
export function encodeV2Response(res: InferResponse, binary?: readonly boolean[]): EncodedV2 {
  let s = `{"model_name":${JSON.stringify(res.modelName)}`;
  if (res.modelVersion !== undefined) s += `,"model_version":${JSON.stringify(res.modelVersion)}`;
  s += `,"id":${JSON.stringify(res.id)}`;
  if (res.parameters) s += `,"parameters":${stringifyValue(res.parameters)}`;
  s += ',"outputs":[';
  const chunks: Uint8Array[] = [];
  res.outputs.forEach((t, i) => {
    if (i) s += ',';
    s += `{"name":${JSON.stringify(t.name)},"datatype":"${t.datatype}","shape":[${t.shape.join(',')}]`;
    let params = t.parameters;
    if (binary?.[i]) {
      const raw = rawOf(t);
      chunks.push(raw);
      params = { ...params, binary_data_size: raw.byteLength };
      if (params) s += `,"parameters":${stringifyValue(params)}`;
      s += '}';
    } else {
      if (params) s += `,"parameters":${stringifyValue(params)}`;
      s += `,"data":${encodeFlat(t.data, t.datatype)}}`;
    }
  });
  s += ']}';
  return { json: s, binary: chunks };
}

export type { NumericDatatype };
