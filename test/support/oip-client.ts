/**
 * An Open Inference Protocol client written independently of the server's codecs (as a Triton or
 * KServe client would be): builds REST JSON, REST binary and gRPC requests by hand, and reads the
 * responses back into tensors. Conventions it relies on are the protocol's own (row-major data,
 * little-endian raw bytes, 4-byte length-prefixed BYTES) plus kserve-ts's documented JSON
 * spelling of non-finite floats ("NaN", "Infinity", "-Infinity").
 */
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { fileURLToPath } from 'node:url';
import type { Datatype } from '../../src/protocol/datatype.ts';
import { parseJson } from '../../src/protocol/json-lossless.ts';
import type { Tensor } from '../../src/protocol/tensor.ts';

const PROTO = fileURLToPath(new URL('../../proto/grpc_predict_v2.proto', import.meta.url));
const ARRAYS: Record<Exclude<Datatype, 'BYTES'>, { new (b: ArrayBuffer): ArrayLike<unknown>; BYTES_PER_ELEMENT: number }> = {
  BOOL: Uint8Array, UINT8: Uint8Array, UINT16: Uint16Array, UINT32: Uint32Array, UINT64: BigUint64Array,
  INT8: Int8Array, INT16: Int16Array, INT32: Int32Array, INT64: BigInt64Array, FP16: Uint16Array, FP32: Float32Array, FP64: Float64Array,
};

function half(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 31;
  const f = h & 1023;
  if (e === 0) return s * f * 2 ** -24;
  if (e === 31) return f ? NaN : s * Infinity;
  return s * (1 + f / 1024) * 2 ** (e - 15);
}
function toHalf(v: number): number {
  // exact for values that came from halves (all this client sends)
  if (Number.isNaN(v)) return 0x7e00;
  const s = v < 0 || Object.is(v, -0) ? 0x8000 : 0;
  const a = Math.abs(v);
  if (a === Infinity) return s | 0x7c00;
  if (a < 2 ** -14) return s | Math.round(a / 2 ** -24);
  const e = Math.floor(Math.log2(a));
  return s | ((e + 15) << 10) | Math.round((a / 2 ** e - 1) * 1024);
}

function jsonNumber(v: number): string {
  if (Number.isNaN(v)) return '"NaN"';
  if (v === Infinity) return '"Infinity"';
  if (v === -Infinity) return '"-Infinity"';
  return Object.is(v, -0) ? '-0' : String(v);
}

/** Tensor data as JSON text, written by hand. */
export function jsonData(t: Tensor): string {
  const out: string[] = [];
  const d = t.data as ArrayLike<number | bigint> & { length: number };
  for (let i = 0; i < t.data.length; i++) {
    switch (t.datatype) {
      case 'BYTES': out.push(JSON.stringify(Buffer.from((t.data as Uint8Array[])[i]!).toString('utf8'))); break;
      case 'BOOL': out.push(d[i] ? 'true' : 'false'); break;
      case 'FP16': out.push(jsonNumber(half(d[i] as number))); break;
      case 'FP32': case 'FP64': out.push(jsonNumber(d[i] as number)); break;
      default: out.push(String(d[i]));
    }
  }
  return `[${out.join(',')}]`;
}

function rawBytes(t: Tensor): Buffer {
  if (t.datatype === 'BYTES') {
    return Buffer.concat((t.data as Uint8Array[]).flatMap((b) => {
      const len = Buffer.alloc(4);
      len.writeUInt32LE(b.byteLength);
      return [len, Buffer.from(b)];
    }));
  }
  const a = t.data as Uint8Array;
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

function fromRaw(datatype: Datatype, shape: number[], raw: Uint8Array): Tensor['data'] {
  if (datatype === 'BYTES') {
    const out: Uint8Array[] = [];
    const b = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
    for (let off = 0; off < b.length;) {
      const n = b.readUInt32LE(off);
      out.push(new Uint8Array(b.subarray(off + 4, off + 4 + n)));
      off += 4 + n;
    }
    return out;
  }
  const copy = new Uint8Array(raw).buffer;
  void shape;
  return new ARRAYS[datatype](copy) as unknown as Tensor['data'];
}

function fromJson(datatype: Datatype, values: unknown[]): Tensor['data'] {
  if (datatype === 'BYTES') return values.map((v) => new Uint8Array(Buffer.from(v as string, 'utf8')));
  const Ctor = ARRAYS[datatype] as unknown as { new (n: number): { [i: number]: unknown } };
  const a = new Ctor(values.length);
  const num = (v: unknown): number => Number(v);
  values.forEach((v, i) => {
    if (datatype === 'INT64' || datatype === 'UINT64') a[i] = BigInt(v as number | bigint);
    else if (datatype === 'BOOL') a[i] = v ? 1 : 0;
    else if (datatype === 'FP16') a[i] = toHalf(num(v));
    else a[i] = num(v);
  });
  return a as unknown as Tensor['data'];
}

/** Typed InferTensorContents (as proto-loader decodes them) → tensor data. */
function fromTyped(datatype: Datatype, c: Record<string, unknown[]>): Tensor['data'] {
  const field: Record<Datatype, string> = {
    BOOL: 'bool_contents', INT8: 'int_contents', INT16: 'int_contents', INT32: 'int_contents', INT64: 'int64_contents',
    UINT8: 'uint_contents', UINT16: 'uint_contents', UINT32: 'uint_contents', UINT64: 'uint64_contents',
    FP16: 'fp32_contents', FP32: 'fp32_contents', FP64: 'fp64_contents', BYTES: 'bytes_contents',
  };
  const values = c[field[datatype]] ?? [];
  if (datatype === 'BYTES') return (values as Buffer[]).map((b) => new Uint8Array(b));
  return fromJson(datatype, values);
}

interface JsonOut { name: string; datatype: Datatype; shape: number[]; data?: unknown[]; parameters?: { binary_data_size?: number } }

/** POST /v2/models/{m}/infer with a hand-built JSON body. */
export async function inferJson(base: string, model: string, inputs: Tensor[], outputs?: string[]): Promise<Tensor[]> {
  const ins = inputs.map((t) => `{"name":${JSON.stringify(t.name)},"shape":${JSON.stringify(t.shape)},"datatype":"${t.datatype}","data":${jsonData(t)}}`);
  const outs = outputs ? `,"outputs":${JSON.stringify(outputs.map((name) => ({ name })))}` : '';
  const r = await fetch(`${base}/v2/models/${encodeURIComponent(model)}/infer`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: `{"inputs":[${ins.join(',')}]${outs}}` });
  const text = await r.text();
  if (r.status !== 200) throw new Error(`HTTP ${r.status}: ${text}`);
  const body = parseJson(text) as { outputs: JsonOut[] };
  return body.outputs.map((o) => ({ name: o.name, datatype: o.datatype, shape: o.shape, data: fromJson(o.datatype, o.data!) }));
}

/** POST /v2/models/{m}/infer with the binary tensor extension both ways. */
export async function inferBinary(base: string, model: string, inputs: Tensor[], outputs?: string[]): Promise<Tensor[]> {
  const raws = inputs.map(rawBytes);
  const header = JSON.stringify({
    inputs: inputs.map((t, i) => ({ name: t.name, shape: t.shape, datatype: t.datatype, parameters: { binary_data_size: raws[i]!.length } })),
    ...(outputs ? { outputs: outputs.map((name) => ({ name, parameters: { binary_data: true } })) } : {}),
    parameters: { binary_data_output: true },
  });
  const hb = Buffer.from(header);
  const r = await fetch(`${base}/v2/models/${encodeURIComponent(model)}/infer`, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream', 'inference-header-content-length': String(hb.length) },
    body: Buffer.concat([hb, ...raws]),
  });
  const buf = Buffer.from(await r.arrayBuffer());
  if (r.status !== 200) throw new Error(`HTTP ${r.status}: ${buf.toString()}`);
  const hl = Number(r.headers.get('inference-header-content-length'));
  const head = JSON.parse(buf.subarray(0, hl).toString()) as { outputs: JsonOut[] };
  let off = hl;
  return head.outputs.map((o) => {
    const n = o.parameters!.binary_data_size!;
    const t: Tensor = { name: o.name, datatype: o.datatype, shape: o.shape, data: fromRaw(o.datatype, o.shape, buf.subarray(off, off + n)) };
    off += n;
    return t;
  });
}

/** A gRPC client from the .proto loaded at run time (no generated code, no server codecs). */
export function grpcClient(port: number): { infer(model: string, inputs: Tensor[], outputs?: string[]): Promise<Tensor[]>; raw: grpc.Client & Record<string, any>; close(): void } {
  const def = protoLoader.loadSync(PROTO, { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true });
  const pkg = grpc.loadPackageDefinition(def) as any;
  const client = new pkg.inference.GRPCInferenceService(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
    'grpc.max_receive_message_length': 256 << 20,
    'grpc.max_send_message_length': 256 << 20,
  });
  return {
    raw: client,
    close: () => client.close(),
    infer: (model, inputs, outputs) =>
      new Promise((resolve, reject) => {
        const req = {
          model_name: model,
          inputs: inputs.map((t) => ({ name: t.name, datatype: t.datatype, shape: t.shape.map(String) })),
          outputs: (outputs ?? []).map((name) => ({ name })),
          raw_input_contents: inputs.map(rawBytes),
        };
        client.ModelInfer(req, (err: grpc.ServiceError | null, res: any) => {
          if (err) return reject(new Error(`gRPC ${err.code}: ${err.details}`));
          resolve(res.outputs.map((o: any, i: number) => {
            const shape = o.shape.map(Number);
            if (res.raw_output_contents.length > 0) return { name: o.name, datatype: o.datatype, shape, data: fromRaw(o.datatype, shape, res.raw_output_contents[i]) };
            return { name: o.name, datatype: o.datatype, shape, data: fromTyped(o.datatype, o.contents) };
          }));
        });
      }),
  };
}
