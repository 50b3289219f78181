/**
 * IEEE 754 half precision <-> JS number. FP16 tensors are stored as Uint16Array bit patterns; JSON
 * carries them as numbers (OIP), so the codecs convert at the edge.
 */
const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

/** Half bits → number (exact). */
export function halfToNumber(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 0x1f) return frac ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/** Rounds a non-negative number below 2^52 to the nearest integer, ties to even. */
function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const d = x - f; // exact: x and f share an exponent range
  if (d > 0.5 || (d === 0.5 && f % 2 === 1)) return f + 1;
  return f;
}

/**
 * Number → half bits, rounding the double directly to nearest even (as numpy's float16 cast).
 * Going through float32 first would round twice: 1 + 2^-11 + 2^-40 is above the midpoint between
 * the halves 1 and 1 + 2^-10, but rounds to float32 1 + 2^-11, exactly the midpoint, and then to
 * even, 1. Rounding once gives 1 + 2^-10 (0x3c01), as it should.
 *
 * Worked example, 3.14159: exponent e = 1 (2 ≤ x < 4), x · 2^(10-1) = 1608.49 → 1608, so the bits
 * are (1 + 15) << 10 | (1608 - 1024) = 0x4248 (3.140625).
 */
export function numberToHalf(n: number): number {
  f64[0] = n;
  const hi = u32[1]!; // little-endian: the sign and exponent live in the high word
  const sign = (hi >>> 16) & 0x8000;
  if (Number.isNaN(n)) return sign | 0x7e00;
  const a = Math.abs(n);
  // 65520 is the midpoint between the largest half (65504) and 2^16; from there up it rounds to ∞.
  if (a >= 65520) return sign | 0x7c00;
  // Subnormal halves are multiples of 2^-24; rounding up to 1024 gives 0x400, the smallest normal.
  if (a < 2 ** -14) return sign | roundHalfEven(a * 2 ** 24);
  const e = ((hi >>> 20) & 0x7ff) - 1023;
  // a · 2^(10-e) is in [1024, 2048) exactly (scaling by a power of two); a carry to 2048 moves
  // into the exponent field, as it should.
  const m = roundHalfEven(a * 2 ** (10 - e));
  return sign | (((e + 15) << 10) + (m - 1024));
}
