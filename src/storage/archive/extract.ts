/**
 * Safe extraction of `.tar`, `.tar.gz`/`.tgz` and `.zip` into a directory, as KServe's
 * `_unpack_archive_file` does (with tarfile's `filter="data"` rules applied to both formats):
 * entries escaping the target (`../`, absolute paths, links pointing out) and special files
 * (devices, FIFOs) → StorageError('UnsafeArchive'); more bytes or entries than the limits →
 * StorageError('TooLarge'). Tar is streamed; zip reads only its central directory into memory.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { Parser, type ReadEntry } from 'tar';
import yauzl from 'yauzl';
import { StorageError } from '../provider.ts';
import { ExtractSink } from './sink.ts';
import { type ExtractLimits, resolveLimits, unsafe } from './safe-path.ts';

export type { ExtractLimits } from './safe-path.ts';

export type ArchiveKind = 'tar' | 'zip';

/**
 * The archive kind from a file name, as Python's `mimetypes.guess_type` sees it in KServe:
 * `.tar`, `.tar.gz`, `.tgz` → tar (gzip is detected from the bytes); `.zip` → zip; else undefined.
 */
export function archiveKind(fileName: string): ArchiveKind | undefined {
  const n = fileName.toLowerCase();
  if (n.endsWith('.zip')) return 'zip';
  if (n.endsWith('.tar') || n.endsWith('.tar.gz') || n.endsWith('.tgz')) return 'tar';
  return undefined;
}

export interface ExtractOptions extends ExtractLimits {
  /** Names the archive in messages (a URI's display form, never one holding credentials). */
  what?: string;
  /** Called with each chunk's length as it is written. */
  onBytes?: (n: number) => void;
}

/** Extracts `archive` (a file on disk) into `dest` (an existing directory). Returns bytes written. */
export async function extractArchive(archive: string, kind: ArchiveKind, dest: string, opts: ExtractOptions = {}): Promise<number> {
  const what = opts.what ?? archive;
  const limits = resolveLimits((await stat(archive)).size, opts);
  const sink = new ExtractSink(dest, limits, what, opts.onBytes);
  try {
    if (kind === 'tar') await extractTar(createReadStream(archive), sink, what);
    else await extractZip(archive, sink, what);
    await sink.finish();
  } catch (err) {
    await sink.abort();
    throw err;
  }
  return sink.writtenBytes;
}

const BAD_TAR = new Set(['TAR_BAD_ARCHIVE', 'TAR_ABORT', 'TAR_ENTRY_INVALID', 'TAR_ENTRY_ERROR']);

async function extractTar(src: Readable, sink: ExtractSink, what: string): Promise<void> {
  const parser = new Parser({ strict: false });
  await new Promise<void>((resolve, reject) => {
    let failed = false;
    let chain: Promise<void> = Promise.resolve();
    const fail = (err: unknown): void => {
      if (failed) return;
      failed = true;
      src.destroy();
      reject(tarError(err, what));
    };
    parser.on('entry', (entry: ReadEntry) => {
      chain = chain
        .then(async () => {
          if (failed) entry.resume();
          else await tarEntry(entry, sink);
        })
        .catch((err: unknown) => {
          entry.resume();
          fail(err);
        });
    });
    parser.on('warn', (code: string, message: string | Error) => {
      if (BAD_TAR.has(code)) fail(typeof message === 'string' ? new Error(message) : message);
    });
    parser.on('error', fail);
    parser.on('end', () => {
      chain.then(() => {
        if (!failed) resolve();
      }, fail);
    });
    src.on('error', fail);
    src.pipe(parser);
  });
}

/** tar's own gzip guard ("max decompression ratio exceeded", 1000×) is a bomb too: TooLarge. */
function tarError(err: unknown, what: string): StorageError {
  if (err instanceof StorageError) return err;
  const msg = err instanceof Error ? err.message : String(err);
  if (/decompression ratio/i.test(msg)) return new StorageError('TooLarge', `${what}: ${msg} (an archive bomb)`, { cause: err });
  return new StorageError('UnsafeArchive', `${what}: not a valid tar archive (${msg})`, { cause: err });
}

async function tarEntry(entry: ReadEntry, sink: ExtractSink): Promise<void> {
  switch (entry.type) {
    case 'File':
    case 'OldFile':
    case 'ContiguousFile':
      await sink.file(entry.path, entry as unknown as Readable, entry.size, entry.mode);
      return;
    case 'Directory':
    case 'GNUDumpDir':
      entry.resume();
      await sink.dir(entry.path);
      return;
    case 'SymbolicLink':
      entry.resume();
      sink.symlink(entry.path, entry.linkpath ?? '');
      return;
    case 'Link':
      entry.resume();
      await sink.hardlink(entry.path, entry.linkpath ?? '');
      return;
    case 'CharacterDevice':
    case 'BlockDevice':
    case 'FIFO':
      entry.resume();
      sink.special(entry.path, entry.type);
      return;
    default:
      // Metadata the parser did not consume itself (vendor extensions): nothing to write.
      entry.resume();
  }
}

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
/** A symlink's target is a path: anything longer is not one. */
const MAX_LINK_TARGET_BYTES = 4096;

async function extractZip(file: string, sink: ExtractSink, what: string): Promise<void> {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.openPromise(file, { lazyEntries: true, autoClose: false, decodeStrings: true, validateEntrySizes: true, strictFileNames: false });
  } catch (err) {
    throw zipError(err, what);
  }
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('error', (err: unknown) => reject(zipError(err, what)));
      zip.on('end', () => resolve());
      zip.on('entry', (entry: yauzl.Entry) => {
        zipEntry(zip, entry, sink, what).then(
          () => zip.readEntry(),
          (err: unknown) => reject(zipError(err, what)),
        );
      });
      zip.readEntry();
    });
  } finally {
    zip.close();
  }
}

async function zipEntry(zip: yauzl.ZipFile, entry: yauzl.Entry, sink: ExtractSink, what: string): Promise<void> {
  const unixMode = (entry.externalFileAttributes >>> 16) & 0xffff;
  const fmt = unixMode & S_IFMT;
  if (entry.fileName.endsWith('/') || fmt === S_IFDIR) {
    await sink.dir(entry.fileName);
    return;
  }
  if (entry.isEncrypted()) throw new StorageError('UnsafeArchive', `${what}: entry ${JSON.stringify(entry.fileName)} is encrypted`);
  if (fmt === S_IFLNK) {
    if (entry.uncompressedSize > MAX_LINK_TARGET_BYTES) throw unsafe(what, `symlink ${JSON.stringify(entry.fileName)} has a ${entry.uncompressedSize}-byte target`);
    const chunks: Buffer[] = [];
    for await (const c of await zip.openReadStreamPromise(entry)) chunks.push(c as Buffer);
    sink.symlink(entry.fileName, Buffer.concat(chunks).toString('utf8'));
    return;
  }
  if (fmt !== 0 && fmt !== S_IFREG) sink.special(entry.fileName, `special file (mode ${fmt.toString(8)})`);
  sink.declare(entry.uncompressedSize);
  await sink.file(entry.fileName, await zip.openReadStreamPromise(entry), entry.uncompressedSize, unixMode === 0 ? undefined : unixMode);
}

/** yauzl's own path checks ("absolute path", "invalid relative path") are zip-slip: UnsafeArchive. */
function zipError(err: unknown, what: string): StorageError {
  if (err instanceof StorageError) return err;
  const msg = err instanceof Error ? err.message : String(err);
  const reason = /absolute path|invalid relative path|invalid characters/i.test(msg) ? 'zip entry escapes the target directory' : 'not a valid zip archive';
  return new StorageError('UnsafeArchive', `${what}: ${reason} (${msg})`, { cause: err });
}
