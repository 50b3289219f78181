/**
 * hf:// against test/support/hf-fake.ts, a local server with the Hugging Face Hub's REST shapes
 * (no Hub emulator exists here).
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { shaOf, startFakeHf, type FakeHf } from '../../../test/support/hf-fake.ts';
import { parseStorageUri, StorageError, type Progress, type StorageContext } from '../provider.ts';
import { hfProvider, parseHfUri } from './index.ts';
import { rejectsWith, tree } from '../testing/expect.ts';

const fastRetry = { attempts: 3, baseMs: 1, capMs: 1, sleep: async () => undefined };
const MAIN = shaOf('main-commit');
const OLD = shaOf('old-commit');



describe('hf provider (against a local Hub-REST-shaped server)', () => {
  let hub: FakeHf;
  let work: string;
  let env: Record<string, string>;
  const provider = hfProvider({ retry: fastRetry });
  const ctx = (extra: Partial<StorageContext> = {}): StorageContext => ({ env, ...extra });
  const fetchTo = async (uri: string, c: StorageContext = ctx()): Promise<{ dest: string; version: string }> => {
    const p = parseStorageUri(uri);
    const src = await provider.resolve(p, c);
    const dest = await mkdtemp(join(work, 'd-'));
    await provider.download(p, src, dest, c);
    return { dest, version: src.version };
  };

  before(async () => {
    hub = await startFakeHf();
    work = await mkdtemp(join(tmpdir(), 'hf-test-'));
  });
  after(async () => {
    await hub.close();
    await rm(work, { recursive: true, force: true });
  });
  beforeEach(() => {
    env = { HF_ENDPOINT: hub.url };
    hub.repos.clear();
    hub.cutOnce.clear();
    hub.corrupt.clear();
    hub.requests.length = 0;
    hub.repos.set('acme/tiny-bert', {
      refs: { main: MAIN, v1: OLD },
      commits: {
        [MAIN]: new Map([
          ['config.json', { data: Buffer.from('{"v":2}') }],
          ['model.safetensors', { data: Buffer.from('w'.repeat(4000)), lfs: true }],
          ['onnx/model.onnx', { data: Buffer.from('onnx'), lfs: true }],
          ['README.md', { data: Buffer.from('# tiny') }],
        ]),
        [OLD]: new Map([['config.json', { data: Buffer.from('{"v":1}') }]]),
      },
    });
  });

  it('parses KServe’s URI form and rejects others', () => {
    assert.deepEqual(parseHfUri(parseStorageUri('hf://acme/tiny-bert')), { repoId: 'acme/tiny-bert', revision: 'main' });
    assert.deepEqual(parseHfUri(parseStorageUri('hf://acme/tiny-bert:v1')), { repoId: 'acme/tiny-bert', revision: 'v1' });
    for (const bad of ['hf://acme', 'hf://acme/', 'hf://acme/a/b', 'hf:///x', 'hf://acme/:v1']) {
      assert.throws(() => parseHfUri(parseStorageUri(bad)), (e: unknown) => e instanceof StorageError && e.reason === 'InvalidUri', bad);
    }
  });

  it('downloads the snapshot at the commit sha, following redirects, with progress', async () => {
    const progress: Progress[] = [];
    const { dest, version } = await fetchTo('hf://acme/tiny-bert', ctx({ onProgress: (p) => progress.push({ ...p }) }));
    assert.equal(version, MAIN);
    assert.deepEqual(await tree(dest), { 'config.json': '{"v":2}', 'model.safetensors': 'w'.repeat(4000), 'onnx/model.onnx': 'onnx', 'README.md': '# tiny' });
    assert.ok(hub.requests.some((r) => r.url === `/api/models/acme/tiny-bert/revision/${MAIN}?blobs=true`), 'download pinned to the resolved sha');
    assert.ok(hub.requests.some((r) => r.url.startsWith(`/acme/tiny-bert/resolve/${MAIN}/`)));
    assert.deepEqual(progress.at(-1), { bytes: 4017, totalBytes: 4017, files: 4, totalFiles: 4 });
  });

  it('honours a revision after the colon', async () => {
    const { dest, version } = await fetchTo('hf://acme/tiny-bert:v1');
    assert.equal(version, OLD);
    assert.deepEqual(await tree(dest), { 'config.json': '{"v":1}' });
  });

  it('filters with STORAGE_ALLOW_PATTERNS / STORAGE_IGNORE_PATTERNS and keys the version by the filter', async () => {
    env.STORAGE_ALLOW_PATTERNS = '*.json,*.safetensors,*.onnx';
    env.STORAGE_IGNORE_PATTERNS = '["onnx/*"]';
    const { dest, version } = await fetchTo('hf://acme/tiny-bert');
    assert.deepEqual(Object.keys(await tree(dest)).sort(), ['config.json', 'model.safetensors']);
    assert.ok(version.startsWith(`${MAIN}+`));
  });

  it('sends HF_TOKEN for private repos; without it they are Forbidden; the token never shows', async () => {
    hub.repos.get('acme/tiny-bert')!.private = true;
    const e = await rejectsWith(provider.resolve(parseStorageUri('hf://acme/tiny-bert'), ctx()), 'Forbidden', /HF_TOKEN/);
    env.HF_TOKEN = 'hf_wrong';
    const e2 = await rejectsWith(provider.resolve(parseStorageUri('hf://acme/tiny-bert'), ctx()), 'Forbidden', /no access/);
    assert.ok(!e.message.includes('hf_') && !e2.message.includes('hf_wrong'));
    env.HF_TOKEN = hub.token;
    const { dest } = await fetchTo('hf://acme/tiny-bert');
    assert.equal(await readFile(join(dest, 'config.json'), 'utf8'), '{"v":2}');
    assert.ok(hub.requests.filter((r) => r.url.includes('/resolve/')).every((r) => r.auth === `Bearer ${hub.token}`));
  });

  it('maps gated repos to Forbidden and missing repos / revisions to NotFound', async () => {
    hub.repos.get('acme/tiny-bert')!.gated = true;
    await rejectsWith(provider.resolve(parseStorageUri('hf://acme/tiny-bert'), ctx()), 'Forbidden', /gated/);
    env.HF_TOKEN = hub.token;
    await rejectsWith(provider.resolve(parseStorageUri('hf://acme/nope'), ctx()), 'NotFound');
    await rejectsWith(provider.resolve(parseStorageUri('hf://acme/tiny-bert:v9'), ctx()), 'NotFound', /revision/);
  });

  it('resumes a cut LFS file and rejects one whose sha256 differs', async () => {
    hub.cutOnce.add('model.safetensors');
    const { dest } = await fetchTo('hf://acme/tiny-bert');
    assert.equal(await readFile(join(dest, 'model.safetensors'), 'utf8'), 'w'.repeat(4000));
    assert.ok(hub.requests.some((r) => /^bytes=[1-9]\d*-$/.test(r.range ?? '')), 'resumed, not restarted');
    hub.corrupt.add('model.safetensors');
    await rejectsWith(fetchTo('hf://acme/tiny-bert'), 'ChecksumMismatch', /sha256/);
  });

  it('reports Unreachable after retries when the endpoint is down', async () => {
    env.HF_ENDPOINT = 'http://127.0.0.1:1';
    await rejectsWith(provider.resolve(parseStorageUri('hf://acme/tiny-bert'), ctx()), 'Unreachable');
  });
});
