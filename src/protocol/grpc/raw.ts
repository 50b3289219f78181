/**
 * Raw tensor contents (`raw_input_contents` / `raw_output_contents`) ↔ tensor data. A raw buffer
 * is the tensor's elements in row-major order, little-endian; BYTES elements are each a 4-byte LE
 * length followed by the bytes (see ../bytes-codec.ts).
 *
 * Decoding makes no per-element JS objects: numeric data is a typed-array view of the received
 * buffer (copied once only when the buffer is not aligned for the element size).
 */
import { invalidInput } from '../../core/errors.ts';
import { type Datatype, type NumericArray, bytesOf, elementSize, viewNumeric } from '../datatype.ts';
import type { TensorData } from '../tensor.ts';
import { packBytes, unpackBytes } from '../bytes-codec.ts';

/** A raw buffer → `count` elements of `dt`; `field` names the buffer in errors. */
export function decodeRaw(dt: Datatype, buf: Uint8Array, count: number, field: string): TensorData {
  if (!(buf instanceof Uint8Array)) throw invalidInput(field, typeof buf, 'bytes');
  if (dt === 'BYTES') return unpackBytes(buf, count, field);
  const size = elementSize(dt);
  const want = count * size;
  if (buf.byteLength !== want) {
    throw invalidInput(field, `${buf.byteLength} bytes`, `${want} bytes (${count} ${dt} elements of ${size} bytes)`);
  }
  const data = viewNumeric(dt, buf);
  if (dt === 'BOOL') {
    const b = data as Uint8Array;
    for (let i = 0; i < b.length; i++) {
      if (b[i]! > 1) throw invalidInput(`${field} element ${i}`, b[i], '0 or 1 (BOOL)');
    }
  }
  return data;
}

/** Tensor data → its raw buffer (a view of numeric data, no copy; BYTES packed). */
export function encodeRaw(dt: Datatype, data: TensorData): Uint8Array {
  return dt === 'BYTES' ? packBytes(data as Uint8Array[]) : bytesOf(data as NumericArray);
}
