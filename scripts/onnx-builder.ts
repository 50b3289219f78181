/**
 * A minimal ONNX ModelProto writer (protobuf wire format by hand) for the models this project
 * builds itself: the bundled example and test models. Field numbers are onnx.proto's.
 */

class Writer {
  private readonly parts: Buffer[] = [];
  private varint(n: bigint): void {
    const bytes: number[] = [];
    let v = BigInt.asUintN(64, n);
    do {
      let b = Number(v & 0x7fn);
      v >>= 7n;
      if (v) b |= 0x80;
      bytes.push(b);
    } while (v);
    this.parts.push(Buffer.from(bytes));
  }
  private tag(field: number, wire: number): void {
    this.varint(BigInt((field << 3) | wire));
  }
  int(field: number, v: number | bigint): this {
    this.tag(field, 0);
    this.varint(BigInt(v));
    return this;
  }
  float(field: number, v: number): this {
    this.tag(field, 5);
    const b = Buffer.alloc(4);
    b.writeFloatLE(v);
    this.parts.push(b);
    return this;
  }
  bytes(field: number, v: Uint8Array): this {
    this.tag(field, 2);
    this.varint(BigInt(v.byteLength));
    this.parts.push(Buffer.from(v));
    return this;
  }
  str(field: number, s: string): this {
    return this.bytes(field, Buffer.from(s, 'utf8'));
  }
  msg(field: number, w: Writer): this {
    return this.bytes(field, w.finish());
  }
  finish(): Buffer {
    return Buffer.concat(this.parts);
  }
}

/** onnx.TensorProto.DataType values. */
export const OnnxType = { FLOAT: 1, UINT8: 2, INT8: 3, INT32: 6, INT64: 7, STRING: 8, BOOL: 9, FLOAT16: 10, DOUBLE: 11 } as const;

export interface Initializer {
  name: string;
  type: number;
  dims: number[];
  raw: Uint8Array;
}
export interface ValueInfo {
  name: string;
  type: number;
  /** A number is a fixed dim, a string a symbolic one. */
  dims: (number | string)[];
}
export interface Node {
  op: string;
  inputs: string[];
  outputs: string[];
  attrs?: Record<string, number | number[]>;
}

function valueInfo(v: ValueInfo): Writer {
  const shape = new Writer();
  for (const d of v.dims) shape.msg(1, typeof d === 'number' ? new Writer().int(1, d) : new Writer().str(2, d));
  const tensorType = new Writer().int(1, v.type).msg(2, shape);
  return new Writer().str(1, v.name).msg(2, new Writer().msg(1, tensorType));
}

function node(n: Node, i: number): Writer {
  const w = new Writer();
  for (const x of n.inputs) w.str(1, x);
  for (const x of n.outputs) w.str(2, x);
  w.str(3, `${n.op.toLowerCase()}_${i}`).str(4, n.op);
  for (const [name, v] of Object.entries(n.attrs ?? {})) {
    const a = new Writer().str(1, name);
    if (Array.isArray(v)) {
      for (const x of v) a.int(8, x);
      a.int(20, 7);
    } else if (Number.isInteger(v)) a.int(3, v).int(20, 2);
    else a.float(2, v).int(20, 1);
    w.msg(5, a);
  }
  return w;
}

/** Serializes a single-graph model at the given opset. */
export function buildModel(g: { name: string; nodes: Node[]; initializers: Initializer[]; inputs: ValueInfo[]; outputs: ValueInfo[]; opset?: number; producer?: string }): Buffer {
  const graph = new Writer();
  g.nodes.forEach((n, i) => graph.msg(1, node(n, i)));
  graph.str(2, g.name);
  for (const t of g.initializers) {
    const tw = new Writer();
    for (const d of t.dims) tw.int(1, d);
    tw.int(2, t.type).str(8, t.name).bytes(9, t.raw);
    graph.msg(5, tw);
  }
  for (const v of g.inputs) graph.msg(11, valueInfo(v));
  for (const v of g.outputs) graph.msg(12, valueInfo(v));
  return new Writer()
    .int(1, 8)
    .str(2, g.producer ?? 'kserve-ts')
    .msg(7, graph)
    .msg(8, new Writer().str(1, '').int(2, g.opset ?? 13))
    .finish();
}

export function f32(values: number[]): Uint8Array {
  return new Uint8Array(new Float32Array(values).buffer);
}
