/**
 * A bounds-checked reader of the protobuf wire format (https://protobuf.dev/programming-guides/encoding/),
 * for the hand-written ModelInferRequest decoder (./infer-wire.ts). Every read checks the end of
 * the (sub)message it is in, so malformed bytes end in one INVALID_INPUT error naming the field and
 * the byte offset, never in an out-of-range read, a hang or a stack overflow.
 *
 * Wire types: 0 varint, 1 fixed64, 2 length-delimited, 3/4 start/end group (deprecated, only
 * skipped), 5 fixed32; 6 and 7 do not exist.
 */
import { ServingError, invalidRequest } from '../../core/errors.ts';

export const VARINT = 0;
export const FIXED64 = 1;
export const LEN = 2;
export const START_GROUP = 3;
export const END_GROUP = 4;
export const FIXED32 = 5;

/** Deepest nesting of groups skipped inside one unknown field. */
const MAX_GROUP_DEPTH = 64;
const TWO_32 = 4294967296;

const WIRE_TYPE_NAMES = ['varint', 'fixed64', 'length-delimited', 'start group', 'end group', 'fixed32'];

/** A wire type's name, for messages. */
export function wireTypeName(wt: number): string {
  return WIRE_TYPE_NAMES[wt] ?? `${wt} (not a wire type)`;
}

/** The error of a known field sent with another wire type (tag `t`), `expected` naming the right one(s). */
export function wrongWireType(field: string, t: number, expected: string, pos: number): ServingError {
  return wireError(field, `wire type ${wireTypeName(t & 7)}, expected ${expected}`, pos);
}

/** The error of malformed wire bytes: `field` names where in the message, `what` what is wrong. */
export function wireError(field: string, what: string, pos: number): ServingError {
  return invalidRequest(`malformed protobuf in ${field} at byte ${pos}: ${what}`);
}

/**
 * A cursor over `buf[pos, end)`. `lo`/`hi` hold the two 32-bit halves of the last 64-bit varint
 * (`varint64()`), so reading one allocates nothing.
 */
export class WireReader {
  pos: number;
  lo = 0;
  hi = 0;
  private view?: DataView;

  constructor(
    readonly buf: Buffer,
    pos: number,
    public end: number,
  ) {
    this.pos = pos;
  }

  /**
   * A field tag: field number << 3 | wire type. Field number 0 and wire types 6/7 are malformed,
   * as is an end-group tag with no group open (groups are only skipped, see `skip`).
   */
  tag(field: string): number {
    const at = this.pos;
    const t = this.varint32(field);
    const wt = t & 7;
    if (t >>> 3 === 0) throw wireError(field, 'field number 0', at);
    if (wt > FIXED32 || wt === END_GROUP) throw wireError(field, `wire type ${wt} of field ${t >>> 3} is not valid here`, at);
    return t;
  }

  /** A varint's low 32 bits, unsigned (longer varints are allowed; their high bits dropped). */
  varint32(field: string): number {
    const p = this.pos;
    const b = this.buf[p]!;
    if (p < this.end && b < 0x80) {
      this.pos = p + 1;
      return b;
    }
    this.varint64(field);
    return this.lo;
  }

  /** A varint of up to 10 bytes into `lo` (bits 0–31) and `hi` (bits 32–63), both unsigned. */
  varint64(field: string): void {
    const { buf, end } = this;
    const start = this.pos;
    let p = start;
    let lo = 0;
    let hi = 0;
    let b = 0;
    for (let shift = 0; shift < 28; shift += 7) {
      if (p >= end) throw wireError(field, 'varint runs past the end', start);
      b = buf[p++]!;
      lo |= (b & 0x7f) << shift;
      if (b < 0x80) return this.done(p, lo, 0);
    }
    if (p >= end) throw wireError(field, 'varint runs past the end', start);
    b = buf[p++]!; // bits 28–34: four to lo, three to hi
    lo |= (b & 0x0f) << 28;
    hi = (b & 0x7f) >> 4;
    if (b < 0x80) return this.done(p, lo, hi);
    for (let shift = 3; shift < 32; shift += 7) { // bytes 6–10: bits 35–63 (the rest of byte 10 is dropped)
      if (p >= end) throw wireError(field, 'varint runs past the end', start);
      b = buf[p++]!;
      hi |= (b & 0x7f) << shift;
      if (b < 0x80) return this.done(p, lo, hi);
    }
    throw wireError(field, 'varint longer than 10 bytes', start);
  }

  private done(p: number, lo: number, hi: number): void {
    this.pos = p;
    this.lo = lo >>> 0;
    this.hi = hi >>> 0;
  }

  /** The last `varint64()` as a decimal string, signed (int64) or unsigned (uint64), exactly. */
  int64String(signed: boolean): string {
    const { lo, hi } = this;
    if (hi === 0) return String(lo);
    if (signed && hi >= 0x80000000) {
      if (hi === 0xffffffff && lo >= 0x80000000) return String(lo | 0);
      return BigInt.asIntN(64, (BigInt(hi) << 32n) | BigInt(lo)).toString();
    }
    return hi < 0x200000 ? String(hi * TWO_32 + lo) : ((BigInt(hi) << 32n) | BigInt(lo)).toString();
  }

  /** The length prefix of a length-delimited field; returns the end of its payload. */
  lengthEnd(field: string): number {
    const at = this.pos;
    this.varint64(field);
    const len = this.lo;
    if (this.hi !== 0 || len > this.end - this.pos) {
      throw wireError(field, `length ${this.hi === 0 ? len : 'over 2^32'} runs past the end (${this.end - this.pos} bytes left)`, at);
    }
    return this.pos + len;
  }

  /** A length-delimited field's payload as [start, end); moves past it. */
  bytesRange(field: string): number {
    const end = this.lengthEnd(field);
    const start = this.pos;
    this.pos = end;
    return start;
  }

  /** A string field (UTF-8; invalid sequences become U+FFFD, as protobufjs and Buffer decode them). */
  string(field: string): string {
    const start = this.bytesRange(field);
    return this.buf.toString('utf8', start, this.pos);
  }

  /** Little-endian fixed32 as a float, or fixed64 as a double. */
  float(field: string): number {
    this.need(4, field);
    const v = this.dataView().getFloat32(this.pos, true);
    this.pos += 4;
    return v;
  }

  double(field: string): number {
    this.need(8, field);
    const v = this.dataView().getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }

  /** A DataView of the whole buffer (made once per reader). */
  dataView(): DataView {
    return (this.view ??= new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength));
  }

  private need(n: number, field: string): void {
    if (this.end - this.pos < n) throw wireError(field, `${n}-byte value runs past the end`, this.pos);
  }

  private advance(n: number, field: string): void {
    this.need(n, field);
    this.pos += n;
  }

  /**
   * Skips the value of an unknown field (tag `t` already read), as protobuf requires. A group is
   * skipped up to its matching end-group tag, nested groups included, iteratively.
   */
  skip(t: number, field: string): void {
    const open: number[] = []; // field numbers of the groups entered
    for (;;) {
      const wt = t & 7;
      const at = this.pos;
      switch (wt) {
        case VARINT:
          this.varint64(field);
          break;
        case FIXED64:
          this.advance(8, field);
          break;
        case LEN:
          this.pos = this.lengthEnd(field);
          break;
        case FIXED32:
          this.advance(4, field);
          break;
        case START_GROUP:
          if (open.length === MAX_GROUP_DEPTH) throw wireError(field, `groups nested deeper than ${MAX_GROUP_DEPTH}`, at);
          open.push(t >>> 3);
          break;
        case END_GROUP:
          if (open.pop() !== t >>> 3) throw wireError(field, `end of group ${t >>> 3} without its start`, at);
          break;
        default:
          throw wireError(field, `wire type ${wt} of field ${t >>> 3} is not valid`, at);
      }
      if (open.length === 0) return;
      if (this.pos >= this.end) throw wireError(field, `group of field ${open[open.length - 1]} has no end`, this.pos);
      const tagAt = this.pos;
      t = this.varint32(field);
      if (t >>> 3 === 0) throw wireError(field, 'field number 0', tagAt);
    }
  }
}

/** True for the wire errors of this module (to tell them from bugs in tests). */
export function isWireError(err: unknown): err is ServingError {
  return err instanceof ServingError && err.message.startsWith('malformed protobuf');
}
