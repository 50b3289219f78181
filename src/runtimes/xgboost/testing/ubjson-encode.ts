/**
 * A minimal UBJSON writer for tests: plain JSON values, with arrays of numbers written as XGBoost
 * writes them (strongly typed `[$l#L` for integers, `[$d#L` float32 otherwise).
 */
function lengthBytes(n: number): number[] {
  const b = Buffer.alloc(9);
  b.write('L', 0, 'latin1');
  b.writeBigInt64BE(BigInt(n), 1);
  return [...b];
}

function str(s: string): number[] {
  return [...lengthBytes(Buffer.byteLength(s)), ...Buffer.from(s)];
}

function encode(v: unknown, out: number[]): void {
  if (v === null) out.push(0x5a);
  else if (v === true) out.push(0x54);
  else if (v === false) out.push(0x46);
  else if (typeof v === 'string') out.push(0x53, ...str(v));
  else if (typeof v === 'number') {
    const b = Buffer.alloc(9);
    if (Number.isInteger(v)) { b.write('L', 0, 'latin1'); b.writeBigInt64BE(BigInt(v), 1); }
    else { b.write('D', 0, 'latin1'); b.writeDoubleBE(v, 1); }
    out.push(...b);
  } else if (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'number')) {
    const ints = v.every((x) => Number.isInteger(x) && x >= -(2 ** 31) && x < 2 ** 31);
    out.push(0x5b, 0x24, ints ? 0x6c : 0x64, 0x23, ...lengthBytes(v.length));
    const b = Buffer.alloc(4 * v.length);
    v.forEach((x, i) => (ints ? b.writeInt32BE(x, 4 * i) : b.writeFloatBE(x, 4 * i)));
    out.push(...b);
  } else if (Array.isArray(v)) {
    out.push(0x5b);
    for (const x of v) encode(x, out);
    out.push(0x5d);
  } else if (typeof v === 'object') {
    out.push(0x7b);
    for (const [k, x] of Object.entries(v)) { out.push(...str(k)); encode(x, out); }
    out.push(0x7d);
  } else throw new Error(`cannot encode ${typeof v}`);
}

export function encodeUbjson(v: unknown): Uint8Array {
  const out: number[] = [];
  encode(v, out);
  return Uint8Array.from(out);
}
