import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { ServingError } from '../core/errors.ts';
import { parseJson } from './json-lossless.ts';

/** A big integer literal: its presence sends parseJson down the lossless path. */
const BIG = '12345678901234567890';
/** 17 significant digits, so not the shortest text of its double (…68e-300): parse it, don't write it. */
const TINY = Number('1.2345678901234567e-300');

function assertInvalidJson(text: string): void {
  assert.throws(() => parseJson(text), (err: unknown) => {
    assert.ok(err instanceof ServingError, `${String(err)} for ${JSON.stringify(text)}`);
    assert.equal(err.code, 'INVALID_INPUT');
    assert.match(err.message, /^request body: invalid JSON \(.* at position \d+\)$/);
    return true;
  });
}

/**
 * Whether the lossless result agrees with JSON.parse's: equal everywhere, except that where
 * JSON.parse rounded an unsafe integer the lossless result is a bigint that rounds to it.
 */
function agrees(lossless: unknown, native: unknown): boolean {
  if (typeof lossless === 'bigint') {
    return typeof native === 'number' && !Number.isSafeInteger(native) && Number(lossless) === native;
  }
  if (Array.isArray(lossless)) {
    return Array.isArray(native) && lossless.length === native.length && lossless.every((x, i) => agrees(x, native[i]));
  }
  if (typeof lossless === 'object' && lossless !== null) {
    if (typeof native !== 'object' || native === null || Array.isArray(native)) return false;
    if (Object.getPrototypeOf(lossless) !== Object.getPrototypeOf(native)) return false;
    const a = Object.entries(lossless);
    const b = Object.entries(native);
    return a.length === b.length && a.every(([k, v], i) => b[i]![0] === k && agrees(v, b[i]![1]));
  }
  return Object.is(lossless, native);
}

describe('parseJson: integers', () => {
  test('keeps int64 and uint64 extremes exact as bigint', () => {
    const v = parseJson('[9223372036854775807, -9223372036854775808, 18446744073709551615]');
    assert.deepEqual(v, [9223372036854775807n, -9223372036854775808n, 18446744073709551615n]);
  });

  test('2^53 + 1 is exact; safe integers stay numbers even on the lossless path', () => {
    const v = parseJson('{"a": 9007199254740993, "b": 9007199254740991, "c": -9007199254740991, "d": 0, "e": -0}');
    assert.deepEqual(v, { a: 9007199254740993n, b: 9007199254740991, c: -9007199254740991, d: 0, e: -0 });
    assert.ok(Object.is((v as { e: number }).e, -0));
  });

  test('floats with many digits stay numbers, on the fast path', (t) => {
    const texts = [
      '[0.30000000000000004, 1.2345678901234567e-300]',
      '[12345678901234567.5, 1234567890123456789e0, 1E+12345678901234567, -0.12345678901234567890]',
      '{"x": 1.0000000000000002, "y": 123456789012345678901234.0}',
    ];
    const parse = t.mock.method(JSON, 'parse');
    for (const text of texts) {
      parse.mock.resetCalls();
      const v = parseJson(text);
      assert.equal(parse.mock.callCount(), 1, `native JSON.parse once for ${text}`);
      assert.equal(parse.mock.calls[0]!.arguments[0], text);
      assert.deepEqual(v, parse.mock.calls[0]!.result);
    }
    assert.deepEqual(parseJson('[0.30000000000000004, 1.2345678901234567e-300]'), [0.30000000000000004, TINY]);
  });

  test('a big integer takes the lossless path, floats beside it are still numbers', (t) => {
    const parse = t.mock.method(JSON, 'parse');
    const v = parseJson(`[${BIG}, 0.30000000000000004, 1.2345678901234567e-300, 5e-324]`);
    assert.ok(parse.mock.calls.every((c) => !String(c.arguments[0]).includes(BIG)), 'whole text not given to JSON.parse');
    assert.deepEqual(v, [12345678901234567890n, 0.30000000000000004, TINY, 5e-324]);
  });
});

describe('parseJson: agrees with JSON.parse', () => {
  test('property: any JSON value, fast path', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const text = JSON.stringify(v);
        assert.ok(agrees(parseJson(text), JSON.parse(text)), text);
      }),
      { numRuns: 500 },
    );
  });

  test('property: any JSON value, lossless path forced by a big integer', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.boolean(), (v, pretty) => {
        const inner = JSON.stringify(v, null, pretty ? 2 : undefined);
        const text = `{"v": ${inner}, "big": ${BIG}}`;
        const got = parseJson(text) as { v: unknown; big: unknown };
        assert.equal(got.big, 12345678901234567890n);
        assert.ok(agrees(got.v, JSON.parse(inner)), inner);
      }),
      { numRuns: 500 },
    );
  });

  test('property: one character changed, both accept or both reject (and ours has a position)', () => {
    const mutated = fc
      .tuple(fc.jsonValue(), fc.boolean(), fc.nat(), fc.constantFrom(...'{}[]",:-.0123456789eE+ \\tfnu'.split(''), ''))
      .map(([v, big, at, c]) => {
        const text = big ? `[${JSON.stringify(v)},${BIG}]` : JSON.stringify(v);
        const i = at % (text.length + 1);
        return text.slice(0, i) + c + text.slice(i + 1);
      });
    fc.assert(
      fc.property(mutated, (text) => {
        let native: unknown;
        try {
          native = JSON.parse(text);
        } catch {
          assertInvalidJson(text);
          return;
        }
        assert.ok(agrees(parseJson(text), native), text);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('parseJson: errors', () => {
  const bad = ['', ' ', '{', '{"a":}', '[1,2', '[1,]', '{"a" 1}', '{"a":1,}', 'tru', 'nul', '01', '1.', '.5', '-', '+1',
    '"\\x"', '"abc', '"a\u0001b"', '[1] 2', 'NaN', 'Infinity', "{'a':1}", '[1 2]', '{"a":1 "b":2}', '\u00a0[]'];
  for (const text of bad) {
    test(`malformed ${JSON.stringify(text)} → INVALID_INPUT with a position, both paths`, () => {
      assertInvalidJson(text);
      assertInvalidJson(`[${BIG}, ${text}]`);
    });
  }

  test('the position points at the fault', () => {
    assert.throws(() => parseJson('{"a":}'), /unexpected character "}" at position 5/);
    assert.throws(() => parseJson(`[${BIG},]`), /unexpected character "]" at position 22/);
    assert.throws(() => parseJson('[1, 2'), /expected ',' or '\]' at position 5/);
  });
});

describe('parseJson: prototype safety and depth', () => {
  for (const [name, suffix] of [['fast path', ''], ['lossless path', `, "big": ${BIG}`]] as const) {
    test(`__proto__ keys are own properties and pollute nothing (${name})`, () => {
      const v = parseJson(`{"__proto__": {"polluted": true}, "a": {"__proto__": [1]}${suffix}}`) as Record<string, unknown>;
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
      assert.equal(Object.getPrototypeOf(v), Object.prototype);
      assert.ok(Object.hasOwn(v, '__proto__'));
      assert.deepEqual(Object.getOwnPropertyDescriptor(v, '__proto__')?.value, { polluted: true });
      assert.equal(v.polluted, undefined);
      const a = v.a as Record<string, unknown>;
      assert.equal(Object.getPrototypeOf(a), Object.prototype);
      assert.deepEqual(Object.getOwnPropertyDescriptor(a, '__proto__')?.value, [1]);
    });
  }

  test('duplicate keys: the last wins, in the first position, as with JSON.parse', () => {
    const text = `{"a": 1, "b": ${BIG}, "a": 2}`;
    assert.deepEqual(Object.entries(parseJson(text) as object), [['a', 2], ['b', 12345678901234567890n]]);
  });

  test('nesting 100000 deep parses on the lossless path (no stack overflow)', () => {
    const depth = 100_000;
    let v = parseJson(`${'['.repeat(depth)}${BIG}${']'.repeat(depth)}`);
    for (let d = 0; d < depth; d++) v = (v as unknown[])[0];
    assert.equal(v, 12345678901234567890n);
    assertInvalidJson(`${'['.repeat(depth)}${BIG}${']'.repeat(depth - 1)}`);
  });
});
