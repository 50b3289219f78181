/** httpProvider and the ModelCache over it, against a real node:http server started here. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { createLogger } from '../../core/logger.ts';
import { buildTar, buildZip } from '../../../test/support/archives.ts';
import { type FileServer, startFileServer } from '../../../test/support/http-file-server.ts';
import { ModelCache } from '../cache/cache.ts';
import { parseStorageUri, type StorageContext } from '../provider.ts';
import { httpProvider } from './http.ts';
import { rejectsWith } from '../testing/expect.ts';

let server: FileServer;
let root: string;
const delays: number[] = [];
const instantSleep = (ms: number): Promise<void> => {
  delays.push(ms);
  return Promise.resolve();
};
const provider = httpProvider({ retry: { sleep: instantSleep, baseDelayMs: 100, maxDelayMs: 1_000, maxAttempts: 4 } });
const model = Buffer.alloc(300_000);
for (let i = 0; i < model.length; i++) model[i] = (i * 7919) % 251;
const sha = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');

before(async () => {
  server = await startFileServer();
  root = await mkdtemp(join(tmpdir(), 'kts-http-'));
});
after(async () => {
  await server.close();
  await rm(root, { recursive: true, force: true });
});
beforeEach(() => {
  server.files.clear();
  server.redirects.clear();
  server.hits.clear();
  server.requests.length = 0;
  delays.length = 0;
});

let n = 0;
async function freshDir(): Promise<string> {
  const d = join(root, `d${++n}`);
  await mkdir(d);
  return d;
}

const ctx: StorageContext = { env: {} };

async function get(path: string, c: StorageContext = ctx): Promise<string> {
  const uri = parseStorageUri(`${server.url}${path}`);
  const src = await provider.resolve(uri, c);
  const dest = await freshDir();
  await provider.download(uri, src, dest, c);
  return dest;
}

describe('httpProvider', () => {
  it('resolves ETag + length, downloads a single file under its base name', async () => {
    server.files.set('/models/iris/model.onnx', { body: model, etag: '"abc"' });
    const uri = parseStorageUri(`${server.url}/models/iris/model.onnx`);
    const src = await provider.resolve(uri, ctx);
    assert.deepEqual(src, { version: 'etag:"abc"', totalBytes: model.length });
    const dest = await freshDir();
    const progress: number[] = [];
    await provider.download(uri, src, dest, { env: {}, onProgress: (p) => progress.push(p.bytes) });
    assert.deepEqual(await readdir(dest), ['model.onnx']);
    assert.equal(sha(await readFile(join(dest, 'model.onnx'))), sha(model));
    assert.equal(progress.at(-1), model.length);
  });

  it('version from Last-Modified + length; HEAD refused → GET bytes=0-0', async () => {
    server.files.set('/a/m.bin', { body: model, lastModified: 'Wed, 21 Oct 2015 07:28:00 GMT', noHead: true });
    const src = await provider.resolve(parseStorageUri(`${server.url}/a/m.bin`), ctx);
    assert.deepEqual(src, { version: `last-modified:Wed, 21 Oct 2015 07:28:00 GMT:length:${model.length}`, totalBytes: model.length });
    assert.equal(server.requests.find((r) => r.method === 'GET')?.headers.range, 'bytes=0-0');
  });

  it('sends <hostname>-headers from the env and never logs their values', async () => {
    server.files.set('/p/model.onnx', { body: Buffer.from('x'), etag: '"1"' });
    const lines: string[] = [];
    const log = createLogger({ level: 'debug', sink: { write: (l: string) => lines.push(l) } });
    await get('/p/model.onnx', { env: { '127.0.0.1-headers': '{"Authorization":"Bearer s3cret-token","X-Team":"ml"}' }, log });
    const g = server.requests.find((r) => r.method === 'GET')!;
    assert.equal(g.headers.authorization, 'Bearer s3cret-token');
    assert.equal(g.headers['x-team'], 'ml');
    assert.ok(lines.length > 0);
    assert.ok(!lines.join('').includes('s3cret'), 'header values stay out of the log');
    await rejectsWith(get('/p/model.onnx', { env: { '127.0.0.1-headers': '{nope s3cret' } }), 'InvalidUri', /env 127\.0\.0\.1-headers is not a JSON object/);
  });

  it('userinfo in the URL becomes Basic auth, and stays out of the display form', async () => {
    server.files.set('/u/model.onnx', { body: Buffer.from('x') });
    const uri = parseStorageUri(`http://bob:pw@127.0.0.1:${server.port}/u/model.onnx`);
    assert.ok(!uri.display.includes('pw'));
    const dest = await freshDir();
    await provider.download(uri, await provider.resolve(uri, ctx), dest, ctx);
    assert.equal(server.requests.at(-1)!.headers.authorization, `Basic ${Buffer.from('bob:pw').toString('base64')}`);
  });

  it('follows redirects', async () => {
    server.files.set('/real/model.onnx', { body: model, etag: '"r"' });
    server.redirects.set('/old/model.onnx', '/real/model.onnx');
    const dest = await get('/old/model.onnx');
    assert.equal(sha(await readFile(join(dest, 'model.onnx'))), sha(model));
  });

  it('a connection cut mid-body is resumed with Range + If-Range, not restarted', async () => {
    server.files.set('/cut/model.onnx', { body: model, etag: '"c"', cutAfter: 100_000, cutTimes: 2, chunkDelayMs: 2 });
    const dest = await get('/cut/model.onnx');
    assert.equal(sha(await readFile(join(dest, 'model.onnx'))), sha(model));
    const gets = server.requests.filter((r) => r.method === 'GET');
    assert.equal(gets.length, 3);
    assert.equal(gets[0]!.headers.range, undefined);
    const resumed = gets.filter((g) => /^bytes=[1-9]\d*-$/.test(g.headers.range ?? ''));
    assert.ok(resumed.length >= 1, `a resume from a byte > 0: ${gets.map((g) => g.headers.range).join(', ')}`);
    assert.ok(resumed.every((g) => g.headers['if-range'] === '"c"'));
    assert.deepEqual(delays, [100, 200], 'exponential backoff');
  });

  it('a server that ignores Range gets the whole body again, and the file is still exact', async () => {
    server.files.set('/norange/model.onnx', { body: model, cutAfter: 50_000, noRange: true });
    const dest = await get('/norange/model.onnx');
    assert.equal(sha(await readFile(join(dest, 'model.onnx'))), sha(model));
  });

  it('500 then OK: retried with backoff', async () => {
    server.files.set('/flaky/model.onnx', { body: model, failTimes: 2 });
    const dest = await get('/flaky/model.onnx');
    assert.equal((await readFile(join(dest, 'model.onnx'))).length, model.length);
    assert.equal(server.gets('/flaky/model.onnx'), 3);
  });

  it('403 → Forbidden, 404 → NotFound, no retries', async () => {
    server.files.set('/secret/model.onnx', { body: model, status: 403 });
    await rejectsWith(provider.resolve(parseStorageUri(`${server.url}/secret/model.onnx`), ctx), 'Forbidden', /HTTP 403/);
    await rejectsWith(provider.resolve(parseStorageUri(`${server.url}/missing/model.onnx`), ctx), 'NotFound', /HTTP 404/);
    const uri = parseStorageUri(`${server.url}/secret/model.onnx`);
    await rejectsWith(provider.download(uri, { version: 'x' }, await freshDir(), ctx), 'Forbidden');
    assert.equal(server.gets('/secret/model.onnx'), 1);
  });

  it('persistent 500 → Unreachable after the attempts; a refused connection → Unreachable', async () => {
    server.files.set('/down/model.onnx', { body: model, failTimes: 100 });
    await rejectsWith(get('/down/model.onnx'), 'Unreachable', /HTTP 500 \(after 4 attempts\)/);
    const s = createServer();
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    const port = (s.address() as AddressInfo).port;
    await new Promise((r) => s.close(r));
    await rejectsWith(provider.resolve(parseStorageUri(`http://127.0.0.1:${port}/model.onnx`), ctx), 'Unreachable', /ECONNREFUSED/);
  });

  it('cut every time → Interrupted', async () => {
    server.files.set('/always-cut/model.onnx', { body: model, cutAfter: 1000, cutTimes: 100, noRange: true });
    await rejectsWith(get('/always-cut/model.onnx'), 'Interrupted', /cut|Content-Length/);
  });

  it('keeps KServe’s Content-Type rules', async () => {
    server.files.set('/t/model.onnx', { body: model, contentType: 'text/html' });
    await rejectsWith(get('/t/model.onnx'), 'InvalidUri', /served as "text\/html"; KServe expects application\/octet-stream/);
    server.files.set('/t/m.zip', { body: buildZip([{ name: 'a', body: 'b' }]), contentType: 'application/octet-stream' });
    await rejectsWith(get('/t/m.zip'), 'InvalidUri', /application\/zip/);
  });

  it('a real ENOSPC (the target file is a link to /dev/full) → DiskFull, not retried', async () => {
    server.files.set('/full/model.onnx', { body: model });
    const dest = await freshDir();
    await symlink('/dev/full', join(dest, 'model.onnx'));
    const uri = parseStorageUri(`${server.url}/full/model.onnx`);
    await rejectsWith(provider.download(uri, { version: 'x' }, dest, ctx), 'DiskFull', /disk is full .*ENOSPC/);
    assert.equal(server.gets('/full/model.onnx'), 1);
  });

  it('the caller’s signal aborts a slow download → Aborted', async () => {
    server.files.set('/slow/model.onnx', { body: model, chunkDelayMs: 20 });
    const ac = new AbortController();
    const uri = parseStorageUri(`${server.url}/slow/model.onnx`);
    const p = provider.download(uri, { version: 'x' }, await freshDir(), { env: {}, signal: ac.signal, onProgress: (pr) => pr.bytes > 0 && ac.abort() });
    await rejectsWith(p, 'Aborted');
  });

  it('a stalled body (no bytes for idleTimeoutMs) is cut and retried, then Interrupted', async () => {
    const p = httpProvider({ retry: { sleep: instantSleep, maxAttempts: 2, idleTimeoutMs: 40 } });
    server.files.set('/stall/model.onnx', { body: model, chunkDelayMs: 400 });
    const uri = parseStorageUri(`${server.url}/stall/model.onnx`);
    await rejectsWith(p.download(uri, { version: 'x' }, await freshDir(), ctx), 'Interrupted', /no bytes for 40 ms after \d+ bytes \(after 2 attempts\)/);
    assert.equal(server.gets('/stall/model.onnx'), 2);
  });

  it('a URL without a file name is InvalidUri', async () => {
    await rejectsWith(provider.resolve(parseStorageUri(`${server.url}/models/`), ctx), 'InvalidUri', /no file name/);
  });

  it('unpacks .tar.gz and .zip and removes the archive', async () => {
    server.files.set('/a/model.tar.gz', { body: buildTar([{ path: 'iris/1/model.onnx', body: model }, { path: 'iris/config.pbtxt', body: 'cfg' }], { gzip: true }), contentType: 'application/gzip' });
    const d1 = await get('/a/model.tar.gz');
    assert.deepEqual(await readdir(d1), ['iris']);
    assert.equal(sha(await readFile(join(d1, 'iris', '1', 'model.onnx'))), sha(model));
    server.files.set('/a/model.zip', { body: buildZip([{ name: 'model.onnx', body: model, deflate: true }]), contentType: 'application/zip' });
    const d2 = await get('/a/model.zip');
    assert.deepEqual(await readdir(d2), ['model.onnx']);
    server.files.set('/a/m.tgz', { body: buildTar([{ path: 'x', body: 'y' }], { gzip: true }), contentType: 'application/x-gzip' });
    assert.deepEqual(await readdir(await get('/a/m.tgz')), ['x']);
  });
});

describe('ModelCache over httpProvider', () => {
  it('8 replicas start at once → the server sees one GET; a later start is a hit', async () => {
    server.files.set('/c/model.onnx', { body: model, etag: '"v1"', chunkDelayMs: 1 });
    const cache = await ModelCache.open({ dir: join(root, 'cache1'), providers: [provider] });
    const leases = await Promise.all(Array.from({ length: 8 }, () => cache.acquire(`${server.url}/c/model.onnx`, ctx)));
    assert.equal(server.gets('/c/model.onnx'), 1);
    assert.equal(new Set(leases.map((l) => l.path)).size, 1);
    const again = await cache.acquire(`${server.url}/c/model.onnx`, ctx);
    assert.ok(again.hit);
    assert.equal(server.gets('/c/model.onnx'), 1);
    server.files.get('/c/model.onnx')!.etag = '"v2"';
    const changed = await cache.acquire(`${server.url}/c/model.onnx`, ctx);
    assert.equal(changed.hit, false);
    assert.equal(server.gets('/c/model.onnx'), 2);
    await cache.close();
  });

  it('zip-slip, a bomb, a checksum mismatch and a cut that never completes leave no entry', async () => {
    const p = httpProvider({ retry: { sleep: instantSleep, maxAttempts: 2 }, extract: { maxExpandedBytes: 1024 * 1024 } });
    const dir = join(root, 'cache2');
    const cache = await ModelCache.open({ dir, providers: [p] });
    server.files.set('/evil.zip', { body: buildZip([{ name: '../evil', body: 'x' }]), contentType: 'application/zip' });
    server.files.set('/evil.tar', { body: buildTar([{ path: 'etc', type: 'SymbolicLink', linkpath: '/etc' }]), contentType: 'application/x-tar' });
    server.files.set('/bomb.tar.gz', { body: buildTar([{ path: 'z', body: Buffer.alloc(16 * 1024 * 1024) }], { gzip: true }), contentType: 'application/gzip' });
    server.files.set('/m/model.onnx', { body: model, etag: '"m"' });
    server.files.set('/cut/model.onnx', { body: model, cutAfter: 10, cutTimes: 100 });
    await rejectsWith(cache.acquire(`${server.url}/evil.zip`, ctx), 'UnsafeArchive');
    await rejectsWith(cache.acquire(`${server.url}/evil.tar`, ctx), 'UnsafeArchive', /symlink/);
    await rejectsWith(cache.acquire(`${server.url}/bomb.tar.gz`, ctx), 'TooLarge');
    await rejectsWith(cache.acquire(`${server.url}/m/model.onnx`, { env: {}, sha256: sha('other') }), 'ChecksumMismatch');
    await rejectsWith(cache.acquire(`${server.url}/cut/model.onnx`, ctx), 'Interrupted');
    assert.deepEqual(await readdir(join(dir, 'entries')), []);
    assert.deepEqual(await readdir(join(dir, 'tmp')), []);
    assert.deepEqual(cache.entries(), []);
    const ok = await cache.acquire(`${server.url}/m/model.onnx`, { env: {}, sha256: `sha256:${sha(model)}` });
    assert.deepEqual(cache.entries()[0]!.files, { 'model.onnx': sha(model) });
    assert.deepEqual(await cache.verify(ok.key), { ok: true, bad: [] });
    await cache.close();
  });

  it('a real full disk (a 1 MiB tmpfs under the cache) → DiskFull, no entry, temp removed', async (t) => {
    const dir = join(root, 'cache-tmpfs');
    await mkdir(dir);
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir], { stdio: 'ignore' });
    } catch {
      t.skip('mounting a tmpfs needs root with CAP_SYS_ADMIN; the /dev/full test covers ENOSPC');
      return;
    }
    try {
      server.files.set('/huge/model.onnx', { body: Buffer.alloc(3 * 1024 * 1024, 1), etag: '"h"' });
      const cache = await ModelCache.open({ dir, providers: [provider] });
      await rejectsWith(cache.acquire(`${server.url}/huge/model.onnx`, ctx), 'DiskFull', /ENOSPC/);
      assert.deepEqual(await readdir(join(dir, 'entries')), []);
      assert.deepEqual(await readdir(join(dir, 'tmp')), []);
      assert.equal(server.gets('/huge/model.onnx'), 1, 'a full disk is not retried');
      await cache.close();
    } finally {
      execFileSync('umount', [dir]);
    }
  });
});
