import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeProtobuf } from './protobuf.ts';

/** Length-delimited field `n` (wire type 2); lengths here stay below 128. */
const ld = (n: number, payload: Buffer | string): Buffer => {
  const b = Buffer.isBuffer(payload) ? payload : Buffer.from(payload);
  return Buffer.concat([Buffer.from([(n << 3) | 2, b.length]), b]);
};

function envelope(apiVersion: string, kind: string, raw: Buffer): Buffer {
  return Buffer.concat([Buffer.from('k8s\0', 'latin1'), ld(1, Buffer.concat([ld(1, apiVersion), ld(2, kind)])), ld(2, raw), ld(4, 'application/vnd.kubernetes.protobuf')]);
}

test('a protobuf Namespace (as kubectl create namespace sends it) decodes to its JSON form', () => {
  const meta = Buffer.concat([ld(1, 'team-a'), ld(11, Buffer.concat([ld(1, 'env'), ld(2, 'prod')])), ld(14, 'example.com/f')]);
  const raw = Buffer.concat([ld(1, meta), ld(2, ld(1, 'kubernetes')), ld(3, ld(1, 'Active'))]);
  assert.deepEqual(decodeProtobuf(envelope('v1', 'Namespace', raw)), {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: 'team-a', labels: { env: 'prod' }, finalizers: ['example.com/f'] },
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  });
});

test('other kinds are 415 (clients then send JSON); garbage is 400', () => {
  assert.throws(() => decodeProtobuf(envelope('v1', 'ConfigMap', Buffer.alloc(0))), (e: any) => e.code === 415);
  assert.throws(() => decodeProtobuf(Buffer.from('{"a":1}')), (e: any) => e.code === 400);
  assert.throws(() => decodeProtobuf(Buffer.concat([Buffer.from('k8s\0', 'latin1'), Buffer.from([0x0a, 0x50, 0x01])])), (e: any) => e.code === 400 && /truncated/.test(e.message));
});
