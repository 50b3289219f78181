/**
 * Incremental checksums the object stores publish: MD5 and SHA-256 via node:crypto, and CRC32C
 * (Castagnoli, GCS's `crc32c` field), which node:crypto lacks: a table-driven implementation.
 * Worked example: crc32c("123456789") = 0xE3069283, the standard check value.
 */
import { createHash, type Hash } from 'node:crypto';

const TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export class Crc32c {
  private crc = 0xffffffff;
  update(buf: Uint8Array): this {
    let c = this.crc;
    for (let i = 0; i < buf.length; i++) c = TABLE[(c ^ buf[i]!) & 0xff]! ^ (c >>> 8);
    this.crc = c;
    return this;
  }
  /** The value as an unsigned 32-bit integer. */
  value(): number {
    return (this.crc ^ 0xffffffff) >>> 0;
  }
  /** Big-endian 4 bytes, base64: GCS's `crc32c` metadata format. */
  base64(): string {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(this.value());
    return b.toString('base64');
  }
}

/** What one file must hash to; absent fields are not checked. */
export interface ExpectedChecksums {
  /** base64 of the 16-byte digest (GCS `md5Hash`, Azure `Content-MD5`). */
  readonly md5Base64?: string;
  /** lower-case hex (HF LFS `sha256`). */
  readonly sha256Hex?: string;
  /** base64 of the big-endian CRC32C (GCS `crc32c`). */
  readonly crc32cBase64?: string;
}

/** Runs only the checks that are expected; md5 is preferred over crc32c (faster in Node). */
export class Verifier {
  private readonly md5?: Hash;
  private readonly sha256?: Hash;
  private readonly crc?: Crc32c;
  constructor(private readonly expected: ExpectedChecksums) {
    if (expected.md5Base64) this.md5 = createHash('md5');
    else if (expected.crc32cBase64) this.crc = new Crc32c();
    if (expected.sha256Hex) this.sha256 = createHash('sha256');
  }
  get active(): boolean {
    return Boolean(this.md5 || this.sha256 || this.crc);
  }
  update(buf: Uint8Array): void {
    this.md5?.update(buf);
    this.sha256?.update(buf);
    this.crc?.update(buf);
  }
  /** undefined when everything matched, else "md5 <got> ≠ <expected>". */
  mismatch(): string | undefined {
    if (this.md5) {
      const got = this.md5.digest('base64');
      if (got !== this.expected.md5Base64) return `md5 ${got} ≠ expected ${this.expected.md5Base64}`;
    }
    if (this.crc) {
      const got = this.crc.base64();
      if (got !== this.expected.crc32cBase64) return `crc32c ${got} ≠ expected ${this.expected.crc32cBase64}`;
    }
    if (this.sha256) {
      const got = this.sha256.digest('hex');
      if (got !== this.expected.sha256Hex?.toLowerCase()) return `sha256 ${got} ≠ expected ${this.expected.sha256Hex}`;
    }
    return undefined;
  }
}
