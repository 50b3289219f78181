/**
 * Where archive entries land: one object per extraction that counts entries and bytes against the
 * limits, writes files by streaming, and creates symlinks only at the very end. Deferring symlinks
 * means no file is ever written *through* a link the archive made (the classic
 * `link → .` then `link/../escape` trick); after they exist, each is resolved with `realpath` and
 * must still be inside the target.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { link, mkdir, realpath, rm, symlink } from 'node:fs/promises';
import { dirname, resolve, sep } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { StorageError } from '../provider.ts';
import { checkLinkTarget, inside, type ResolvedLimits, safeRelative, tooLarge, unsafe } from './safe-path.ts';

export class ExtractSink {
  private entries = 0;
  private bytes = 0;
  private readonly links: { rel: string; target: string }[] = [];
  private readonly files = new Set<string>();
  private readonly open = new Set<WriteStream>();

  constructor(
    private readonly dest: string,
    private readonly limits: ResolvedLimits,
    private readonly what: string,
    private readonly onBytes?: (n: number) => void,
  ) {}

  get writtenBytes(): number {
    return this.bytes;
  }

  private count(entryPath: string): string {
    this.entries += 1;
    if (this.entries > this.limits.maxEntries) throw tooLarge(this.what, `more than ${this.limits.maxEntries} entries`);
    return safeRelative(entryPath, this.what);
  }

  /** Checks a size the archive declares before any byte of it is written. */
  declare(size: number): void {
    if (this.bytes + size > this.limits.maxExpandedBytes) throw tooLarge(this.what, `expands to more than ${this.limits.maxExpandedBytes} bytes`);
  }

  async dir(entryPath: string): Promise<void> {
    const rel = this.count(entryPath);
    await mkdir(inside(this.dest, rel, this.what), { recursive: true });
  }

  async file(entryPath: string, body: Readable, declaredSize: number, mode?: number): Promise<void> {
    const rel = this.count(entryPath);
    if (rel === '') throw unsafe(this.what, `a file entry names the archive root`);
    this.declare(declaredSize);
    const full = inside(this.dest, rel, this.what);
    await mkdir(dirname(full), { recursive: true });
    // Counting the bytes that really arrive, not the header's claim: a lying header cannot slip by.
    const counter = new Transform({
      transform: (chunk: Buffer, _enc, cb) => {
        this.bytes += chunk.length;
        if (this.bytes > this.limits.maxExpandedBytes) {
          cb(tooLarge(this.what, `expands to more than ${this.limits.maxExpandedBytes} bytes`));
          return;
        }
        this.onBytes?.(chunk.length);
        cb(null, chunk);
      },
    });
    const safeMode = mode === undefined ? 0o644 : (mode & 0o777) | 0o600;
    const out = createWriteStream(full, { mode: safeMode });
    this.open.add(out);
    try {
      await pipeline(body, counter, out);
    } finally {
      this.open.delete(out);
    }
    this.files.add(rel);
  }

  /** A hard link: its target must be a regular file this archive already wrote. */
  async hardlink(entryPath: string, targetPath: string): Promise<void> {
    const rel = this.count(entryPath);
    const target = safeRelative(targetPath, this.what);
    if (!this.files.has(target)) throw unsafe(this.what, `hard link ${JSON.stringify(entryPath)} points to ${JSON.stringify(targetPath)}, which is not a file of this archive`);
    const full = inside(this.dest, rel, this.what);
    await mkdir(dirname(full), { recursive: true });
    await rm(full, { force: true });
    await link(inside(this.dest, target, this.what), full);
    this.files.add(rel);
  }

  /** Records a symlink; it is checked now and created in `finish()`. */
  symlink(entryPath: string, target: string): void {
    const rel = this.count(entryPath);
    if (rel === '') throw unsafe(this.what, `a symlink entry names the archive root`);
    checkLinkTarget(rel, target, this.what);
    this.links.push({ rel, target });
  }

  special(entryPath: string, type: string): never {
    throw unsafe(this.what, `entry ${JSON.stringify(entryPath)} is a ${type}, which a model archive never needs`);
  }

  /** After a failure: closes the files still being written (a cut archive never ends its entry). */
  async abort(): Promise<void> {
    const closing = [...this.open].map((out) => (out.closed ? Promise.resolve() : new Promise<void>((r) => out.once('close', () => r()))));
    for (const out of this.open) out.destroy();
    this.open.clear();
    await Promise.all(closing);
  }

  /** Creates the deferred symlinks and checks each resolves inside the target. */
  async finish(): Promise<void> {
    const root = await realpath(resolve(this.dest));
    for (const l of this.links) {
      const full = inside(this.dest, l.rel, this.what);
      await mkdir(dirname(full), { recursive: true });
      await rm(full, { force: true, recursive: true });
      await symlink(l.target, full);
    }
    for (const l of this.links) {
      const full = inside(this.dest, l.rel, this.what);
      let real: string;
      try {
        real = await realpath(full);
      } catch (err) {
        throw new StorageError('UnsafeArchive', `${this.what}: symlink ${JSON.stringify(l.rel)} → ${JSON.stringify(l.target)} does not resolve to a file of the archive`, { cause: err });
      }
      if (real !== root && !real.startsWith(root + sep)) throw unsafe(this.what, `symlink ${JSON.stringify(l.rel)} resolves outside the target directory`);
    }
  }
}
