/**
 * ModelCache against a scripted provider (the provider is outside the unit under test: the real
 * providers have their own tests, and http.test.ts runs the cache over a real HTTP server).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Clock } from '../../core/clock.ts';
import { localProvider } from '../local/local.ts';
import { type ParsedUri, type ResolvedSource, type StorageContext, StorageError, type StorageProvider } from '../provider.ts';
import { ModelCache } from './cache.ts';
import { rejectsWith } from '../testing/expect.ts';

let root: string;
before(async () => {
  root = await mkdtemp(join(tmpdir(), 'kts-cache-'));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});
let dirN = 0;
const newDir = (): string => join(root, `c${++dirN}`);

interface Script {
  files: Record<string, string>;
  version?: string;
  totalBytes?: number;
  sha256?: string;
  fail?: Error;
  /** Resolves when the test lets the download finish. */
  gate?: Promise<void>;
}

/** A provider whose artifacts are scripted per path; counts downloads. */
function scripted(scripts: Record<string, Script>): StorageProvider & { downloads: string[] } {
  const downloads: string[] = [];
  return {
    schemes: ['mem'],
    downloads,
    resolve(uri: ParsedUri): Promise<ResolvedSource> {
      const s = scripts[uri.path];
      if (!s) return Promise.reject(new StorageError('NotFound', `${uri.display}: no such object`));
      return Promise.resolve({ version: s.version ?? 'v1', totalBytes: s.totalBytes, sha256: s.sha256 });
    },
    async download(uri: ParsedUri, _src: ResolvedSource, dest: string, ctx: StorageContext): Promise<void> {
      downloads.push(uri.path);
      const s = scripts[uri.path]!;
      ctx.onProgress?.({ bytes: 0 });
      if (s.gate) {
        await new Promise<void>((resolve, reject) => {
          if (ctx.signal?.aborted) reject(new StorageError('Aborted', 'aborted'));
          ctx.signal?.addEventListener('abort', () => reject(new StorageError('Aborted', 'aborted')), { once: true });
          void s.gate!.then(resolve);
        });
      }
      let bytes = 0;
      for (const [rel, body] of Object.entries(s.files)) {
        await mkdir(join(dest, rel, '..'), { recursive: true });
        await writeFile(join(dest, rel), body);
        bytes += body.length;
        ctx.onProgress?.({ bytes });
      }
      if (s.fail) throw s.fail;
    },
  };
}

function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((r) => (open = r));
  return { promise, open };
}

function steppedClock(): Clock & { t: number } {
  const c = { t: 1_000, nowMs: () => c.t, monotonicNs: () => BigInt(c.t) * 1_000_000n };
  return c;
}

const ctx = { env: {} };
const sha = (s: string): string => createHash('sha256').update(s).digest('hex');

describe('ModelCache', () => {
  it('many concurrent acquires → one download, one entry, everyone gets the same dir', async () => {
    const g = gate();
    const p = scripted({ m: { files: { 'model.onnx': 'abc', 'sub/x.json': '{}' }, gate: g.promise } });
    const cache = await ModelCache.open({ dir: newDir(), providers: [p] });
    const progress: number[] = [];
    const leases = Array.from({ length: 8 }, (_, i) => cache.acquire('mem://b/m', { env: {}, onProgress: i === 5 ? (pr) => progress.push(pr.bytes) : undefined }));
    await new Promise((r) => setImmediate(r));
    g.open();
    const got = await Promise.all(leases);
    assert.equal(p.downloads.length, 1);
    assert.equal(new Set(got.map((l) => l.path)).size, 1);
    assert.ok(got.every((l) => !l.hit));
    assert.deepEqual(progress, [0, 3, 5], 'progress reaches every waiter');
    assert.equal(await readFile(join(got[0]!.path, 'sub', 'x.json'), 'utf8'), '{}');
    const again = await cache.acquire('mem://b/m', ctx);
    assert.equal(again.hit, true);
    assert.equal(p.downloads.length, 1);
    assert.equal(cache.entries()[0]!.refs, 9);
    for (const l of [...got, again]) l.release();
    got[0]!.release(); // idempotent
    assert.equal(cache.entries()[0]!.refs, 0);
    await cache.close();
  });

  it('a failed download fails every waiter with the same error, leaves nothing, and a retry downloads again', async () => {
    const g = gate();
    const script: Script = { files: { 'a.bin': 'half' }, fail: new StorageError('Interrupted', 'mem://b/m: connection cut'), gate: g.promise };
    const p = scripted({ m: script });
    const dir = newDir();
    const cache = await ModelCache.open({ dir, providers: [p] });
    const all = [cache.acquire('mem://b/m', ctx), cache.acquire('mem://b/m', ctx), cache.acquire('mem://b/m', ctx)];
    g.open();
    const results = await Promise.allSettled(all);
    assert.ok(results.every((r) => r.status === 'rejected' && (r.reason as StorageError).reason === 'Interrupted'));
    assert.equal(p.downloads.length, 1);
    assert.deepEqual(await readdir(join(dir, 'tmp')), [], 'temp dir removed');
    assert.deepEqual(await readdir(join(dir, 'entries')), [], 'no partial entry');
    assert.deepEqual(cache.entries(), []);
    delete script.fail;
    const ok = await cache.acquire('mem://b/m', ctx);
    assert.equal(p.downloads.length, 2);
    assert.equal(await readFile(join(ok.path, 'a.bin'), 'utf8'), 'half');
  });

  it('unknown scheme → InvalidUri naming it and the supported ones', async () => {
    const cache = await ModelCache.open({ dir: newDir(), providers: [scripted({}), localProvider()] });
    await rejectsWith(cache.acquire('ftp://host/model', ctx), 'InvalidUri', /"ftp".*supported: file, mem, pvc/);
  });

  it('local sources are used in place, not copied', async () => {
    const dir = newDir();
    const src = join(root, 'local-model');
    await mkdir(src, { recursive: true });
    await writeFile(join(src, 'model.bst'), 'x');
    const cache = await ModelCache.open({ dir, providers: [localProvider()] });
    const l = await cache.acquire(`file://${src}`, ctx);
    assert.equal(l.path, src);
    assert.equal(l.hit, true);
    assert.deepEqual(await readdir(join(dir, 'entries')), []);
  });

  it('sha256 from the context or the source: a match is stored, a mismatch is ChecksumMismatch and leaves nothing', async () => {
    const dir = newDir();
    const p = scripted({ one: { files: { 'model.onnx': 'weights' } }, src: { files: { 'm.onnx': 'w2' }, sha256: `sha256:${sha('other')}` }, two: { files: { a: '1', b: '2' } } });
    const cache = await ModelCache.open({ dir, providers: [p] });
    await rejectsWith(cache.acquire('mem://b/one', { env: {}, sha256: sha('tampered') }), 'ChecksumMismatch', new RegExp(`sha256 of model.onnx is ${sha('weights')}, expected ${sha('tampered')}`));
    await rejectsWith(cache.acquire('mem://b/src', ctx), 'ChecksumMismatch', /m\.onnx/);
    await rejectsWith(cache.acquire('mem://b/two', { env: {}, sha256: sha('1') }), 'ChecksumMismatch', /has 2 files/);
    await rejectsWith(cache.acquire('mem://b/one', { env: {}, sha256: 'sha256:nothex' }), 'ChecksumMismatch', /64 hex/);
    assert.deepEqual(await readdir(join(dir, 'entries')), []);
    const l = await cache.acquire('mem://b/one', { env: {}, sha256: `sha256:${sha('weights').toUpperCase()}` });
    assert.deepEqual(cache.entries()[0]!.files, { 'model.onnx': sha('weights') });
    assert.deepEqual(await cache.verify(l.key), { ok: true, bad: [] });
    await writeFile(join(l.path, 'model.onnx'), 'bit rot');
    assert.deepEqual(await cache.verify(l.key), { ok: false, bad: ['model.onnx'] });
    await rejectsWith(cache.verify('nope'), 'NotFound');
  });

  it('persists across restarts; a crashed process’s temp dirs and half entries are cleaned at open', async () => {
    const dir = newDir();
    const p = scripted({ m: { files: { 'model.onnx': 'abc' } } });
    const c1 = await ModelCache.open({ dir, providers: [p] });
    const l = await c1.acquire('mem://b/m', ctx);
    l.release();
    await c1.close();
    await c1.close();
    await rejectsWith(c1.acquire('mem://b/m', ctx), 'Aborted');
    await mkdir(join(dir, 'tmp', 'abcd-crashed', 'deep'), { recursive: true });
    await writeFile(join(dir, 'tmp', 'abcd-crashed', 'deep', 'x'), 'partial');
    await mkdir(join(dir, 'entries', 'f'.repeat(64)));
    await writeFile(join(dir, 'entries', `${'e'.repeat(64)}.json`), '{not json');
    const c2 = await ModelCache.open({ dir, providers: [p] });
    assert.deepEqual(await readdir(join(dir, 'tmp')), []);
    assert.deepEqual((await readdir(join(dir, 'entries'))).sort(), [l.key, `${l.key}.json`].sort());
    const again = await c2.acquire('mem://b/m', ctx);
    assert.equal(again.hit, true);
    assert.equal(again.path, l.path);
    assert.equal(p.downloads.length, 1);
  });

  it('an entry whose dir was removed behind its back is downloaded again', async () => {
    const p = scripted({ m: { files: { f: 'x' } } });
    const cache = await ModelCache.open({ dir: newDir(), providers: [p] });
    const a = await cache.acquire('mem://b/m', ctx);
    a.release();
    await rm(a.path, { recursive: true });
    const b = await cache.acquire('mem://b/m', ctx);
    assert.equal(b.hit, false);
    assert.equal(p.downloads.length, 2);
    assert.equal(cache.entries()[0]!.refs, 1);
  });

  it('source unreachable: the newest cached copy of that URI is served; uncached → the error', async () => {
    const script: Script = { files: { m: '1' }, version: 'v1' };
    const p = scripted({ m: script });
    const clock = steppedClock();
    const cache = await ModelCache.open({ dir: newDir(), providers: [p], clock });
    (await cache.acquire('mem://b/m', ctx)).release();
    clock.t += 10;
    script.version = 'v2';
    script.files = { m: '2' };
    (await cache.acquire('mem://b/m', ctx)).release();
    const down = new StorageError('Unreachable', 'mem://b/m: ECONNREFUSED');
    p.resolve = () => Promise.reject(down);
    const l = await cache.acquire('mem://b/m', ctx);
    assert.equal(l.hit, true);
    assert.equal(await readFile(join(l.path, 'm'), 'utf8'), '2');
    await rejectsWith(cache.acquire('mem://b/other', ctx), 'Unreachable');
    p.resolve = () => Promise.reject(new StorageError('Forbidden', 'mem://b/m: 403'));
    await rejectsWith(cache.acquire('mem://b/m', ctx), 'Forbidden', /403/);
  });

  it('a new version is a new key (the source changed)', async () => {
    const script: Script = { files: { m: '1' }, version: 'etag-1' };
    const cache = await ModelCache.open({ dir: newDir(), providers: [scripted({ m: script })] });
    const a = await cache.acquire('mem://b/m', ctx);
    script.version = 'etag-2';
    script.files = { m: '2' };
    const b = await cache.acquire('mem://b/m', ctx);
    assert.notEqual(a.key, b.key);
    assert.equal(b.hit, false);
    assert.equal(await readFile(join(b.path, 'm'), 'utf8'), '2');
  });

  it('evicts least-recently-used unheld entries to fit maxBytes; never a held one', async () => {
    const clock = steppedClock();
    const body = 'x'.repeat(100);
    const p = scripted({ a: { files: { f: body } }, b: { files: { f: body } }, c: { files: { f: body } }, d: { files: { f: body }, totalBytes: 100 }, e: { files: { f: body } } });
    const cache = await ModelCache.open({ dir: newDir(), maxBytes: 350, providers: [p], clock });
    const a = await cache.acquire('mem://x/a', ctx); // held throughout
    clock.t += 10;
    const b = await cache.acquire('mem://x/b', ctx);
    clock.t += 10;
    const c = await cache.acquire('mem://x/c', ctx);
    clock.t += 10;
    b.release();
    clock.t += 10;
    c.release();
    clock.t += 10;
    a.release();
    const a2 = await cache.acquire('mem://x/a', ctx); // a is now the most recent, and held
    assert.ok(a2.hit);
    clock.t += 10;
    const d = await cache.acquire('mem://x/d', ctx); // 400 > 350: b (oldest unheld) goes
    assert.deepEqual(cache.entries().map((e) => e.uri).sort(), ['mem://x/a', 'mem://x/c', 'mem://x/d']);
    assert.ok(cache.usedBytes <= 350);
    clock.t += 10;
    await cache.acquire('mem://x/e', ctx); // c goes; a and d are held
    assert.deepEqual(cache.entries().map((e) => e.uri).sort(), ['mem://x/a', 'mem://x/d', 'mem://x/e']);
    assert.equal(await cache.evict(a2.key), false, 'held entries are not evicted');
    d.release();
    assert.equal(await cache.evict(d.key), true);
    assert.equal(await cache.evict(d.key), false);
    assert.deepEqual(cache.entries().map((e) => e.uri).sort(), ['mem://x/a', 'mem://x/e']);
  });

  it('an artifact bigger than maxBytes is TooLarge, before download when the size is known and after when not', async () => {
    const p = scripted({ big: { files: { f: 'x'.repeat(500) }, totalBytes: 500 }, sneaky: { files: { f: 'x'.repeat(500) } } });
    const dir = newDir();
    const cache = await ModelCache.open({ dir, maxBytes: 100, providers: [p] });
    await rejectsWith(cache.acquire('mem://x/big', ctx), 'TooLarge', /500 bytes is more than the cache's maxBytes 100/);
    assert.equal(p.downloads.length, 0);
    await rejectsWith(cache.acquire('mem://x/sneaky', ctx), 'TooLarge');
    assert.deepEqual(await readdir(join(dir, 'tmp')), []);
    await assert.rejects(ModelCache.open({ dir, maxBytes: 0, providers: [] }), /maxBytes: 0/);
  });

  it('ENOSPC / EDQUOT while writing → DiskFull (simulated: the provider throws the fs error)', async () => {
    const enospc = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    const p = scripted({ m: { files: { f: 'x' }, fail: enospc } });
    const dir = newDir();
    const cache = await ModelCache.open({ dir, providers: [p] });
    await rejectsWith(cache.acquire('mem://x/m', ctx), 'DiskFull', /disk is full/);
    assert.deepEqual(await readdir(join(dir, 'tmp')), []);
  });

  it('a waiter that aborts leaves with Aborted; the download goes on for the others; the last one out aborts it', async () => {
    const g = gate();
    const p = scripted({ m: { files: { f: 'x' }, gate: g.promise }, n: { files: { f: 'y' }, gate: new Promise(() => undefined) } });
    const dir = newDir();
    const cache = await ModelCache.open({ dir, providers: [p] });
    const ac = new AbortController();
    const leaving = cache.acquire('mem://x/m', { env: {}, signal: ac.signal });
    const staying = cache.acquire('mem://x/m', ctx);
    await new Promise((r) => setImmediate(r));
    ac.abort();
    await rejectsWith(leaving, 'Aborted');
    g.open();
    assert.equal((await staying).hit, false);
    const solo = new AbortController();
    const only = cache.acquire('mem://x/n', { env: {}, signal: solo.signal });
    await new Promise((r) => setImmediate(r));
    solo.abort();
    await rejectsWith(only, 'Aborted');
    await cache.close(); // waits for the aborted download to settle
    assert.deepEqual(await readdir(join(dir, 'tmp')), [], 'the aborted download cleaned its temp dir');
  });
});
