/**
 * A small Universal Binary JSON (UBJSON, ubjson.org draft 12) reader, enough for XGBoost's `.ubj`
 * models: `save_model('model.ubj')` writes the same document as the JSON format, with numeric
 * arrays as strongly typed containers (`[$d#L<count>` + big-endian float32s).
 *
 * Typed containers of numbers come back as typed arrays (Float32Array for `$d`, Int32Array for
 * `$l`, …) so a million-node model does not become a million boxed numbers. Every read is bounds
 * checked and every count is checked against the bytes left before anything is allocated, so a
 * truncated or hostile file fails with `UbjsonError` instead of a crash, a hang or a huge allocation.
 */

/** A decoded value: JSON's values plus typed arrays for typed numeric containers. */
export type UbjValue =
  | null | boolean | number | bigint | string
  | UbjValue[] | { [key: string]: UbjValue }
  | Int8Array | Uint8Array | Int16Array | Int32Array | Float32Array | Float64Array;

export class UbjsonError extends Error {}

/** Deepest nesting accepted (XGBoost's documents are about 8 deep). */
const MAX_DEPTH = 64;

/** Byte size of each fixed-size numeric marker. */
const SIZES: Readonly<Record<string, number>> = { i: 1, U: 1, I: 2, l: 4, L: 8, d: 4, D: 8 };

class Reader {
  pos = 0;
  private readonly view: DataView;
  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  need(n: number): void {
    if (n > this.bytes.length - this.pos) {
      throw new UbjsonError(`truncated at byte ${this.pos}: needs ${n} more bytes, ${this.bytes.length - this.pos} left`);
    }
  }

  marker(): string {
    this.need(1);
    return String.fromCharCode(this.bytes[this.pos++]!);
  }

  number(m: string): number | bigint {
    const size = SIZES[m];
    if (size === undefined) throw new UbjsonError(`expected a numeric marker at byte ${this.pos - 1}, got '${m}'`);
    this.need(size);
    const v = this.view;
    const p = this.pos;
    this.pos += size;
    switch (m) {
      case 'i': return v.getInt8(p);
      case 'U': return v.getUint8(p);
      case 'I': return v.getInt16(p);
      case 'l': return v.getInt32(p);
      case 'd': return v.getFloat32(p);
      case 'D': return v.getFloat64(p);
      default: {
        const big = v.getBigInt64(p);
        return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
      }
    }
  }

  /** A length or count: an integer marker then a non-negative integer. */
  length(m = this.marker()): number {
    const n = this.number(m);
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) throw new UbjsonError(`bad length ${String(n)} at byte ${this.pos}`);
    return n;
  }

  string(): string {
    const n = this.length();
    this.need(n);
    const s = Buffer.from(this.bytes.buffer, this.bytes.byteOffset + this.pos, n).toString('utf8');
    this.pos += n;
    return s;
  }

  value(m: string, depth: number): UbjValue {
    if (depth > MAX_DEPTH) throw new UbjsonError(`nesting deeper than ${MAX_DEPTH}`);
    switch (m) {
      case 'Z': return null;
      case 'T': return true;
      case 'F': return false;
      case 'S': case 'H': return this.string();
      case 'C': return String.fromCharCode(Number(this.number('U')));
      case '[': return this.array(depth);
      case '{': return this.object(depth);
      default: return this.number(m);
    }
  }

  /** Reads the optional `$type` and `#count` header of a container. */
  header(): { type?: string; count?: number } {
    let type: string | undefined;
    let count: number | undefined;
    this.need(1);
    if (this.bytes[this.pos] === 0x24 /* $ */) {
      this.pos++;
      type = this.marker();
      this.need(1);
      if (this.bytes[this.pos] !== 0x23 /* # */) throw new UbjsonError(`'$' without '#' at byte ${this.pos}`);
    }
    this.need(1);
    if (this.bytes[this.pos] === 0x23) {
      this.pos++;
      count = this.length();
    }
    return type === undefined ? (count === undefined ? {} : { count }) : { type, count: count! };
  }

  array(depth: number): UbjValue {
    const { type, count } = this.header();
    if (type !== undefined) return this.typedArray(type, count!, depth);
    const out: UbjValue[] = [];
    if (count !== undefined) {
      this.need(count); // each element takes at least one byte
      for (let i = 0; i < count; i++) out.push(this.value(this.marker(), depth + 1));
      return out;
    }
    for (let m = this.marker(); m !== ']'; m = this.marker()) if (m !== 'N') out.push(this.value(m, depth + 1));
    return out;
  }

  typedArray(type: string, count: number, depth: number): UbjValue {
    const size = SIZES[type];
    if (size === undefined || type === 'L' || type === 'D') {
      // Rare in XGBoost files: decode element by element as plain values.
      if (size !== undefined) this.need(count * size);
      const out: UbjValue[] = [];
      for (let i = 0; i < count; i++) out.push(this.value(type, depth + 1));
      return out;
    }
    this.need(count * size);
    const out = type === 'd' ? new Float32Array(count) : type === 'l' ? new Int32Array(count)
      : type === 'I' ? new Int16Array(count) : type === 'U' ? new Uint8Array(count) : new Int8Array(count);
    for (let i = 0; i < count; i++) out[i] = this.number(type) as number;
    return out;
  }

  object(depth: number): UbjValue {
    const { type, count } = this.header();
    // null prototype: keys such as "__proto__" in a file stay plain data.
    const out = Object.create(null) as { [key: string]: UbjValue };
    if (count !== undefined) {
      this.need(count);
      for (let i = 0; i < count; i++) {
        const key = this.string();
        out[key] = this.value(type ?? this.marker(), depth + 1);
      }
      return out;
    }
    for (;;) {
      this.need(1);
      if (this.bytes[this.pos] === 0x7d /* } */) { this.pos++; return out; }
      const key = this.string();
      const m = this.marker();
      if (m !== 'N') out[key] = this.value(m, depth + 1);
    }
  }
}

/** Decodes one UBJSON document; throws UbjsonError on malformed or truncated input. */
export function decodeUbjson(bytes: Uint8Array): UbjValue {
  const r = new Reader(bytes);
  const v = r.value(r.marker(), 0);
  if (r.pos !== bytes.length) throw new UbjsonError(`${bytes.length - r.pos} bytes after the end of the document`);
  return v;
}
