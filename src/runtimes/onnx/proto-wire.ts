/**
 * A minimal reader for the protobuf wire format: enough to walk ONNX `ModelProto` and
 * `TensorProto` messages without a generated decoder. Fields are visited in file order; unknown
 * fields are skipped by wire type, so nothing is copied except what the caller reads.
 *
 * Wire types: 0 varint, 1 fixed64, 2 length-delimited, 5 fixed32 (3/4, groups, are refused).
 */

export const WireType = { Varint: 0, Fixed64: 1, Bytes: 2, Fixed32: 5 } as const;

/** A malformed or unsupported protobuf message. */
export class ProtoError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtoError';
  }
}

export class ProtoReader {
  readonly buf: Uint8Array;
  pos: number;
  readonly end: number;
  private readonly view: DataView;

  constructor(buf: Uint8Array, start = 0, end = buf.byteLength) {
    this.buf = buf;
    this.pos = start;
    this.end = end;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  /** True while fields remain. */
  more(): boolean {
    return this.pos < this.end;
  }

  /** Reads a field key: `[fieldNumber, wireType]`. */
  key(): [number, number] {
    const k = this.uint();
    return [Math.floor(k / 8), k % 8];
  }

  /**
   * A varint as a JS number. Exact up to 2^53; int32 fields written as 10-byte negative varints
   * come back as large positives, so use `int32()` for those.
   */
  uint(): number {
    let result = 0;
    let mul = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new ProtoError('truncated varint');
      const b = this.buf[this.pos++]!;
      result += (b & 0x7f) * mul;
      if (b < 0x80) return result;
      mul *= 128;
    }
    throw new ProtoError('varint longer than 10 bytes');
  }

  /** A varint as an unsigned 64-bit bigint. */
  uint64(): bigint {
    let result = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new ProtoError('truncated varint');
      const b = this.buf[this.pos++]!;
      result |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return BigInt.asUintN(64, result);
      shift += 7n;
    }
    throw new ProtoError('varint longer than 10 bytes');
  }

  /** A varint as a signed 64-bit bigint (protobuf `int64`, two's complement). */
  int64(): bigint {
    return BigInt.asIntN(64, this.uint64());
  }

  /** A varint as a signed 32-bit number (protobuf `int32`: the low 32 bits of the value). */
  int32(): number {
    return Number(BigInt.asIntN(32, this.uint64()));
  }

  /** The bounds `[start, end)` of a length-delimited field's payload; advances past it. */
  span(): [number, number] {
    const len = this.uint();
    const start = this.pos;
    const end = start + len;
    if (end > this.end) throw new ProtoError('length-delimited field runs past the end of the message');
    this.pos = end;
    return [start, end];
  }

  /** A length-delimited field's payload as a view (no copy). */
  bytes(): Uint8Array {
    const [s, e] = this.span();
    return this.buf.subarray(s, e);
  }

  /** A length-delimited field as UTF-8 text. */
  string(): string {
    return new TextDecoder().decode(this.bytes());
  }

  float32(): number {
    this.need(4);
    const v = this.view.getFloat32(this.pos, true);
    this.pos += 4;
    return v;
  }

  float64(): number {
    this.need(8);
    const v = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }

  /** A nested message reader over a length-delimited field. */
  message(): ProtoReader {
    const [s, e] = this.span();
    return new ProtoReader(this.buf, s, e);
  }

  /** Skips a field's value of wire type `wt`. */
  skip(wt: number): void {
    switch (wt) {
      case WireType.Varint: this.uint(); return;
      case WireType.Fixed64: this.need(8); this.pos += 8; return;
      case WireType.Bytes: this.span(); return;
      case WireType.Fixed32: this.need(4); this.pos += 4; return;
      default: throw new ProtoError(`unsupported wire type ${wt}`);
    }
  }

  /**
   * Reads a repeated scalar field that may be packed (one length-delimited run) or not (one value
   * per key), calling `read` for each element.
   */
  repeated(wt: number, elementWt: number, read: (r: ProtoReader) => void): void {
    if (wt === WireType.Bytes && elementWt !== WireType.Bytes) {
      const [s, e] = this.span();
      const sub = new ProtoReader(this.buf, s, e);
      while (sub.more()) read(sub);
      return;
    }
    if (wt !== elementWt) throw new ProtoError(`wire type ${wt} where ${elementWt} was expected`);
    read(this);
  }

  private need(n: number): void {
    if (this.pos + n > this.end) throw new ProtoError('truncated fixed-width field');
  }
}
