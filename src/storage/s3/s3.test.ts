/**
 * The S3 provider against a real S3-compatible server (s3rver, started here on a free port with a
 * temp directory) through the real AWS SDK. s3rver checks SigV4 signatures (wrong key id →
 * InvalidAccessKeyId, wrong secret → SignatureDoesNotMatch) and serves unsigned requests, so
 * credentials, anonymous access and Forbidden are all exercised for real. Faults: a TCP proxy in
 * front of s3rver cuts connections mid-body; a byte flipped in s3rver's stored object makes the
 * ETag lie.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import tls from 'node:tls';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import * as tar from 'tar';
import { parseStorageUri, StorageError, type Progress, type StorageContext } from '../provider.ts';
import { s3Provider, s3Settings } from './index.ts';

const MiB = 1 << 20;
const noSleep = async (): Promise<void> => undefined;

let tmp: string;
let server: S3rver;
let port: number;
const files: Record<string, Buffer> = {};

const creds = { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' };
const envAt = (p: number, extra: Record<string, string> = {}): Record<string, string> => ({ ...creds, AWS_ENDPOINT_URL: `http://127.0.0.1:${p}`, ...extra });

async function newDest(): Promise<string> {
  return mkdtemp(path.join(tmp, 'dest-'));
}

async function tree(dir: string, base = ''): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(path.join(dir, base), { withFileTypes: true })) {
    const rel = base ? `${base}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await tree(dir, rel)));
    else out.push(rel);
  }
  return out.sort();
}

async function fetchInto(uri: string, ctx: StorageContext, provider = s3Provider({ sleep: noSleep })): Promise<string> {
  const parsed = parseStorageUri(uri);
  const src = await provider.resolve(parsed, ctx);
  const dest = await newDest();
  await provider.download(parsed, src, dest, ctx);
  return dest;
}

async function rejectsWith(p: Promise<unknown>, reason: string, check?: (e: StorageError) => void): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof StorageError, `expected StorageError, got ${String(e)}`);
    assert.equal(e.reason, reason, e.message);
    check?.(e);
    return true;
  });
}

/** A TCP proxy to s3rver that cuts a connection once it has passed `cutAfterBytes` of response, `cuts` times. */
async function cuttingProxy(cutAfterBytes: number, cuts: number): Promise<{ port: number; cutsDone: () => number; close: () => Promise<void> }> {
  let left = cuts;
  let done = 0;
  const sockets = new Set<net.Socket>();
  const proxy = net.createServer((client) => {
    const upstream = net.connect(port, '127.0.0.1');
    sockets.add(client).add(upstream);
    let forwarded = 0;
    client.on('data', (d) => upstream.write(d));
    upstream.on('data', (d) => {
      if (left > 0 && forwarded + d.length > cutAfterBytes) {
        left--;
        done++;
        client.write(d.subarray(0, cutAfterBytes - forwarded));
        client.destroy();
        upstream.destroy();
        return;
      }
      forwarded += d.length;
      client.write(d);
    });
    const end = (): void => {
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  return {
    port: (proxy.address() as net.AddressInfo).port,
    cutsDone: () => done,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => proxy.close(() => r()));
    },
  };
}

before(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 's3-provider-test-'));
  server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: path.join(tmp, 's3rver') });
  const addr = await server.run();
  port = addr.port;
  const client = new S3Client({ region: 'us-east-1', endpoint: `http://127.0.0.1:${port}`, forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
  await client.send(new CreateBucketCommand({ Bucket: 'models' }));
  const put = async (key: string, body: Buffer): Promise<void> => {
    files[key] = body;
    await client.send(new PutObjectCommand({ Bucket: 'models', Key: key, Body: body }));
  };
  await put('model/config.json', Buffer.from('{"name":"m"}'));
  await put('model/sub/deep/weights.bin', randomBytes(300_000));
  await put('model/empty.txt', Buffer.alloc(0));
  await put('model/', Buffer.alloc(0)); // a console "folder" marker
  await put('model-old/stale.bin', Buffer.from('must not be taken as part of model/'));
  await put('single/model.onnx', randomBytes(100_000));
  await put('big/weights.bin', randomBytes(40 * MiB));
  await put('big/tokenizer.json', randomBytes(3 * MiB));
  await put('corrupt/a.bin', randomBytes(MiB));
  const src = await mkdtemp(path.join(tmp, 'tar-src-'));
  await writeFile(path.join(src, 'model.onnx'), 'onnx bytes');
  await tar.create({ gzip: true, file: path.join(tmp, 'model.tar.gz'), cwd: src }, ['model.onnx']);
  await put('archive/model.tar.gz', await readFile(path.join(tmp, 'model.tar.gz')));
  client.destroy();
});

after(async () => {
  await server?.close();
  await rm(tmp, { recursive: true, force: true });
});

describe('s3 provider against s3rver', () => {
  test('a prefix: every object at its relative path, folder markers skipped, siblings not matched', async () => {
    const seen: Progress[] = [];
    const ctx: StorageContext = { env: envAt(port), onProgress: (p) => seen.push(p) };
    const provider = s3Provider({ sleep: noSleep });
    const src = await provider.resolve(parseStorageUri('s3://models/model'), ctx);
    assert.match(src.version, /^s3-list-sha256:[0-9a-f]{64}$/);
    assert.equal(src.totalBytes, 12 + 300_000);
    assert.deepEqual(await provider.resolve(parseStorageUri('s3://models/model/'), ctx), src, 'a trailing slash names the same prefix');
    const dest = await newDest();
    await provider.download(parseStorageUri('s3://models/model'), src, dest, ctx);
    assert.deepEqual(await tree(dest), ['config.json', 'empty.txt', 'sub/deep/weights.bin']);
    assert.deepEqual(await readFile(path.join(dest, 'sub/deep/weights.bin')), files['model/sub/deep/weights.bin']);
    assert.equal((await readFile(path.join(dest, 'empty.txt'))).length, 0);
    const last = seen.at(-1)!;
    assert.deepEqual(last, { bytes: 300_012, totalBytes: 300_012, files: 3, totalFiles: 3 });
  });

  test('STORAGE_ALLOW_PATTERNS / STORAGE_IGNORE_PATTERNS filter a prefix (not an exact object)', async () => {
    const dest = await fetchInto('s3://models/model', { env: envAt(port, { STORAGE_IGNORE_PATTERNS: '*.bin' }) });
    assert.deepEqual(await tree(dest), ['config.json', 'empty.txt']);
    const only = await fetchInto('s3://models/model', { env: envAt(port, { STORAGE_ALLOW_PATTERNS: '["*.json"]' }) });
    assert.deepEqual(await tree(only), ['config.json']);
    await rejectsWith(fetchInto('s3://models/model', { env: envAt(port, { STORAGE_ALLOW_PATTERNS: '*.gguf' }) }), 'NotFound', (e) => assert.match(e.message, /STORAGE_ALLOW_PATTERNS/));
    const exact = await fetchInto('s3://models/single/model.onnx', { env: envAt(port, { STORAGE_ALLOW_PATTERNS: '*.gguf' }) });
    assert.deepEqual(await tree(exact), ['model.onnx']);
  });

  test('a single object: written under its base name', async () => {
    const dest = await fetchInto('s3://models/single/model.onnx', { env: envAt(port) });
    assert.deepEqual(await tree(dest), ['model.onnx']);
    assert.deepEqual(await readFile(path.join(dest, 'model.onnx')), files['single/model.onnx']);
  });

  test('a lone .tar.gz is unpacked in place and removed, as KServe does', async () => {
    const dest = await fetchInto('s3://models/archive/model.tar.gz', { env: envAt(port) });
    assert.deepEqual(await tree(dest), ['model.onnx']);
    assert.equal(await readFile(path.join(dest, 'model.onnx'), 'utf8'), 'onnx bytes');
  });

  test('a large object through parallel ranged GETs, with connections cut mid-body and resumed', async () => {
    const proxy = await cuttingProxy(5 * MiB, 3);
    try {
      const dest = await fetchInto('s3://models/big', { env: envAt(proxy.port) });
      assert.equal(proxy.cutsDone(), 3);
      assert.deepEqual(await tree(dest), ['tokenizer.json', 'weights.bin']);
      const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
      assert.equal(sha(await readFile(path.join(dest, 'weights.bin'))), sha(files['big/weights.bin']!));
      assert.equal(sha(await readFile(path.join(dest, 'tokenizer.json'))), sha(files['big/tokenizer.json']!));
    } finally {
      await proxy.close();
    }
  });

  test('a single GET cut mid-body resumes from where it stopped', async () => {
    const proxy = await cuttingProxy(MiB, 1);
    try {
      const dest = await fetchInto('s3://models/big/tokenizer.json', { env: envAt(proxy.port) });
      assert.equal(proxy.cutsDone(), 1);
      assert.deepEqual(await readFile(path.join(dest, 'tokenizer.json')), files['big/tokenizer.json']);
    } finally {
      await proxy.close();
    }
  });

  test('cut on every attempt: Interrupted after the attempts run out', async () => {
    const proxy = await cuttingProxy(64 * 1024, 1000);
    try {
      await rejectsWith(fetchInto('s3://models/big/tokenizer.json', { env: envAt(proxy.port) }, s3Provider({ sleep: noSleep, maxAttempts: 3 })), 'Interrupted', (e) =>
        assert.match(e.message, /tokenizer\.json/),
      );
    } finally {
      await proxy.close();
    }
  });

  test('bytes that differ from the single-part ETag: ChecksumMismatch (single GET and ranged)', async () => {
    // s3rver keeps the MD5 it computed at upload beside the object: flip one stored byte.
    const stored = path.join(tmp, 's3rver', 'models', 'corrupt', 'a.bin._S3rver_object');
    const bytes = await readFile(stored);
    bytes[12345] = bytes[12345]! ^ 0xff;
    await writeFile(stored, bytes);
    await rejectsWith(fetchInto('s3://models/corrupt', { env: envAt(port) }), 'ChecksumMismatch', (e) => assert.match(e.message, /corrupt\/a\.bin/));
    const ranged = s3Provider({ sleep: noSleep, partSizeBytes: 128 * 1024, partConcurrency: 4 });
    await rejectsWith(fetchInto('s3://models/corrupt', { env: envAt(port) }, ranged), 'ChecksumMismatch');
    // S3_VERIFY_MD5=false: the caller trusts the transport; the bytes are taken as they come.
    await fetchInto('s3://models/corrupt', { env: envAt(port, { S3_VERIFY_MD5: 'false' }) });
    await fetchInto('s3://models/corrupt', { env: envAt(port, { S3_VERIFY_MD5: '0' }) }, ranged);
  });

  test('endpoint from S3_ENDPOINT + S3_USE_HTTPS=0, and from the s3-endpoint annotation over the env', async () => {
    const viaS3Endpoint = { ...creds, S3_ENDPOINT: `127.0.0.1:${port}`, S3_USE_HTTPS: '0' };
    await fetchInto('s3://models/single/model.onnx', { env: viaS3Endpoint });
    const annotations = { 'serving.kserve.io/s3-endpoint': `127.0.0.1:${port}`, 'serving.kserve.io/s3-usehttps': '0', 'serving.kserve.io/s3-region': 'eu-west-1' };
    await fetchInto('s3://models/single/model.onnx', { env: { ...creds, AWS_ENDPOINT_URL: 'http://127.0.0.1:1' }, annotations });
  });

  test('anonymous: no keys, or awsAnonymousCredential=true over wrong keys, sends unsigned requests', async () => {
    await fetchInto('s3://models/single/model.onnx', { env: { AWS_ENDPOINT_URL: `http://127.0.0.1:${port}` } });
    await fetchInto('s3://models/single/model.onnx', { env: envAt(port, { AWS_ACCESS_KEY_ID: 'WRONG', awsAnonymousCredential: 'true' }) });
    await fetchInto('s3://models/single/model.onnx', {
      env: envAt(port, { AWS_ACCESS_KEY_ID: 'WRONG' }),
      annotations: { 'serving.kserve.io/s3-useanoncredential': 'true' },
    });
  });

  test('wrong key id (s3rver): Forbidden, naming the bucket and never the keys', async () => {
    await rejectsWith(s3Provider().resolve(parseStorageUri('s3://models/model'), { env: envAt(port, { AWS_ACCESS_KEY_ID: 'AKIAWRONGKEYID' }) }), 'Forbidden', (e) => {
      assert.match(e.message, /"models"/);
      assert.match(e.message, /InvalidAccessKeyId/);
      assert.doesNotMatch(e.message, /AKIAWRONGKEYID|S3RVER/);
    });
  });

  test('wrong secret, denied access (403 XML from a stand-in: s3rver does not check SigV4 signatures): Forbidden', async () => {
    for (const code of ['SignatureDoesNotMatch', 'AccessDenied']) {
      const denying = http.createServer((_req, res) => {
        res.writeHead(403, { 'content-type': 'application/xml' });
        res.end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>denied</Message><RequestId>1</RequestId></Error>`);
      });
      await new Promise<void>((r) => denying.listen(0, '127.0.0.1', r));
      try {
        const env = envAt((denying.address() as net.AddressInfo).port, { AWS_SECRET_ACCESS_KEY: 'wrong-secret-value' });
        await rejectsWith(s3Provider().resolve(parseStorageUri('s3://models/model'), { env }), 'Forbidden', (e) => {
          assert.match(e.message, new RegExp(code));
          assert.doesNotMatch(e.message, /wrong-secret-value|S3RVER/);
        });
      } finally {
        await new Promise<void>((r) => denying.close(() => r()));
      }
    }
  });

  test('missing bucket or prefix: NotFound', async () => {
    const provider = s3Provider({ sleep: noSleep });
    await rejectsWith(provider.resolve(parseStorageUri('s3://no-such-bucket/model'), { env: envAt(port) }), 'NotFound', (e) => assert.match(e.message, /no-such-bucket/));
    await rejectsWith(provider.resolve(parseStorageUri('s3://models/nothing-here'), { env: envAt(port) }), 'NotFound', (e) => assert.match(e.message, /nothing-here/));
  });

  test('server down: Unreachable', async () => {
    const closed = net.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const deadPort = (closed.address() as net.AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    await rejectsWith(s3Provider().resolve(parseStorageUri('s3://models/model'), { env: envAt(deadPort, { S3_MAX_ATTEMPTS: '1' }) }), 'Unreachable', (e) =>
      assert.match(e.message, /ECONNREFUSED/),
    );
  });

  test('content changed between resolve and download: ChecksumMismatch; an aborted signal: Aborted', async () => {
    const provider = s3Provider({ sleep: noSleep });
    const uri = parseStorageUri('s3://models/single');
    const src = await provider.resolve(uri, { env: envAt(port) });
    await rejectsWith(provider.download(uri, { ...src, version: 's3-list-sha256:stale' }, await newDest(), { env: envAt(port) }), 'ChecksumMismatch');
    const ac = new AbortController();
    ac.abort();
    await rejectsWith(provider.download(uri, src, await newDest(), { env: envAt(port), signal: ac.signal }), 'Aborted');
  });

  test('aborted mid-download (ranged parts in flight): Aborted, promptly', async () => {
    const provider = s3Provider({ sleep: noSleep, progressIntervalMs: 0 });
    const uri = parseStorageUri('s3://models/big');
    const src = await provider.resolve(uri, { env: envAt(port) });
    const ac = new AbortController();
    const ctx: StorageContext = { env: envAt(port), signal: ac.signal, onProgress: (p) => p.bytes > 4 * MiB && ac.abort() };
    const t0 = performance.now();
    await rejectsWith(provider.download(uri, src, await newDest(), ctx), 'Aborted');
    assert.ok(performance.now() - t0 < 5000);
  });

  test('bad URIs and settings: InvalidUri naming the key', async () => {
    await rejectsWith(s3Provider().resolve(parseStorageUri('s3:///model'), { env: envAt(port) }), 'InvalidUri');
    assert.throws(() => s3Settings({ S3_MAX_FILE_CONCURRENCY: 'lots' }), /S3_MAX_FILE_CONCURRENCY="lots": expected an integer from 1 to 64/);
    assert.throws(() => s3Settings({ AWS_ENDPOINT_URL: 'ftp://x' }), (e: unknown) => e instanceof StorageError && e.reason === 'InvalidUri');
  });
});

describe('s3Settings (KServe names and precedence)', () => {
  test('defaults: AWS endpoints, us-east-1, virtual-hosted style, unsigned without keys, 4 files at once', () => {
    const s = s3Settings({});
    assert.equal(s.endpoint, undefined);
    assert.equal(s.region, 'us-east-1');
    assert.equal(s.forcePathStyle, false);
    assert.equal(s.credentials, undefined);
    assert.equal(s.verifySsl, true);
    assert.equal(s.verifyMd5, true);
    assert.equal(s3Settings({ S3_VERIFY_MD5: 'off' }).verifyMd5, false);
    assert.equal(s.maxFileConcurrency, 4);
    assert.deepEqual([s.connectTimeoutMs, s.readTimeoutMs, s.maxAttempts], [15_000, 30_000, 3]);
    assert.ok(Object.isFrozen(s));
  });

  test('endpoint: the annotation, else AWS_ENDPOINT_URL, else S3_ENDPOINT (https unless use-https is 0)', () => {
    assert.equal(s3Settings({ S3_ENDPOINT: 'minio:9000' }).endpoint, 'https://minio:9000');
    assert.equal(s3Settings({ S3_ENDPOINT: 'minio:9000', S3_USE_HTTPS: '0' }).endpoint, 'http://minio:9000');
    assert.equal(s3Settings({ S3_ENDPOINT: 'minio:9000', AWS_ENDPOINT_URL: 'http://other:1/' }).endpoint, 'http://other:1');
    const ann = { 'serving.kserve.io/s3-endpoint': 'ann:9000', 'serving.kserve.io/s3-usehttps': '0' };
    assert.equal(s3Settings({ AWS_ENDPOINT_URL: 'http://env:1' }, ann).endpoint, 'http://ann:9000');
    assert.equal(s3Settings({}, { 'serving.kserve.io/s3-endpoint': 'https://ann:9000', 'serving.kserve.io/s3-usehttps': '0' }).endpoint, 'https://ann:9000', 'a scheme in the endpoint wins');
    assert.equal(s3Settings({ S3_ENDPOINT: 'm:1' }).forcePathStyle, true);
    assert.equal(s3Settings({ S3_ENDPOINT: 'm:1', S3_USER_VIRTUAL_BUCKET: 'true' }).forcePathStyle, false);
  });

  test('region, verify-SSL, CA bundle and anonymous: annotation over env', () => {
    assert.equal(s3Settings({ AWS_REGION: 'r2' }).region, 'r2');
    assert.equal(s3Settings({ AWS_DEFAULT_REGION: 'r1', AWS_REGION: 'r2' }).region, 'r1');
    assert.equal(s3Settings({ AWS_DEFAULT_REGION: 'r1' }, { 'serving.kserve.io/s3-region': 'r3' }).region, 'r3');
    assert.equal(s3Settings({ S3_VERIFY_SSL: '0' }).verifySsl, false);
    assert.equal(s3Settings({ S3_VERIFY_SSL: 'false' }).verifySsl, false);
    assert.equal(s3Settings({ S3_VERIFY_SSL: '0' }, { 'serving.kserve.io/s3-verifyssl': '1' }).verifySsl, true);
    assert.equal(s3Settings({ AWS_CA_BUNDLE: '/a.pem' }, { 'serving.kserve.io/s3-cabundle': '/b.pem' }).caBundlePath, '/b.pem');
    assert.deepEqual(s3Settings(creds).credentials, { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' });
    assert.equal(s3Settings({ ...creds, awsAnonymousCredential: 'true' }).credentials, undefined);
    assert.equal(s3Settings({ ...creds, awsAnonymousCredential: 'true' }, { 'serving.kserve.io/s3-useanoncredential': 'false' }).credentials?.accessKeyId, 'S3RVER');
  });

  test('HTTPS with a self-signed certificate: refused by default, accepted with S3_VERIFY_SSL=0 or with it as AWS_CA_BUNDLE', async (t) => {
    const key = path.join(tmp, 'tls.key');
    const cert = path.join(tmp, 'tls.crt');
    const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    if (made.status !== 0) return t.skip('openssl cannot make a certificate here');
    // A TLS terminator in front of s3rver (which speaks plain HTTP only).
    const front = tls.createServer({ key: await readFile(key), cert: await readFile(cert) }, (c) => {
      const up = net.connect(port, '127.0.0.1');
      c.pipe(up).pipe(c);
      c.on('error', () => up.destroy());
      up.on('error', () => c.destroy());
    });
    await new Promise<void>((r) => front.listen(0, '127.0.0.1', r));
    try {
      const host = `127.0.0.1:${(front.address() as net.AddressInfo).port}`;
      const env = { ...creds, S3_ENDPOINT: host, S3_MAX_ATTEMPTS: '1' };
      await rejectsWith(s3Provider().resolve(parseStorageUri('s3://models/single'), { env }), 'Unreachable', (e) => assert.match(e.message, /certificate|SELF_SIGNED|DEPTH_ZERO/i));
      await fetchInto('s3://models/single/model.onnx', { env: { ...env, S3_VERIFY_SSL: '0' } });
      await fetchInto('s3://models/single/model.onnx', { env: { ...env, AWS_CA_BUNDLE: cert } });
      await fetchInto('s3://models/single/model.onnx', { env, annotations: { 'serving.kserve.io/s3-cabundle': cert } });
    } finally {
      await new Promise<void>((r) => front.close(() => r()));
    }
  });

  test('a CA bundle that cannot be read fails before any request', async () => {
    await rejectsWith(s3Provider().resolve(parseStorageUri('s3://models/x'), { env: envAt(port, { AWS_CA_BUNDLE: path.join(tmp, 'missing.pem') }) }), 'Unreachable', (e) => assert.match(e.message, /missing\.pem/));
  });
});
