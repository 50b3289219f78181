import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PortPicker, freePort } from './ports.ts';

/** A pick that returns the given ports in order (the kernel handing out the same one twice). */
const scripted = (ports: number[]): (() => Promise<number>) => {
  let i = 0;
  return () => Promise.resolve(ports[i++]!);
};

test('PortPicker never hands out a port it handed out recently', async () => {
  const picker = new PortPicker(4096, scripted([5, 5, 6, 5, 6, 7]));
  assert.deepEqual([await picker.next(), await picker.next(), await picker.next()], [5, 6, 7]);
});

test('PortPicker forgets the oldest port past `remember`', async () => {
  const picker = new PortPicker(2, scripted([1, 2, 3, 1]));
  assert.deepEqual([await picker.next(), await picker.next(), await picker.next(), await picker.next()], [1, 2, 3, 1]);
});

test('PortPicker over the real freePort: 200 distinct ports', async () => {
  const picker = new PortPicker();
  const ports = [];
  for (let i = 0; i < 200; i++) ports.push(await picker.next());
  assert.equal(new Set(ports).size, 200);
  assert.ok(ports.every((p) => p > 0 && p < 65536));
  assert.ok((await freePort()) > 0);
});
