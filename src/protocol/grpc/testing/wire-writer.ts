/**
 * A minimal protobuf wire writer for tests: builds messages field by field, including what
 * protobufjs would never write (unknown fields, groups, wrong wire types, unpacked runs, overlong
 * varints), to check the hand-written decoder against the protobuf spec.
 */
import { END_GROUP, FIXED32, FIXED64, LEN, START_GROUP, VARINT } from '../wire-reader.ts';

export class WireWriter {
  private readonly out: number[] = [];

  /** A varint of a non-negative value below 2^64 (negative numbers: two's complement, 10 bytes). */
  varint(v: number | bigint): this {
    let x = BigInt.asUintN(64, BigInt(v));
    while (x >= 0x80n) {
      this.out.push(Number(x & 0x7fn) | 0x80);
      x >>= 7n;
    }
    this.out.push(Number(x));
    return this;
  }

  tag(field: number, wireType: number): this {
    return this.varint(field * 8 + wireType);
  }

  raw(bytes: ArrayLike<number>): this {
    for (let i = 0; i < bytes.length; i++) this.out.push(bytes[i]!);
    return this;
  }

  varintField(field: number, v: number | bigint): this {
    return this.tag(field, VARINT).varint(v);
  }

  fixed32Field(field: number, v: number): this {
    const b = Buffer.alloc(4);
    b.writeFloatLE(v);
    return this.tag(field, FIXED32).raw(b);
  }

  fixed64Field(field: number, v: number): this {
    const b = Buffer.alloc(8);
    b.writeDoubleLE(v);
    return this.tag(field, FIXED64).raw(b);
  }

  bytesField(field: number, bytes: ArrayLike<number>): this {
    return this.tag(field, LEN).varint(bytes.length).raw(bytes);
  }

  stringField(field: number, s: string): this {
    return this.bytesField(field, Buffer.from(s, 'utf8'));
  }

  messageField(field: number, body: WireWriter): this {
    return this.bytesField(field, body.bytes());
  }

  /** A group (wire types 3 … 4) around `body`. */
  groupField(field: number, body: WireWriter): this {
    return this.tag(field, START_GROUP).raw(body.bytes()).tag(field, END_GROUP);
  }

  bytes(): Buffer {
    return Buffer.from(this.out);
  }
}

/** A writer, for chaining: `w().stringField(1, 'm').bytes()`. */
export const w = (): WireWriter => new WireWriter();

/** The [start, end) byte ranges of the top-level fields of a valid message (to insert fields between them). */
export function fieldBoundaries(msg: Uint8Array): number[] {
  const starts: number[] = [];
  let p = 0;
  const varint = (): bigint => {
    let v = 0n;
    for (let shift = 0n; ; shift += 7n) {
      if (p >= msg.length) throw new Error('fieldBoundaries: truncated varint');
      const b = msg[p++]!;
      v |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return v;
    }
  };
  while (p < msg.length) {
    starts.push(p);
    const wt = Number(varint() & 7n);
    if (wt === VARINT) varint();
    else if (wt === FIXED64) p += 8;
    else if (wt === FIXED32) p += 4;
    else if (wt === LEN) {
      const len = Number(varint()); // read before adding: `p += varint()` would use the old p
      p += len;
    }
    else throw new Error(`fieldBoundaries: wire type ${wt} in a valid message`);
  }
  starts.push(msg.length);
  return starts;
}
