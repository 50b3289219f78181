import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { ServingError } from '../core/errors.ts';
import { packBytes, packedBytesLength, unpackBytes } from './bytes-codec.ts';

const hex = (items: Uint8Array[]) => items.map((b) => Buffer.from(b).toString('hex'));

test('packs each element as a 4-byte LE length and its bytes', () => {
  const packed = packBytes([new Uint8Array([0x61, 0x62]), new Uint8Array(0)]);
  assert.equal(Buffer.from(packed).toString('hex'), '02000000616200000000');
  assert.equal(packedBytesLength([new Uint8Array(2), new Uint8Array(0)]), 10);
});

test('unpack returns views of the buffer, as plain Uint8Arrays', () => {
  const buf = Buffer.from('0300000078797a', 'hex');
  const [x] = unpackBytes(buf, 1, 'f');
  assert.equal(x!.buffer, buf.buffer);
  assert.equal(Object.getPrototypeOf(x), Uint8Array.prototype);
  assert.equal(Buffer.from(x!).toString(), 'xyz');
});

test('pack then unpack is the identity', () => {
  fc.assert(fc.property(fc.array(fc.uint8Array({ maxLength: 20 }), { maxLength: 10 }), (items) => {
    assert.deepEqual(hex(unpackBytes(packBytes(items), items.length, 'f')), hex(items));
  }));
});

test('overrunning prefixes, short buffers and trailing bytes are INVALID_INPUT naming the field', () => {
  const bad: [string, number, string][] = [
    ['05000000616263', 1, 'f element 0 length prefix: got 5, expected at most 3'],
    ['010000', 1, 'no 4-byte length at byte 0'],
    ['0100000061', 2, 'element 1 has no 4-byte length'],
    ['010000006162', 1, '1 bytes left over'],
  ];
  for (const [h, count, part] of bad) {
    assert.throws(() => unpackBytes(Buffer.from(h, 'hex'), count, 'f'), (e: unknown) => e instanceof ServingError && e.code === 'INVALID_INPUT' && e.message.includes(part));
  }
});

test('any truncation of a packed buffer is INVALID_INPUT', () => {
  fc.assert(fc.property(fc.array(fc.uint8Array({ maxLength: 8 }), { minLength: 1, maxLength: 6 }), fc.nat(), (items, cut) => {
    const packed = packBytes(items);
    const short = packed.subarray(0, cut % packed.length);
    assert.throws(() => unpackBytes(short, items.length, 'f'), (e: unknown) => e instanceof ServingError && e.code === 'INVALID_INPUT');
  }));
});
