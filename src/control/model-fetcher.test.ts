import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ModelFetcher, displayOf, progressMessage, type ModelSource } from './model-fetcher.ts';
import type { StorageContext } from '../storage/provider.ts';

/** A source whose acquires the test completes by hand. */
class HandSource implements ModelSource {
  calls: { uri: string; ctx: StorageContext & { sha256?: string }; resolve: (path: string) => void; reject: (e: unknown) => void }[] = [];
  released = 0;
  acquire(uri: string, ctx: StorageContext & { sha256?: string }) {
    return new Promise<{ path: string; hit: boolean; key: string; release(): void }>((resolve, reject) => {
      this.calls.push({ uri, ctx, resolve: (path) => resolve({ path, hit: false, key: 'k', release: () => void this.released++ }), reject });
    });
  }
}

const tick = () => new Promise((r) => setImmediate(r));

test('one download per model however many owners ask; Ready with the path; owners told', async () => {
  const source = new HandSource();
  const changed: string[] = [];
  let now = 0;
  const f = new ModelFetcher({ source, onChange: (o) => changed.push(o), now: () => now, progressIntervalMs: 0 });
  const req = { uri: 's3://b/iris', env: { AWS_ACCESS_KEY_ID: 'k' } };
  assert.equal(f.ensure({ ...req, owner: 'ns/a' }).phase, 'Downloading');
  assert.equal(f.ensure({ ...req, owner: 'ns/b' }).phase, 'Downloading');
  assert.equal(source.calls.length, 1);
  now = 2000;
  source.calls[0]!.ctx.onProgress?.({ bytes: 5e6, totalBytes: 10e6 });
  const st = f.ensure({ ...req, owner: 'ns/a' });
  assert.equal(st.phase, 'Downloading');
  assert.match((st as { message: string }).message, /^Downloading s3:\/\/b\/iris: 50% \(5\.0 MB of 10\.0 MB, 2\.5 MB\/s, ETA 2 s\)$/);
  source.calls[0]!.resolve('/cache/x');
  await tick();
  assert.deepEqual(f.ensure({ ...req, owner: 'ns/a' }), { phase: 'Ready', path: '/cache/x' });
  assert.ok(changed.includes('ns/a') && changed.includes('ns/b'));
  f.releaseOwner('ns/a');
  assert.equal(source.released, 0, 'still used by ns/b');
  f.releaseOwner('ns/b');
  assert.equal(source.released, 1);
});

test('a failure is reported with its reason and retried after a backoff, not before', async () => {
  const source = new HandSource();
  let now = 0;
  const f = new ModelFetcher({ source, onChange: () => undefined, now: () => now });
  const req = { owner: 'ns/a', uri: 'gs://b/m', env: {} };
  f.ensure(req);
  source.calls[0]!.reject(Object.assign(new Error('gs://b/m: bucket "b" not found'), { reason: 'NotFound' }));
  await tick();
  const failed = f.ensure(req);
  assert.deepEqual(failed, { phase: 'Failed', reason: 'NotFound', message: 'storage-initializer: NotFound: gs://b/m: bucket "b" not found' });
  assert.equal(source.calls.length, 1);
  now = 4_999;
  f.ensure(req);
  assert.equal(source.calls.length, 1, 'not before 5 s');
  now = 5_000;
  assert.equal(f.ensure(req).phase, 'Downloading');
  assert.equal(source.calls.length, 2);
});

test('messages never show userinfo or signatures', () => {
  assert.equal(displayOf('https://user:pw@host/m.onnx?sv=1&sig=abc&x=1'), 'https://host/m.onnx?sv=REDACTED&sig=REDACTED&x=1');
  assert.match(progressMessage('https://u:p@h/m', { bytes: 1 }, 0), /^Downloading https:\/\/h\/m: \(0\.0 MB\)$/);
});
