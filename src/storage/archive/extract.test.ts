import assert from 'node:assert/strict';
import { lstat, mkdtemp, readFile, readlink, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import * as tar from 'tar';
import { buildTar, buildZip, type TarSpec, type ZipSpec } from '../../../test/support/archives.ts';
import { StorageError } from '../provider.ts';
import { archiveKind, type ExtractOptions, extractArchive } from './extract.ts';

let root: string;
before(async () => {
  root = await mkdtemp(join(tmpdir(), 'kts-archive-'));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

let n = 0;
async function extract(name: string, bytes: Buffer, opts: ExtractOptions = {}): Promise<{ dest: string; result: Promise<number> }> {
  n += 1;
  const file = join(root, `${n}-${name}`);
  await writeFile(file, bytes);
  const dest = join(root, `out-${n}`);
  await import('node:fs/promises').then((fs) => fs.mkdir(dest));
  const kind = archiveKind(name);
  assert.ok(kind, name);
  return { dest, result: extractArchive(file, kind, dest, opts) };
}

async function rejects(p: Promise<unknown>, reason: string, re: RegExp): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof StorageError, String(err));
    assert.equal(err.reason, reason, err.message);
    assert.match(err.message, re);
    return true;
  });
}

describe('archiveKind', () => {
  it('maps names as KServe mimetypes does', () => {
    assert.equal(archiveKind('m.tar'), 'tar');
    assert.equal(archiveKind('m.TAR.GZ'), 'tar');
    assert.equal(archiveKind('m.tgz'), 'tar');
    assert.equal(archiveKind('m.zip'), 'zip');
    assert.equal(archiveKind('model.onnx'), undefined);
    assert.equal(archiveKind('model.gz'), undefined);
  });
});

describe('tar', () => {
  it('extracts a .tar.gz made by the tar package (dirs, files, an inside symlink)', async () => {
    const src = join(root, 'src-tree');
    await import('node:fs/promises').then(async (fs) => {
      await fs.mkdir(join(src, 'm', '1'), { recursive: true });
      await fs.writeFile(join(src, 'm', '1', 'model.onnx'), Buffer.alloc(70_000, 7));
      await fs.writeFile(join(src, 'm', 'config.json'), '{"a":1}');
      await fs.symlink('1/model.onnx', join(src, 'm', 'latest'));
    });
    const file = join(root, 'made.tar.gz');
    await tar.c({ gzip: true, file, cwd: src }, ['m']);
    const dest = join(root, 'made-out');
    await import('node:fs/promises').then((fs) => fs.mkdir(dest));
    const bytes = await extractArchive(file, 'tar', dest);
    assert.equal(bytes, 70_000 + 7);
    assert.deepEqual((await readFile(join(dest, 'm', '1', 'model.onnx'))).length, 70_000);
    assert.equal(await readFile(join(dest, 'm', 'config.json'), 'utf8'), '{"a":1}');
    assert.equal(await readlink(join(dest, 'm', 'latest')), '1/model.onnx');
  });

  it('extracts a plain .tar with a hard link to an earlier file', async () => {
    const { dest, result } = await extract('h.tar', buildTar([{ path: 'a.bin', body: 'hello' }, { path: 'b.bin', type: 'Link', linkpath: 'a.bin' }]));
    await result;
    assert.equal(await readFile(join(dest, 'b.bin'), 'utf8'), 'hello');
  });

  const hostile: [string, TarSpec[], RegExp][] = [
    ['../evil', [{ path: '../evil', body: 'x' }], /escapes the target/],
    ['a/../../evil', [{ path: 'a/../../evil', body: 'x' }], /escapes the target/],
    ['absolute path', [{ path: '/tmp/kts-evil', body: 'x' }], /absolute path/],
    ['symlink to /etc', [{ path: 'etc', type: 'SymbolicLink', linkpath: '/etc' }], /absolute path/],
    ['symlink ../..', [{ path: 'd/up', type: 'SymbolicLink', linkpath: '../../..' }], /points outside/],
    ['link then write through it', [{ path: 'here', type: 'SymbolicLink', linkpath: '.' }, { path: 'esc', type: 'SymbolicLink', linkpath: 'here/../x' }], /does not resolve|outside/],
    ['hard link to /etc/passwd', [{ path: 'p', type: 'Link', linkpath: '/etc/passwd' }], /absolute path/],
    ['hard link to a missing file', [{ path: 'p', type: 'Link', linkpath: 'nope' }], /not a file of this archive/],
    ['character device', [{ path: 'null', type: 'CharacterDevice' }], /CharacterDevice/],
    ['fifo', [{ path: 'pipe', type: 'FIFO' }], /FIFO/],
  ];
  for (const [name, entries, re] of hostile) {
    it(`rejects ${name} (UnsafeArchive) and writes nothing outside`, async () => {
      const { dest, result } = await extract('h.tar.gz', buildTar(entries, { gzip: true }));
      await rejects(result, 'UnsafeArchive', re);
      await assert.rejects(lstat(join(dest, '..', 'evil')));
      await assert.rejects(lstat('/tmp/kts-evil'));
    });
  }

  it('rejects an archive bomb: small compressed, huge expanded (TooLarge) before filling the disk', async () => {
    const body = Buffer.alloc(64 * 1024 * 1024); // 64 MiB of zeros → ~64 KiB gzipped
    const gz = buildTar([{ path: 'zeros', body }], { gzip: true });
    assert.ok(gz.length < 200_000);
    const { dest, result } = await extract('bomb.tgz', gz, { maxExpandedBytes: 8 * 1024 * 1024 });
    await rejects(result, 'TooLarge', /more than 8388608 bytes|decompression ratio/);
    const st = await lstat(join(dest, 'zeros')).catch(() => undefined);
    assert.ok(!st || st.size <= 8 * 1024 * 1024);
  });

  it('rejects a 1 MiB file when the 20× ratio default is lowered by maxExpandedBytes, and too many entries', async () => {
    const one = await extract('one.tar', buildTar([{ path: 'f', body: Buffer.alloc(1024 * 1024, 1) }]), { maxExpandedBytes: 512 * 1024 });
    await rejects(one.result, 'TooLarge', /more than 524288 bytes/);
    const entries: TarSpec[] = Array.from({ length: 12 }, (_, i) => ({ path: `f${i}`, body: 'x' }));
    const { result } = await extract('many.tar', buildTar(entries), { maxEntries: 10 });
    await rejects(result, 'TooLarge', /more than 10 entries/);
  });

  it('rejects garbage and a truncated archive', async () => {
    const a = await extract('junk.tar.gz', gzipSync(Buffer.alloc(4096, 0x41)));
    await rejects(a.result, 'UnsafeArchive', /not a valid tar/);
    const full = buildTar([{ path: 'big', body: Buffer.alloc(100_000, 1) }]);
    const b = await extract('cut.tar', full.subarray(0, 50_000));
    await rejects(b.result, 'UnsafeArchive', /not a valid tar/);
    // The entry a cut archive never ends must not keep its file open (Linux: /proc/self/fd).
    const fds = await readdir('/proc/self/fd').catch(() => [] as string[]);
    const open = await Promise.all(fds.map((f) => readlink(`/proc/self/fd/${f}`).catch(() => '')));
    assert.deepEqual(open.filter((f) => f.startsWith(b.dest)), []);
  });
});

describe('zip', () => {
  it('extracts stored and deflated entries, dirs, and an inside symlink', async () => {
    const { dest, result } = await extract('m.zip', buildZip([
      { name: 'm/' },
      { name: 'm/model.onnx', body: Buffer.alloc(100_000, 3), deflate: true },
      { name: 'm/a.txt', body: 'abc' },
      { name: 'm/link', body: 'a.txt', mode: 0o120777 },
    ]));
    assert.equal(await result, 100_003);
    assert.equal((await readFile(join(dest, 'm', 'model.onnx'))).length, 100_000);
    assert.equal(await readFile(join(dest, 'm', 'link'), 'utf8'), 'abc');
    assert.deepEqual((await readdir(dest)).sort(), ['m']);
  });

  const hostile: [string, ZipSpec[], RegExp][] = [
    ['../evil', [{ name: '../evil', body: 'x' }], /escapes the target/],
    ['absolute path', [{ name: '/tmp/kts-evil', body: 'x' }], /escapes the target|absolute/],
    ['symlink to /etc', [{ name: 'etc', body: '/etc', mode: 0o120777 }], /absolute path/],
    ['symlink ../../', [{ name: 'x/up', body: '../../../', mode: 0o120777 }], /points outside/],
    ['character device', [{ name: 'dev', body: '', mode: 0o020644 }], /special file/],
  ];
  for (const [name, entries, re] of hostile) {
    it(`rejects ${name} (UnsafeArchive)`, async () => {
      const { dest, result } = await extract('h.zip', buildZip(entries));
      await rejects(result, 'UnsafeArchive', re);
      await assert.rejects(lstat(join(dest, '..', 'evil')));
      await assert.rejects(lstat('/tmp/kts-evil'));
    });
  }

  it('rejects a zip bomb by its declared size before writing, and by real bytes', async () => {
    const { result } = await extract('bomb.zip', buildZip([{ name: 'zeros', body: Buffer.alloc(32 * 1024 * 1024), deflate: true }]), { maxExpandedBytes: 1024 * 1024 });
    await rejects(result, 'TooLarge', /more than 1048576 bytes/);
  });

  it('rejects a file that is not a zip', async () => {
    const { result } = await extract('junk.zip', Buffer.from('not a zip at all'));
    await rejects(result, 'UnsafeArchive', /not a valid zip/);
  });
});

describe('limits', () => {
  it('defaults: 20× the archive, floored at 1 GiB, capped at 50 GiB; 100k entries', async () => {
    const { resolveLimits } = await import('./safe-path.ts');
    const GiB = 1024 ** 3;
    assert.deepEqual(resolveLimits(3 * 1024 * 1024), { maxExpandedBytes: GiB, maxEntries: 100_000 });
    assert.equal(resolveLimits(2 * GiB).maxExpandedBytes, 40 * GiB);
    assert.equal(resolveLimits(4 * GiB).maxExpandedBytes, 50 * GiB);
    assert.equal(resolveLimits(4 * GiB, { maxExpandedBytes: 5 }).maxExpandedBytes, 5);
  });
});
