import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ALL_KINDS, kindByKind, kindByName } from '../index.ts';

const ctx = { list: () => Promise.resolve([]) };

test('Secret: stringData is merged into data as base64 and dropped; type defaults to Opaque', async () => {
  const secret = kindByKind(ALL_KINDS, '', 'Secret')!;
  const obj: Record<string, unknown> = { metadata: { name: 's3creds' }, data: { AWS_ACCESS_KEY_ID: Buffer.from('AKIA').toString('base64') }, stringData: { AWS_SECRET_ACCESS_KEY: 'shh' } };
  await secret.default!(obj, ctx);
  assert.deepEqual(obj.data, { AWS_ACCESS_KEY_ID: 'QUtJQQ==', AWS_SECRET_ACCESS_KEY: 'c2ho' });
  assert.equal(obj.stringData, undefined);
  assert.equal(obj.type, 'Opaque');
  assert.deepEqual(await secret.validate!(obj, undefined, ctx), []);
});

test('Secret: a value that is not base64 or a bad key is refused, without echoing the value', async () => {
  const secret = kindByKind(ALL_KINDS, '', 'Secret')!;
  const errs = await secret.validate!({ metadata: { name: 's' }, data: { 'bad key': 'QQ==', TOKEN: 'not base64!' } }, undefined, ctx);
  assert.equal(errs.length, 2);
  assert.doesNotMatch(JSON.stringify(errs), /not base64!/);
  assert.match(JSON.stringify(errs), /data\[TOKEN\]/);
  assert.equal(secret.versions[0]!.printerColumns.some((c) => c.jsonPath.startsWith('.data')), false, 'no column prints the values');
});

test('ServiceAccount answers to sa', () => {
  assert.equal(kindByName(ALL_KINDS, 'sa')?.kind, 'ServiceAccount');
  assert.equal(kindByName(ALL_KINDS, 'secrets')?.kind, 'Secret');
});
