/**
 * The few protobuf wire-format primitives the OpenAPI v2 encoding needs: a message is built as
 * a list of chunks, each field a tag then its payload (varint, 64-bit double, or
 * length-delimited bytes for strings and nested messages).
 */

/** A message under construction. */
export class ProtoMessage {
  private readonly chunks: Buffer[] = [];

  /** A string field (wire type 2); empty strings are omitted, as proto3 does. */
  string(field: number, value: string | undefined): this {
    if (value === undefined || value === '') return this;
    return this.bytes(field, Buffer.from(value, 'utf8'));
  }

  /** A nested message field (wire type 2), written even when empty (presence matters for oneofs). */
  message(field: number, value: ProtoMessage | undefined): this {
    if (value === undefined) return this;
    return this.bytes(field, value.finish());
  }

  /** A bool field (varint); false is omitted. */
  bool(field: number, value: boolean | undefined): this {
    if (value !== true) return this;
    this.chunks.push(varint(tag(field, 0)), varint(1));
    return this;
  }

  /** An int64 field (varint) for non-negative integers; 0 is omitted. */
  int64(field: number, value: number | undefined): this {
    if (value === undefined || value === 0) return this;
    if (!Number.isSafeInteger(value) || value < 0) throw new Error(`protobuf int64 field ${field}: got ${value}, expected a non-negative safe integer`);
    this.chunks.push(varint(tag(field, 0)), varint(value));
    return this;
  }

  /** A double field (wire type 1). */
  double(field: number, value: number | undefined): this {
    if (value === undefined) return this;
    const b = Buffer.alloc(8);
    b.writeDoubleLE(value);
    this.chunks.push(varint(tag(field, 1)), b);
    return this;
  }

  finish(): Buffer {
    return Buffer.concat(this.chunks);
  }

  private bytes(field: number, payload: Buffer): this {
    this.chunks.push(varint(tag(field, 2)), varint(payload.length), payload);
    return this;
  }
}

function tag(field: number, wireType: number): number {
  return field * 8 + wireType;
}

/** Base-128 groups, low first, high bit set on all but the last (non-negative safe integers). */
function varint(n: number): Buffer {
  const bytes: number[] = [];
  for (let v = n; ; v = Math.floor(v / 128)) {
    if (v < 128) {
      bytes.push(v);
      return Buffer.from(bytes);
    }
    bytes.push(128 + (v % 128));
  }
}
