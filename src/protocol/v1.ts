/**
 * KServe V1 protocol codec (TensorFlow-Serving style): `{"instances": [...]}` or
 * `{"inputs": ...}` → input tensors, output tensors → `{"predictions": [...]}`.
 *
 * - One-input models: `instances` (or a list-valued `inputs`) is the batch: the tensor's shape is
 *   the nesting of the list, its datatype the model's declared input datatype.
 * - Several inputs: each instance is an object keyed by input name (row format), or `inputs` is an
 *   object of input name → batch (columnar format).
 * - Models that declare no inputs get one tensor named `input-0`, typed from the values (booleans →
 *   BOOL, strings → BYTES, all integers → INT64, otherwise FP64, as numpy would).
 * - Response: one output → `predictions` is that tensor as nested lists; several outputs →
 *   one object per row keyed by output name (outputs must share the batch dimension).
 */
import { invalidInput, invalidRequest } from '../core/errors.ts';
import type { Datatype } from './datatype.ts';
import type { TensorMetadata } from './infer.ts';
import { decodeData, encodeNested } from './json-data.ts';
import { type Parameters, type Tensor, elementCount } from './tensor.ts';
import { decodeParameters } from './v2-json.ts';

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** At most this many dimensions (numpy 2's NPY_MAXDIMS); also bounds the recursion below. */
export const MAX_DIMS = 64;

/** The shape of nested lists, checking that they are rectangular. */
export function inferShape(v: unknown, field: string): number[] {
  const shape: number[] = [];
  let cur: unknown = v;
  while (Array.isArray(cur)) {
    shape.push(cur.length);
    if (shape.length > MAX_DIMS) throw invalidInput(field, `lists nested ${shape.length} deep`, `at most ${MAX_DIMS} dimensions`);
    if (cur.length === 0) break;
    cur = cur[0];
  }
  checkRect(v, shape, 0, field);
  return shape;
}

function checkRect(v: unknown, shape: number[], dim: number, field: string): void {
  if (dim === shape.length) {
    // Not the list itself in the message: it may be nested too deep to print.
    if (Array.isArray(v)) throw invalidInput(field, `a list of ${v.length}`, `a value at depth ${dim} (ragged nesting)`);
    return;
  }
  if (!Array.isArray(v) || v.length !== shape[dim]) {
    throw invalidInput(field, Array.isArray(v) ? `a list of ${v.length}` : v, `a list of ${shape[dim]} at depth ${dim} (lists must be rectangular)`);
  }
  for (let i = 0; i < v.length; i++) checkRect(v[i], shape, dim + 1, `${field}[${i}]`);
}

function guessDatatype(values: unknown, field: string): Datatype {
  let first: unknown = values;
  while (Array.isArray(first)) first = first[0];
  if (typeof first === 'boolean') return 'BOOL';
  if (typeof first === 'string') return 'BYTES';
  if (typeof first === 'bigint') return 'INT64';
  if (typeof first !== 'number' && first !== undefined) throw invalidInput(field, first, 'numbers, booleans or strings');
  const flat = Array.isArray(values) ? (values as unknown[]).flat(Infinity) : [values];
  return flat.every((x) => typeof x === 'bigint' || (typeof x === 'number' && Number.isInteger(x))) ? 'INT64' : 'FP64';
}

function tensorFrom(name: string, values: unknown, meta: TensorMetadata | undefined, field: string): Tensor {
  const shape = inferShape(values, field);
  const datatype = meta?.datatype ?? guessDatatype(values, field);
  return { name, datatype, shape, data: decodeData(values, datatype, elementCount(shape), field) };
}

/**
 * Decodes a parsed V1 request body into input tensors for a model with inputs `metas`. A model's
 * own row decoder (`rowsDecoder`), when given, takes the rows (`instances`, or a list-valued
 * `inputs`) as they came.
 */
/**
 * A V1 body's `parameters` object, passed to the model as the request's parameters (as V2 does;
 * e.g. XGBoost's `output_margin`, LightGBM's `raw_score`). Values must be strings, numbers or booleans.
 */
export function decodeV1Parameters(body: unknown): Parameters | undefined {
  return isObject(body) ? decodeParameters(body.parameters, 'parameters') : undefined;
}

export function decodeV1Request(body: unknown, metas: readonly TensorMetadata[], rowsDecoder?: (rows: readonly unknown[]) => Tensor[]): Tensor[] {
  if (!isObject(body)) throw invalidInput('request body', body, 'a JSON object with "instances" or "inputs"');
  const hasInstances = body.instances !== undefined;
  const payload = hasInstances ? body.instances : body.inputs;
  const key = hasInstances ? 'instances' : 'inputs';
  if (payload === undefined) throw invalidRequest('request body: expected "instances" or "inputs"');
  if (isObject(payload) && !hasInstances) return columnar(payload, metas);
  if (!Array.isArray(payload)) throw invalidInput(key, payload, 'a list');
  if (rowsDecoder) return rowsDecoder(payload);
  if (metas.length > 1 || (payload.length > 0 && isObject(payload[0]))) return rows(payload, metas, key);
  const meta = metas[0];
  return [tensorFrom(meta?.name ?? 'input-0', payload, meta, key)];
}

function columnar(cols: Record<string, unknown>, metas: readonly TensorMetadata[]): Tensor[] {
  const byName = new Map(metas.map((m) => [m.name, m]));
  return Object.entries(cols).map(([name, values]) => {
    const meta = byName.get(name);
    if (metas.length > 0 && !meta) throw invalidInput(`inputs.${name}`, name, `one of the model's inputs: ${metas.map((m) => m.name).join(', ')}`);
    return tensorFrom(name, values, meta, `inputs.${name}`);
  });
}

function rows(instances: unknown[], metas: readonly TensorMetadata[], key: string): Tensor[] {
  const names = metas.length > 0 ? metas.map((m) => m.name) : Object.keys(instances[0] ?? {});
  // No prototype: an input named "__proto__" is then an ordinary key.
  const cols: Record<string, unknown[]> = Object.create(null);
  for (const n of names) cols[n] = [];
  instances.forEach((row, i) => {
    if (!isObject(row)) throw invalidInput(`${key}[${i}]`, row, `an object keyed by input name (${names.join(', ')})`);
    for (const n of names) {
      if (!Object.hasOwn(row, n)) throw invalidInput(`${key}[${i}]`, Object.keys(row), `a value for input ${JSON.stringify(n)}`);
      cols[n]!.push(row[n]);
    }
  });
  return columnar(cols, metas);
}

/**
 * Encodes output tensors as a V1 response body. `records`: one record per row keyed by output
 * name even for a single output (KServe's pmmlserver answers records always).
 */
export function encodeV1Response(outputs: readonly Tensor[], opts: { records?: boolean } = {}): string {
  if (outputs.length === 1 && opts.records !== true) {
    const t = outputs[0]!;
    return `{"predictions":${encodeNested(t.data, t.datatype, t.shape)}}`;
  }
  if (outputs.length === 0) return '{"predictions":[]}';
  const batch = outputs[0]!.shape[0];
  if (batch === undefined || outputs.some((t) => t.shape[0] !== batch)) {
    const parts = outputs.map((t) => `${JSON.stringify(t.name)}:${encodeNested(t.data, t.datatype, t.shape)}`);
    return `{"predictions":{${parts.join(',')}}}`;
  }
  const rowsText: string[] = [];
  for (let r = 0; r < batch; r++) {
    const fields = outputs.map((t) => {
      const inner = t.shape.slice(1);
      const n = elementCount(inner);
      const data = t.data.slice(r * n, (r + 1) * n) as Tensor['data'];
      return `${JSON.stringify(t.name)}:${encodeNested(data, t.datatype, inner)}`;
    });
    rowsText.push(`{${fields.join(',')}}`);
  }
  return `{"predictions":[${rowsText.join(',')}]}`;
}
