/**
 * Reads the signature (graph inputs and outputs with their element types) of an ONNX
 * `ModelProto` straight from its bytes. Used only on the load-failure path: onnxruntime-node
 * rejects a model whose input or output has a type it cannot describe with just
 * "Unsupported data type: 16", and this lets the error name the input/output and the type.
 *
 * Field numbers (onnx/onnx.proto): ModelProto.graph = 7; GraphProto.input = 11, output = 12;
 * ValueInfoProto.name = 1, type = 2; TypeProto.tensor_type = 1 (Tensor.elem_type = 1),
 * sequence_type = 4, map_type = 5, sparse_tensor_type = 8, optional_type = 9.
 */
import { ProtoReader, WireType } from './proto-wire.ts';

/** One graph input or output as declared in the model file. */
export interface DeclaredValue {
  name: string;
  /** What kind of value it is; only 'tensor' can cross the JavaScript API. */
  kind: 'tensor' | 'sequence' | 'map' | 'sparse_tensor' | 'optional' | 'unknown';
  /** ONNX `TensorProto.DataType` code of a tensor's elements (0 when absent). */
  elemType: number;
}

export interface GraphSignature {
  inputs: DeclaredValue[];
  outputs: DeclaredValue[];
}

const TYPE_KINDS: Readonly<Record<number, DeclaredValue['kind']>> = {
  1: 'tensor', 4: 'sequence', 5: 'map', 8: 'sparse_tensor', 9: 'optional',
};

/** Reads the graph signature of a serialized ModelProto. Throws ProtoError on malformed bytes. */
export function readGraphSignature(model: Uint8Array): GraphSignature {
  const sig: GraphSignature = { inputs: [], outputs: [] };
  const r = new ProtoReader(model);
  while (r.more()) {
    const [field, wt] = r.key();
    if (field === 7 && wt === WireType.Bytes) readGraph(r.message(), sig);
    else r.skip(wt);
  }
  return sig;
}

function readGraph(r: ProtoReader, sig: GraphSignature): void {
  while (r.more()) {
    const [field, wt] = r.key();
    if (field === 11 && wt === WireType.Bytes) sig.inputs.push(readValueInfo(r.message()));
    else if (field === 12 && wt === WireType.Bytes) sig.outputs.push(readValueInfo(r.message()));
    else r.skip(wt);
  }
}

function readValueInfo(r: ProtoReader): DeclaredValue {
  const v: DeclaredValue = { name: '', kind: 'unknown', elemType: 0 };
  while (r.more()) {
    const [field, wt] = r.key();
    if (field === 1 && wt === WireType.Bytes) v.name = r.string();
    else if (field === 2 && wt === WireType.Bytes) readType(r.message(), v);
    else r.skip(wt);
  }
  return v;
}

function readType(r: ProtoReader, v: DeclaredValue): void {
  while (r.more()) {
    const [field, wt] = r.key();
    const kind = TYPE_KINDS[field];
    if (kind && wt === WireType.Bytes) {
      v.kind = kind;
      const sub = r.message();
      if (kind !== 'tensor' && kind !== 'sparse_tensor') continue;
      while (sub.more()) {
        const [f, w] = sub.key();
        if (f === 1 && w === WireType.Varint) v.elemType = sub.uint();
        else sub.skip(w);
      }
    } else r.skip(wt);
  }
}
