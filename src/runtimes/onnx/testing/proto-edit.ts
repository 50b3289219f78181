/**
 * Field-level editing of protobuf messages, to derive test models from fixture models without an
 * ONNX library (e.g. MNIST with a dynamic batch dimension, `mnistWithDynamicBatch`).
 *
 * A message is edited by mapping over its top-level fields; untouched fields are copied as they
 * are, and the lengths of edited nested messages are recomputed on the way out.
 */
import { ProtoReader, WireType } from '../proto-wire.ts';

/** One field: for wire type 2 `value` is the payload, otherwise the encoded value bytes. */
export interface Field {
  no: number;
  wt: number;
  value: Uint8Array;
}

/** The top-level fields of a message, in order (values are views into `msg`). */
export function readFields(msg: Uint8Array): Field[] {
  const r = new ProtoReader(msg);
  const out: Field[] = [];
  while (r.more()) {
    const [no, wt] = r.key();
    if (wt === WireType.Bytes) {
      out.push({ no, wt, value: r.bytes() });
    } else {
      const start = r.pos;
      r.skip(wt);
      out.push({ no, wt, value: msg.subarray(start, r.pos) });
    }
  }
  return out;
}

/** A varint's bytes (non-negative safe integers; use `int64Varint` for negatives). */
export function varint(n: number): Uint8Array {
  const out: number[] = [];
  let v = n;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
  return Uint8Array.from(out);
}

/** Encodes fields back into a message. */
export function writeFields(fields: readonly Field[]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const f of fields) {
    parts.push(varint(f.no * 8 + f.wt));
    if (f.wt === WireType.Bytes) parts.push(varint(f.value.byteLength));
    parts.push(f.value);
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let pos = 0;
  for (const p of parts) {
    out.set(p, pos);
    pos += p.byteLength;
  }
  return out;
}

/** Maps each top-level field: return it (changed or not), several fields, or null to drop it. */
export function editMessage(msg: Uint8Array, edit: (f: Field) => Field | Field[] | null): Uint8Array {
  const out: Field[] = [];
  for (const f of readFields(msg)) {
    const r = edit(f);
    if (r === null) continue;
    if (Array.isArray(r)) out.push(...r);
    else out.push(r);
  }
  return writeFields(out);
}

/** A length-delimited field holding UTF-8 text. */
export function textField(no: number, text: string): Field {
  return { no, wt: WireType.Bytes, value: new TextEncoder().encode(text) };
}

/** The string in field `no` of a message ('' if absent). */
export function textOf(msg: Uint8Array, no: number): string {
  const f = readFields(msg).find((x) => x.no === no && x.wt === WireType.Bytes);
  return f ? new TextDecoder().decode(f.value) : '';
}

/** An INT64 TensorProto (dims = 1, data_type = 2, name = 8, raw_data = 9). */
export function int64TensorProto(name: string, values: readonly bigint[]): Uint8Array {
  const raw = new Uint8Array(BigInt64Array.from(values).buffer);
  return writeFields([
    { no: 1, wt: WireType.Varint, value: varint(values.length) },
    { no: 2, wt: WireType.Varint, value: varint(7) },
    textField(8, name),
    { no: 9, wt: WireType.Bytes, value: raw },
  ]);
}

/**
 * Makes the first dimension of a tensor ValueInfoProto symbolic (`param`, default "N"):
 * type = 2 → tensor_type = 1 → shape = 2 → first dim = 1, which becomes { dim_param = 2 }.
 */
export function symbolicFirstDim(valueInfo: Uint8Array, param = 'N'): Uint8Array {
  return editMessage(valueInfo, (vi) => vi.no !== 2 ? vi : { ...vi, value: editMessage(vi.value, (tt) => tt.no !== 1 ? tt : {
    ...tt,
    value: editMessage(tt.value, (sh) => {
      if (sh.no !== 2) return sh;
      let first = true;
      return { ...sh, value: editMessage(sh.value, (dim) => {
        if (dim.no !== 1 || !first) return dim;
        first = false;
        return { ...dim, value: writeFields([textField(2, param)]) };
      }) };
    }),
  }) });
}

/**
 * mnist-8 (CNTK export) with a dynamic batch: Input3 and Plus214_Output_0 get a symbolic first
 * dim, the Reshape target `Pooling160_Output_0_reshape0_shape` [1,256] becomes [-1,256], and the
 * intermediate value_info (which pins batch 1) is dropped.
 */
export function mnistWithDynamicBatch(model: Uint8Array): Uint8Array {
  return editMessage(model, (m) => m.no !== 7 ? m : {
    ...m,
    value: editMessage(m.value, (g) => {
      if (g.no === 13) return null;
      if (g.no === 11 && textOf(g.value, 1) === 'Input3') return { ...g, value: symbolicFirstDim(g.value) };
      if (g.no === 12 && textOf(g.value, 1) === 'Plus214_Output_0') return { ...g, value: symbolicFirstDim(g.value) };
      if (g.no === 5 && textOf(g.value, 8) === 'Pooling160_Output_0_reshape0_shape') {
        return { ...g, value: int64TensorProto('Pooling160_Output_0_reshape0_shape', [-1n, 256n]) };
      }
      return g;
    }),
  });
}
