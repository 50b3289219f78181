/**
 * `InferTensorContents` for the hand-written ModelInferRequest decoder (./infer-wire.ts): eight
 * repeated fields, each numeric one accepted packed (one length-delimited run, what proto3
 * writers send) or unpacked (one tag per value), as the protobuf spec requires of parsers. Values
 * as proto-loader gives them: int64/uint64 as decimal strings, bool as booleans, bytes as Buffer
 * views of the message.
 */
import type { InferTensorContents__Output as Contents } from './generated/inference/InferTensorContents.ts';
import { FIXED32, FIXED64, LEN, VARINT, type WireReader, wireError, wireTypeName, wrongWireType } from './wire-reader.ts';

type ReadOne<T> = (r: WireReader, f: string) => T;

const readBool: ReadOne<boolean> = (r, f) => {
  r.varint64(f);
  return (r.lo | r.hi) !== 0;
};
const readInt32: ReadOne<number> = (r, f) => r.varint32(f) | 0;
const readUint32: ReadOne<number> = (r, f) => r.varint32(f);
const readInt64: ReadOne<string> = (r, f) => {
  r.varint64(f);
  return r.int64String(true);
};
const readUint64: ReadOne<string> = (r, f) => {
  r.varint64(f);
  return r.int64String(false);
};
const readFloat: ReadOne<number> = (r, f) => r.float(f);
const readDouble: ReadOne<number> = (r, f) => r.double(f);

/** One occurrence of a repeated scalar field (tag `t` read): a packed run or a single value. */
function repeated<T>(r: WireReader, t: number, wire: number, out: T[], read: ReadOne<T>, f: string): void {
  const wt = t & 7;
  if (wt === wire) {
    out.push(read(r, f));
    return;
  }
  if (wt !== LEN) throw wrongWireType(f, t, `${wireTypeName(wire)} or a packed run`, r.pos);
  const end = r.lengthEnd(f);
  const outer = r.end;
  r.end = end;
  while (r.pos < end) out.push(read(r, f));
  r.end = outer;
}

/** A packed run of floats (4 bytes) or doubles (8): a plain loop, the large typed-contents case. */
function packedFloats(r: WireReader, t: number, size: 4 | 8, out: number[], f: string): void {
  if ((t & 7) !== LEN) return repeated(r, t, size === 4 ? FIXED32 : FIXED64, out, size === 4 ? readFloat : readDouble, f);
  const end = r.lengthEnd(f);
  if ((end - r.pos) % size !== 0) throw wireError(f, `packed run of ${end - r.pos} bytes is not a whole number of ${size}-byte values`, r.pos);
  const view = r.dataView();
  let p = r.pos;
  if (size === 4) for (; p < end; p += 4) out.push(view.getFloat32(p, true));
  else for (; p < end; p += 8) out.push(view.getFloat64(p, true));
  r.pos = end;
}

/** The body of an InferTensorContents message (between the reader's bounds). */
export function readContents(r: WireReader, f: string): Contents {
  const c: Contents = {
    bool_contents: [], int_contents: [], int64_contents: [], uint_contents: [], uint64_contents: [], fp32_contents: [], fp64_contents: [], bytes_contents: [],
  };
  while (r.pos < r.end) {
    const t = r.tag(f);
    switch (t >>> 3) {
      case 1: repeated(r, t, VARINT, c.bool_contents, readBool, `${f}.bool_contents`); break;
      case 2: repeated(r, t, VARINT, c.int_contents, readInt32, `${f}.int_contents`); break;
      case 3: repeated(r, t, VARINT, c.int64_contents, readInt64, `${f}.int64_contents`); break;
      case 4: repeated(r, t, VARINT, c.uint_contents, readUint32, `${f}.uint_contents`); break;
      case 5: repeated(r, t, VARINT, c.uint64_contents, readUint64, `${f}.uint64_contents`); break;
      case 6: packedFloats(r, t, 4, c.fp32_contents, `${f}.fp32_contents`); break;
      case 7: packedFloats(r, t, 8, c.fp64_contents, `${f}.fp64_contents`); break;
      case 8: {
        const field = `${f}.bytes_contents`;
        if ((t & 7) !== LEN) throw wrongWireType(field, t, wireTypeName(LEN), r.pos);
        const start = r.bytesRange(field);
        c.bytes_contents.push(r.buf.subarray(start, r.pos));
        break;
      }
      default: r.skip(t, f);
    }
  }
  return c;
}
