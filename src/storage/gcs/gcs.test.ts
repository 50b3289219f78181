/**
 * gs:// against test/support/gcs-fake.ts, a local server with the GCS JSON API's REST shapes (no
 * GCS emulator exists here), including its OAuth2 token endpoint for the service-account flow.
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { buildTar } from '../../../test/support/archives.ts';
import { startFakeGcs, type FakeGcs } from '../../../test/support/gcs-fake.ts';
import { parseStorageUri, type Progress, type StorageContext } from '../provider.ts';
import { Crc32c } from '../transfer/checksum.ts';
import { gcsProvider } from './index.ts';
import { rejectsWith, tree } from '../testing/expect.ts';

const fastRetry = { attempts: 3, baseMs: 1, capMs: 1, sleep: async () => undefined };



describe('gcs provider (against a local GCS-JSON-API-shaped server)', () => {
  let gcs: FakeGcs;
  let work: string;
  let env: Record<string, string>;
  const provider = gcsProvider({ retry: fastRetry });
  const ctx = (extra: Partial<StorageContext> = {}): StorageContext => ({ env, ...extra });
  const fetchTo = async (uri: string, c: StorageContext = ctx()): Promise<string> => {
    const p = parseStorageUri(uri);
    const src = await provider.resolve(p, c);
    const dest = await mkdtemp(join(work, 'd-'));
    await provider.download(p, src, dest, c);
    return dest;
  };

  before(async () => {
    gcs = await startFakeGcs();
    work = await mkdtemp(join(tmpdir(), 'gcs-test-'));
  });
  after(async () => {
    await gcs.close();
    await rm(work, { recursive: true, force: true });
  });
  beforeEach(() => {
    env = { STORAGE_EMULATOR_HOST: gcs.url };
    gcs.buckets.clear();
    gcs.corrupt.clear();
    gcs.cutOnce.clear();
    gcs.requests.length = 0;
    gcs.buckets.set('models', {
      objects: new Map([
        ['iris/model.onnx', { data: Buffer.from('onnx-bytes') }],
        ['iris/', { data: Buffer.alloc(0) }],
        ['iris/sub/config.json', { data: Buffer.from('{"a":1}') }],
        ['iris/sub/extra.bin', { data: Buffer.from('x'.repeat(5000)), noMd5: true }],
        ['iris2/other', { data: Buffer.from('not mine') }],
        ['single.bst', { data: Buffer.from('booster') }],
      ]),
    });
  });

  it('downloads a prefix across list pages, keeping relative paths and skipping placeholders', async () => {
    const progress: Progress[] = [];
    const dest = await fetchTo('gs://models/iris', ctx({ onProgress: (p) => progress.push({ ...p }) }));
    assert.deepEqual(await tree(dest), { 'model.onnx': 'onnx-bytes', 'sub/config.json': '{"a":1}', 'sub/extra.bin': 'x'.repeat(5000) });
    assert.ok(gcs.requests.some((r) => r.url.includes('pageToken=2')), 'second list page requested');
    assert.ok(gcs.requests.some((r) => r.url.includes('generation=1')), 'media pinned to generation');
    const last = progress.at(-1)!;
    assert.deepEqual(last, { bytes: 5017, totalBytes: 5017, files: 3, totalFiles: 3 });
  });

  it('gives a stable version that changes with the content', async () => {
    const p = parseStorageUri('gs://models/iris/');
    const v1 = (await provider.resolve(p, ctx())).version;
    assert.equal((await provider.resolve(p, ctx())).version, v1);
    gcs.buckets.get('models')!.objects.set('iris/model.onnx', { data: Buffer.from('onnx-bytes-v2'), generation: '2' });
    assert.notEqual((await provider.resolve(p, ctx())).version, v1);
  });

  it('downloads a single object under its base name; a whole bucket keeps full names', async () => {
    assert.deepEqual(await tree(await fetchTo('gs://models/single.bst')), { 'single.bst': 'booster' });
    const all = await tree(await fetchTo('gs://models'));
    assert.equal(all['iris2/other'], 'not mine');
    assert.equal(Object.keys(all).length, 5);
  });

  it('unpacks a lone archive as KServe does, and rejects one escaping the directory', async () => {
    const objects = gcs.buckets.get('models')!.objects;
    objects.set('packed/model.tar.gz', { data: buildTar([{ path: 'model/model.onnx', body: 'inside' }], { gzip: true }) });
    assert.deepEqual(await tree(await fetchTo('gs://models/packed')), { 'model/model.onnx': 'inside' });
    objects.set('evil.tgz', { data: buildTar([{ path: '../evil.txt', body: 'x' }], { gzip: true }) });
    await rejectsWith(fetchTo('gs://models/evil.tgz'), 'UnsafeArchive');
  });

  it('applies STORAGE_ALLOW_PATTERNS and STORAGE_IGNORE_PATTERNS with fnmatch semantics', async () => {
    env.STORAGE_ALLOW_PATTERNS = '["*.json", "*.onnx"]';
    env.STORAGE_IGNORE_PATTERNS = 'model.*';
    assert.deepEqual(await tree(await fetchTo('gs://models/iris')), { 'sub/config.json': '{"a":1}' });
  });

  it('maps a missing object, prefix or bucket to NotFound', async () => {
    await rejectsWith(provider.resolve(parseStorageUri('gs://models/nothing'), ctx()), 'NotFound', /gs:\/\/models\/nothing/);
    await rejectsWith(provider.resolve(parseStorageUri('gs://nobucket/x'), ctx()), 'NotFound');
    await rejectsWith(provider.resolve(parseStorageUri('gs://UPPER_bad/x'), ctx()), 'InvalidUri');
  });

  it('resumes a body cut mid-way with a Range request', async () => {
    gcs.cutOnce.add('iris/sub/extra.bin');
    const dest = await fetchTo('gs://models/iris');
    assert.equal(await readFile(join(dest, 'sub/extra.bin'), 'utf8'), 'x'.repeat(5000));
    // The cut lands after at most half the body; how much of it arrived before the reset varies.
    assert.ok(gcs.requests.some((r) => /^bytes=[1-9]\d*-$/.test(r.range ?? '')), 'resumed from the cut, not from zero');
  });

  it('rejects bytes that do not match md5Hash, and crc32c for objects without one', async () => {
    gcs.corrupt.add('iris/model.onnx');
    await rejectsWith(fetchTo('gs://models/iris'), 'ChecksumMismatch', /md5/);
    gcs.corrupt.clear();
    gcs.corrupt.add('iris/sub/extra.bin');
    await rejectsWith(fetchTo('gs://models/iris'), 'ChecksumMismatch', /crc32c/);
  });

  it('is anonymous by default: a private bucket answers Forbidden with a hint', async () => {
    gcs.buckets.get('models')!.private = true;
    await rejectsWith(provider.resolve(parseStorageUri('gs://models/iris'), ctx()), 'Forbidden', /GOOGLE_APPLICATION_CREDENTIALS/);
  });

  it('exchanges a service-account key for a token (JWT bearer, RS256) and uses it', async () => {
    gcs.buckets.get('models')!.private = true;
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const keyFile = join(work, 'sa.json');
    await writeFile(keyFile, JSON.stringify({ type: 'service_account', client_email: 'sa@p.iam.gserviceaccount.com', private_key: pem, token_uri: `${gcs.url}/token` }));
    env.GOOGLE_APPLICATION_CREDENTIALS = keyFile;
    const err = await rejectsWith(provider.resolve(parseStorageUri('gs://models/iris'), ctx()), 'Forbidden', /refused the credentials/);
    assert.ok(!err.message.includes('PRIVATE KEY'));
    gcs.trust('sa@p.iam.gserviceaccount.com', publicKey);
    const dest = await fetchTo('gs://models/iris');
    assert.equal(await readFile(join(dest, 'model.onnx'), 'utf8'), 'onnx-bytes');
    assert.equal(gcs.tokensIssued.length, 1, 'token cached across calls');
    assert.ok(gcs.requests.filter((r) => r.url.includes('alt=media')).every((r) => r.auth === 'Bearer tok-1'));
  });

  it('reports a bad credentials file as Forbidden naming the variable', async () => {
    env.GOOGLE_APPLICATION_CREDENTIALS = join(work, 'missing.json');
    await rejectsWith(provider.resolve(parseStorageUri('gs://models/iris'), ctx()), 'Forbidden', /GOOGLE_APPLICATION_CREDENTIALS file .*cannot be read/);
  });

  it('retries then reports Unreachable when the server is down; honours a host without scheme', async () => {
    let sleeps = 0;
    const p = gcsProvider({ retry: { attempts: 3, baseMs: 1, capMs: 1, sleep: async () => void sleeps++ } });
    await rejectsWith(p.resolve(parseStorageUri('gs://models/iris'), { env: { STORAGE_EMULATOR_HOST: '127.0.0.1:1' } }), 'Unreachable', /cannot connect/);
    assert.equal(sleeps, 2);
  });

  it('stops on the caller’s signal', async () => {
    const ac = new AbortController();
    ac.abort();
    await rejectsWith(fetchTo('gs://models/iris', ctx({ signal: ac.signal })), 'Aborted');
  });

  it('computes CRC32C (check value of "123456789" is 0xE3069283)', () => {
    assert.equal(new Crc32c().update(Buffer.from('123456789')).value(), 0xe3069283);
  });
});
