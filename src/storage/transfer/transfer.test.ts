/**
 * The shared pieces of the remote providers: KServe's fnmatch filters, the path guard, retries
 * (with an injected sleep), and the streaming file writer's resume / restart / checksum paths,
 * driven by in-memory bodies (the providers' suites cover them against servers).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { StorageError, type Progress } from '../provider.ts';
import { downloadAll, safeJoin, type FileJob } from './file.ts';
import { fnmatch, parsePatterns, shouldDownload } from './patterns.ts';
import { ProgressTracker } from './progress.ts';
import { withRetry } from './retry.ts';

const noSleep = { attempts: 3, baseMs: 10, capMs: 100, sleep: async () => undefined };

describe('patterns (KServe STORAGE_ALLOW_PATTERNS / STORAGE_IGNORE_PATTERNS)', () => {
  it('parses JSON arrays and comma lists; blank is no filter', () => {
    assert.deepEqual(parsePatterns('["*.json", " *.bin "]'), ['*.json', '*.bin']);
    assert.deepEqual(parsePatterns('*.json, *.bin,'), ['*.json', '*.bin']);
    assert.deepEqual(parsePatterns('"*.onnx"'), ['*.onnx']);
    assert.equal(parsePatterns('  '), undefined);
    assert.equal(parsePatterns(undefined), undefined);
  });
  it('matches like Python fnmatch: * crosses /, ? is one char, [!x] negates, dots are literal', () => {
    assert.ok(fnmatch('sub/config.json', '*.json'));
    assert.ok(fnmatch('model-00001.safetensors', 'model-0000?.safetensors'));
    assert.ok(!fnmatch('modelXjson', 'model.json'));
    assert.ok(fnmatch('a.bin', '[!b].bin') && !fnmatch('b.bin', '[!b].bin'));
    assert.ok(fnmatch('onnx/model.onnx', 'onnx/*'));
  });
  it('allow first, then ignore', () => {
    const f = { allow: ['*.json', '*.onnx'], ignore: ['onnx/*'] };
    assert.deepEqual(['config.json', 'onnx/model.onnx', 'model.onnx', 'README.md'].filter((p) => shouldDownload(p, f)), ['config.json', 'model.onnx']);
  });
});

describe('safeJoin', () => {
  it('refuses names that escape the directory', () => {
    assert.equal(safeJoin('/d', 'a/b.txt', 'x'), '/d/a/b.txt');
    for (const bad of ['../x', 'a/../../x', '/etc/passwd', '', '.']) {
      assert.throws(() => safeJoin('/d', bad, 'x'), (e: unknown) => e instanceof StorageError && e.reason === 'UnsafeArchive', bad);
    }
  });
});

describe('withRetry', () => {
  it('retries transient failures with backoff and stops on others', async () => {
    const delays: number[] = [];
    let n = 0;
    const opts = { attempts: 4, baseMs: 10, capMs: 25, sleep: async (ms: number) => void delays.push(ms) };
    const got = await withRetry(async () => {
      if (++n < 4) throw new StorageError('Unreachable', 'down');
      return 'ok';
    }, opts);
    assert.equal(got, 'ok');
    assert.deepEqual(delays, [10, 20, 25]);
    n = 0;
    await assert.rejects(
      withRetry(async () => {
        n++;
        throw new StorageError('Forbidden', 'no');
      }, opts),
      /no/,
    );
    assert.equal(n, 1);
  });
});

describe('downloadFile / downloadAll', () => {
  let dir: string;
  before(async () => (dir = await mkdtemp(join(tmpdir(), 'transfer-test-'))));
  after(() => rm(dir, { recursive: true, force: true }));

  const data = Buffer.from('0123456789'.repeat(100));
  const md5 = createHash('md5').update(data).digest('base64');
  /** A body that yields `cutAt` bytes then fails, the first `cuts` times. */
  function job(rel: string, opts: { cuts?: number; honourRange?: boolean; md5?: string; opened?: number[]; cutAt?: number }): FileJob {
    let cuts = opts.cuts ?? 0;
    return {
      relPath: rel,
      what: rel,
      size: data.length,
      expected: { md5Base64: opts.md5 ?? md5 },
      async open(offset) {
        opts.opened?.push(offset);
        const start = opts.honourRange === false ? 0 : offset;
        const cut = cuts-- > 0;
        return {
          start,
          body: (async function* () {
            const at = opts.cutAt ?? 300;
            yield data.subarray(start, start + at);
            if (cut) throw new Error('socket hang up');
            yield data.subarray(start + at);
          })(),
        };
      },
    };
  }

  it('resumes from the bytes written when the source honours ranges, and checks the md5 of the whole file', async () => {
    const opened: number[] = [];
    const progress: Progress[] = [];
    const d = await mkdtemp(join(dir, 'a-'));
    await downloadAll([job('m/a.bin', { cuts: 1, opened })], d, new ProgressTracker({ env: {}, onProgress: (p) => progress.push(p) }, { totalBytes: 1000 }, () => 0), noSleep, 2);
    assert.deepEqual(opened, [0, 300]);
    assert.deepEqual(await readFile(join(d, 'm/a.bin')), data);
    assert.equal(progress.at(-1)!.bytes, 1000);
  });

  it('restarts from zero when the source ignores the range, without double-counting progress', async () => {
    const opened: number[] = [];
    const progress: Progress[] = [];
    const d = await mkdtemp(join(dir, 'b-'));
    await downloadAll([job('b.bin', { cuts: 2, honourRange: false, opened })], d, new ProgressTracker({ env: {}, onProgress: (p) => progress.push(p) }, {}, () => 0), noSleep, 1);
    assert.deepEqual(opened, [0, 300, 300]);
    assert.deepEqual(await readFile(join(d, 'b.bin')), data);
    assert.equal(progress.at(-1)!.bytes, 1000);
  });

  it('restarts a file cut after its last byte instead of asking for an empty range', async () => {
    const opened: number[] = [];
    const d = await mkdtemp(join(dir, 'e-'));
    await downloadAll([job('e.bin', { cuts: 1, cutAt: 1000, opened })], d, new ProgressTracker({ env: {} }, {}), noSleep, 1);
    assert.deepEqual(opened, [0, 0]);
    assert.deepEqual(await readFile(join(d, 'e.bin')), data);
  });

  it('gives up as Interrupted after the attempts, and ChecksumMismatch without retrying', async () => {
    const d = await mkdtemp(join(dir, 'c-'));
    const t = new ProgressTracker({ env: {} }, {});
    await assert.rejects(downloadAll([job('c.bin', { cuts: 5 })], d, t, noSleep, 1), (e: unknown) => e instanceof StorageError && e.reason === 'Interrupted');
    const opened: number[] = [];
    await assert.rejects(
      downloadAll([job('d.bin', { md5: Buffer.alloc(16).toString('base64'), opened })], d, t, noSleep, 1),
      (e: unknown) => e instanceof StorageError && e.reason === 'ChecksumMismatch',
    );
    assert.equal(opened.length, 1);
  });
});
