/**
 * The raw encoding of BYTES tensors shared by gRPC raw contents and the HTTP binary extension:
 * each element is a 4-byte little-endian length followed by that many bytes, elements back to back.
 *
 * Example: ["ab", ""] → 02 00 00 00 61 62 00 00 00 00 (10 bytes).
 */
import { invalidInput } from '../core/errors.ts';

/** Bytes needed to pack `items`. */
export function packedBytesLength(items: readonly Uint8Array[]): number {
  let n = 4 * items.length;
  for (const it of items) n += it.byteLength;
  return n;
}

/** Packs BYTES elements: 4-byte LE length + bytes, for each element in order. */
export function packBytes(items: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(packedBytesLength(items));
  const view = new DataView(out.buffer);
  let off = 0;
  for (const it of items) {
    view.setUint32(off, it.byteLength, true);
    out.set(it, off + 4);
    off += 4 + it.byteLength;
  }
  return out;
}

/**
 * Unpacks exactly `count` length-prefixed elements filling all of `buf`. Elements are views into
 * `buf` (no copy). A length prefix that overruns the buffer, a short buffer or trailing bytes are
 * INVALID_INPUT errors naming `field`.
 */
export function unpackBytes(buf: Uint8Array, count: number, field: string): Uint8Array[] {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const total = buf.byteLength;
  const out: Uint8Array[] = new Array<Uint8Array>(count);
  let off = 0;
  for (let i = 0; i < count; i++) {
    if (off + 4 > total) {
      throw invalidInput(field, `${total} bytes`, `${count} length-prefixed BYTES elements, but element ${i} has no 4-byte length at byte ${off}`);
    }
    const len = view.getUint32(off, true);
    off += 4;
    if (len > total - off) {
      throw invalidInput(`${field} element ${i} length prefix`, len, `at most ${total - off} (the bytes left in the ${total}-byte buffer)`);
    }
    out[i] = new Uint8Array(buf.buffer, buf.byteOffset + off, len);
    off += len;
  }
  if (off !== total) {
    throw invalidInput(field, `${total} bytes`, `${off} bytes for ${count} length-prefixed BYTES elements (${total - off} bytes left over)`);
  }
  return out;
}
