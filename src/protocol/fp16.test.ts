import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { halfToNumber, numberToHalf } from './fp16.ts';

const isNaNBits = (h: number): boolean => (h & 0x7c00) === 0x7c00 && (h & 0x3ff) !== 0;

/** The next double up from a non-negative finite x. */
function nextUp(x: number): number {
  const b = new BigUint64Array(new Float64Array([x]).buffer);
  b[0]! += 1n;
  return new Float64Array(b.buffer)[0]!;
}

/** The next double down from a positive x. */
function nextDown(x: number): number {
  const b = new BigUint64Array(new Float64Array([x]).buffer);
  b[0]! -= 1n;
  return new Float64Array(b.buffer)[0]!;
}

describe('halfToNumber', () => {
  test('known values', () => {
    const cases: [number, number][] = [
      [0x0000, 0], [0x8000, -0], [0x3c00, 1], [0xbc00, -1], [0x4000, 2], [0x3800, 0.5],
      [0x7bff, 65504], [0xfbff, -65504], [0x0001, 2 ** -24], [0x03ff, 1023 * 2 ** -24], [0x0400, 2 ** -14],
      [0x3555, 0.333251953125], [0x4248, 3.140625], [0x7c00, Infinity], [0xfc00, -Infinity], [0x3c01, 1 + 2 ** -10],
    ];
    for (const [h, v] of cases) assert.ok(Object.is(halfToNumber(h), v), `0x${h.toString(16)} → ${v}`);
    assert.ok(Number.isNaN(halfToNumber(0x7e00)));
    assert.ok(Number.isNaN(halfToNumber(0xfc01)));
  });

  test('strictly increasing over the finite positive patterns (so every value is distinct)', () => {
    for (let h = 1; h <= 0x7c00; h++) assert.ok(halfToNumber(h) > halfToNumber(h - 1), `0x${h.toString(16)}`);
    for (let h = 0; h < 0x7c00; h++) assert.ok(Object.is(halfToNumber(h | 0x8000), -halfToNumber(h)));
  });
});

describe('numberToHalf', () => {
  test('all 65536 patterns round-trip bits → number → bits (NaN to the canonical 0x7e00)', () => {
    let nans = 0;
    for (let h = 0; h < 0x10000; h++) {
      const back = numberToHalf(halfToNumber(h));
      if (isNaNBits(h)) {
        nans++;
        assert.equal(back, 0x7e00, `NaN 0x${h.toString(16)}`);
      } else {
        assert.equal(back, h, `0x${h.toString(16)}`);
      }
    }
    assert.equal(nans, 2 * 1023);
  });

  test('every midpoint between adjacent halves rounds to the even one; a hair off rounds to the nearer', () => {
    for (let h = 0; h < 0x7bff; h++) {
      const lo = halfToNumber(h);
      const hi = halfToNumber(h + 1);
      const mid = (lo + hi) / 2; // exact: both are doubles with few bits
      const even = h % 2 === 0 ? h : h + 1;
      assert.equal(numberToHalf(mid), even, `midpoint above 0x${h.toString(16)}`);
      assert.equal(numberToHalf(-mid), even | 0x8000);
      assert.equal(numberToHalf(nextDown(mid)), h);
      assert.equal(numberToHalf(nextUp(mid)), h + 1);
    }
  });

  test('rounds the double once, not via float32 (no double rounding)', () => {
    // 1 + 2^-11 + 2^-40 rounds to float32 1 + 2^-11, the midpoint; straight from the double it is above.
    assert.equal(numberToHalf(1 + 2 ** -11 + 2 ** -40), 0x3c01);
    assert.equal(numberToHalf(1 + 2 ** -11 - 2 ** -40), 0x3c00);
    assert.equal(numberToHalf(65519.999999), 0x7bff); // float32 would make this 65520 → ∞
    assert.equal(numberToHalf(2 ** -25 + 2 ** -60), 0x0001);
  });

  test('overflow, underflow, subnormals, signed zero, non-finite', () => {
    assert.equal(numberToHalf(65504), 0x7bff);
    assert.equal(numberToHalf(65520), 0x7c00); // midpoint to 2^16: ties to even, which is ∞
    assert.equal(numberToHalf(nextDown(65520)), 0x7bff);
    assert.equal(numberToHalf(1e300), 0x7c00);
    assert.equal(numberToHalf(-1e300), 0xfc00);
    assert.equal(numberToHalf(Infinity), 0x7c00);
    assert.equal(numberToHalf(-Infinity), 0xfc00);
    assert.equal(numberToHalf(Number.NaN), 0x7e00);
    assert.equal(numberToHalf(-0), 0x8000);
    assert.equal(numberToHalf(0), 0x0000);
    assert.equal(numberToHalf(2 ** -25), 0x0000); // half of the smallest subnormal: ties to even 0
    assert.equal(numberToHalf(3 * 2 ** -25), 0x0002); // 1.5 units: ties to even 2
    assert.equal(numberToHalf(-(2 ** -26)), 0x8000);
    assert.equal(numberToHalf(5e-324), 0x0000);
    assert.equal(numberToHalf(2 ** -14 - 2 ** -25), 0x0400); // 1023.5 units: ties up to the smallest normal
    assert.equal(numberToHalf(2047.5), 0x6800); // 2047.5 ties to even 2048 (carry into the exponent)
    assert.equal(numberToHalf(3.14159), 0x4248);
  });

  test('property: any double goes to the nearest half, ties to even', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, min: -65519.99, max: 65519.99 }), (x) => {
        const h = numberToHalf(x);
        const sign = x < 0 || Object.is(x, -0) ? 0x8000 : 0;
        assert.equal(h & 0x8000, sign);
        const m = h & 0x7fff;
        const a = Math.abs(x);
        const err = Math.abs(a - halfToNumber(m));
        if (m < 0x7bff) assert.ok(err <= Math.abs(halfToNumber(m + 1) - a), 'nearer than the next up');
        if (m > 0) assert.ok(err <= Math.abs(a - halfToNumber(m - 1)), 'nearer than the next down');
        const tie = (m < 0x7bff && err === Math.abs(halfToNumber(m + 1) - a)) || (m > 0 && err === Math.abs(a - halfToNumber(m - 1)));
        if (tie && err > 0) assert.equal(m % 2, 0, 'ties go to even');
      }),
      { numRuns: 5000 },
    );
  });
});
