/**
 * The shared local model cache. Content-addressed: key = sha256(uri + '\n' + resolved version), so
 * a new ETag/digest/commit is a new entry and an unchanged source is a hit. One download per key
 * however many replicas ask at once (single flight); downloads land in a temp dir, are hashed and
 * verified, then renamed into place, so a reader never sees half a model. Size-bounded: least
 * recently used entries that no replica holds are evicted to make room.
 *
 * Worked example (maxBytes 10 GB): A (4 GB, held by a replica), B (3 GB, released at t=1),
 * C (2 GB, released at t=2) are cached; D (3 GB) is requested. 4+3+2+3 = 12 > 10, so the oldest
 * unheld entry, B, goes: 4+2+3 = 9 ≤ 10. A is never chosen while held.
 *
 * Not handled: two processes sharing one cache dir (each keeps its own in-memory index).
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock } from '../../core/clock.ts';
import { systemClock } from '../../core/clock.ts';
import type { Logger } from '../../core/logger.ts';
import { parseStorageUri, type ParsedUri, type Progress, type ResolvedSource, type StorageContext, StorageError, type StorageProvider } from '../provider.ts';
import { asStorageError, type EntryMeta, hashTree, metaPath, normalizeSha256, parseMeta, sha256File, writeMeta } from './entry-files.ts';

const uriHash = (uri: string): string => createHash('sha256').update(uri).digest('hex');

export interface ModelCacheOptions {
  dir: string;
  /** Total bytes of cached models; default unbounded. */
  maxBytes?: number;
  providers: StorageProvider[];
  log?: Logger;
  clock?: Clock;
}

export interface AcquireContext extends StorageContext {
  /** The expected sha256 (`sha256:<hex>` or hex) of a single-file artifact, e.g. from an annotation. */
  sha256?: string;
}

export interface Lease {
  /** The model directory (or, for a local source, the path as given). */
  readonly path: string;
  /** True when no download was needed (already cached, or a local source). */
  readonly hit: boolean;
  readonly key: string;
  /** Lets the entry be evicted again; idempotent. */
  release(): void;
}

export interface EntryInfo extends EntryMeta {
  readonly path: string;
  /** Leases now held. */
  readonly refs: number;
}

interface Entry {
  meta: EntryMeta;
  refs: number;
}

/** One download shared by every concurrent acquire of its key. */
interface Flight {
  readonly promise: Promise<Entry>;
  readonly controller: AbortController;
  readonly progress: Set<(p: Progress) => void>;
  waiters: number;
}

export class ModelCache {
  private readonly index = new Map<string, Entry>();
  private readonly flights = new Map<string, Flight>();
  private readonly byScheme = new Map<string, StorageProvider>();
  private readonly entriesDir: string;
  private readonly tmpDir: string;
  private readonly maxBytes: number;
  private readonly clock: Clock;
  private closed = false;

  private constructor(private readonly opts: ModelCacheOptions) {
    this.entriesDir = join(opts.dir, 'entries');
    this.tmpDir = join(opts.dir, 'tmp');
    this.maxBytes = opts.maxBytes ?? Number.POSITIVE_INFINITY;
    this.clock = opts.clock ?? systemClock;
    for (const p of opts.providers) for (const s of p.schemes) this.byScheme.set(s.toLowerCase(), p);
  }

  /**
   * Opens (creating) the cache dir: removes temp dirs a crashed process left, drops half entries
   * (a dir without its JSON or the reverse), and loads the rest.
   */
  static async open(opts: ModelCacheOptions): Promise<ModelCache> {
    if (opts.maxBytes !== undefined && !(opts.maxBytes > 0)) throw new RangeError(`maxBytes: ${opts.maxBytes} is not a positive number of bytes`);
    const c = new ModelCache(opts);
    await rm(c.tmpDir, { recursive: true, force: true });
    await mkdir(c.tmpDir, { recursive: true });
    await mkdir(c.entriesDir, { recursive: true });
    const names = await readdir(c.entriesDir);
    const jsons = new Set(names.filter((n) => n.endsWith('.json')).map((n) => n.slice(0, -5)));
    for (const n of names) {
      if (n.endsWith('.json')) continue;
      const meta = jsons.has(n) ? parseMeta(await readFile(metaPath(c.entriesDir, n), 'utf8'), n) : undefined;
      if (meta) c.index.set(n, { meta, refs: 0 });
      else {
        opts.log?.warn('cache: removing an incomplete entry', { key: n });
        await rm(join(c.entriesDir, n), { recursive: true, force: true });
      }
    }
    for (const k of jsons) if (!c.index.has(k)) await rm(metaPath(c.entriesDir, k), { force: true });
    return c;
  }

  /** Bytes of all cached entries. */
  get usedBytes(): number {
    let n = 0;
    for (const e of this.index.values()) n += e.meta.bytes;
    return n;
  }

  /**
   * The model dir for `uri`: in place for local sources, else from the cache (downloading once).
   * Throws StorageError. The caller must `release()` the lease when its replica stops.
   */
  async acquire(uri: string, ctx: AcquireContext): Promise<Lease> {
    if (this.closed) throw new StorageError('Aborted', 'the model cache is closed');
    const parsed = parseStorageUri(uri);
    const provider = this.byScheme.get(parsed.scheme);
    if (!provider) {
      throw new StorageError('InvalidUri', `${parsed.display}: no storage provider for scheme ${JSON.stringify(parsed.scheme)} (supported: ${[...this.byScheme.keys()].sort().join(', ')})`);
    }
    if (provider.localPath) {
      const local = await provider.localPath(parsed, ctx);
      if (local !== undefined) return { path: local, hit: true, key: `local:${local}`, release: () => undefined };
    }
    let resolved: ResolvedSource;
    try {
      resolved = await provider.resolve(parsed, ctx);
    } catch (err) {
      // The source is down but a copy is cached: serve the newest one rather than fail a start.
      const stale = err instanceof StorageError && err.reason === 'Unreachable' ? this.newestOf(uri) : undefined;
      if (!stale) throw err;
      this.opts.log?.warn('cache: source unreachable, serving the cached copy', { uri: parsed.display, version: stale.meta.version, error: (err as Error).message });
      const l = this.lease(stale.meta.key, stale, true);
      if (await this.present(stale.meta.key)) return l;
      l.release();
      throw err;
    }
    const key = createHash('sha256').update(`${uri}\n${resolved.version}`).digest('hex');
    const have = this.index.get(key);
    if (have) {
      // Held before the stat, so a concurrent makeRoom cannot evict it in between.
      const l = this.lease(key, have, true);
      if (await this.present(key)) return l;
      l.release();
    }
    const entry = await this.join(key, (signal, onProgress) => this.download(key, parsed, provider, resolved, ctx, signal, onProgress), ctx);
    return this.lease(key, entry, false);
  }

  private newestOf(uri: string): Entry | undefined {
    const h = uriHash(uri);
    let best: Entry | undefined;
    for (const e of this.index.values()) if (e.meta.uriHash === h && (!best || e.meta.createdMs > best.meta.createdMs)) best = e;
    return best;
  }

  /** Every cached entry with its lease count, most recently used first. */
  entries(): EntryInfo[] {
    return [...this.index.values()]
      .sort((a, b) => b.meta.lastUsedMs - a.meta.lastUsedMs)
      .map((e) => ({ ...e.meta, path: join(this.entriesDir, e.meta.key), refs: e.refs }));
  }

  /**
   * Re-hashes an entry's files against the sha256s stored when it was downloaded. A corrupt entry
   * is reported (and not removed: `evict` it when no replica holds it).
   */
  async verify(key: string): Promise<{ ok: boolean; bad: string[] }> {
    const e = this.index.get(key);
    if (!e) throw new StorageError('NotFound', `cache entry ${key} does not exist`);
    const bad: string[] = [];
    for (const [rel, want] of Object.entries(e.meta.files)) {
      const got = await sha256File(join(this.entriesDir, key, rel)).catch(() => 'missing');
      if (got !== want) bad.push(rel);
    }
    return { ok: bad.length === 0, bad };
  }

  /** Removes an entry no replica holds; returns false when it is held or absent. */
  async evict(key: string): Promise<boolean> {
    const e = this.index.get(key);
    if (!e || e.refs > 0) return false;
    this.index.delete(key);
    // JSON first: from then on the entry does not exist, whatever happens to the dir.
    await rm(metaPath(this.entriesDir, key), { force: true });
    const trash = join(this.tmpDir, `evict-${randomUUID()}`);
    await rename(join(this.entriesDir, key), trash).catch(() => undefined);
    await rm(trash, { recursive: true, force: true });
    this.opts.log?.info('cache: evicted', { key, uri: e.meta.uri, bytes: e.meta.bytes });
    return true;
  }

  /** Idempotent. Later acquires fail; running downloads are aborted and their temp dirs removed before it resolves. */
  async close(): Promise<void> {
    this.closed = true;
    const running = [...this.flights.values()];
    for (const f of running) f.controller.abort(new StorageError('Aborted', 'the model cache was closed'));
    await Promise.allSettled(running.map((f) => f.promise));
  }

  private lease(key: string, entry: Entry, hit: boolean): Lease {
    entry.refs += 1;
    entry.meta.lastUsedMs = this.clock.nowMs();
    let released = false;
    return {
      path: join(this.entriesDir, key),
      hit,
      key,
      release: () => {
        if (released) return;
        released = true;
        entry.refs -= 1;
        entry.meta.lastUsedMs = this.clock.nowMs();
        if (this.index.get(key) !== entry) return; // evicted or replaced meanwhile
        writeMeta(this.entriesDir, entry.meta).catch((err: unknown) => this.opts.log?.warn('cache: could not record last use', { key, err }));
      },
    };
  }

  /** False (and the entry forgotten) when someone removed its dir behind the cache's back. */
  private async present(key: string): Promise<boolean> {
    const ok = await stat(join(this.entriesDir, key)).then((s) => s.isDirectory(), () => false);
    if (!ok) {
      this.index.delete(key);
      await rm(metaPath(this.entriesDir, key), { force: true });
    }
    return ok;
  }

  /**
   * Joins the download of `key`, starting it when none runs. A waiter whose own signal aborts
   * leaves with Aborted; the download itself is aborted only when every waiter has left.
   */
  private async join(key: string, start: (signal: AbortSignal, onProgress: (p: Progress) => void) => Promise<Entry>, ctx: AcquireContext): Promise<Entry> {
    let f = this.flights.get(key);
    if (!f) {
      const controller = new AbortController();
      const progress = new Set<(p: Progress) => void>();
      const promise = start(controller.signal, (p) => {
        for (const cb of progress) cb(p);
      }).finally(() => this.flights.delete(key));
      f = { promise, controller, progress, waiters: 0 };
      this.flights.set(key, f);
    }
    const flight = f;
    flight.waiters += 1;
    if (ctx.onProgress) flight.progress.add(ctx.onProgress);
    const leave = (): void => {
      flight.waiters -= 1;
      if (ctx.onProgress) flight.progress.delete(ctx.onProgress);
    };
    const signal = ctx.signal;
    if (!signal) {
      try {
        return await flight.promise;
      } finally {
        leave();
      }
    }
    if (signal.aborted) {
      leave();
      if (flight.waiters === 0) flight.controller.abort(signal.reason);
      throw new StorageError('Aborted', `download of ${key.slice(0, 12)} aborted by the caller`);
    }
    return await new Promise<Entry>((resolve, reject) => {
      const onAbort = (): void => {
        leave();
        if (flight.waiters === 0) flight.controller.abort(signal.reason);
        reject(new StorageError('Aborted', `download of ${key.slice(0, 12)} aborted by the caller`));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      flight.promise.then(
        (e) => {
          signal.removeEventListener('abort', onAbort);
          leave();
          resolve(e);
        },
        (err: unknown) => {
          signal.removeEventListener('abort', onAbort);
          leave();
          reject(err instanceof Error ? err : new Error(String(err)));
        },
      );
    });
  }

  /**
   * Downloads into tmp/, hashes and verifies, makes room, then renames into entries/. Any failure
   * removes the temp dir: the cache holds the old state or the new entry, never half of one.
   */
  private async download(key: string, uri: ParsedUri, provider: StorageProvider, resolved: ResolvedSource, ctx: AcquireContext, signal: AbortSignal, onProgress: (p: Progress) => void): Promise<Entry> {
    const what = uri.display;
    if (resolved.totalBytes !== undefined && resolved.totalBytes > this.maxBytes) {
      throw new StorageError('TooLarge', `${what}: ${resolved.totalBytes} bytes is more than the cache's maxBytes ${this.maxBytes}`);
    }
    if (resolved.totalBytes !== undefined) await this.makeRoom(resolved.totalBytes, what);
    const tmp = await mkdtemp(join(this.tmpDir, `${key.slice(0, 16)}-`)).catch((err: unknown) => {
      throw asStorageError(err, what);
    });
    const log = this.opts.log?.child({ uri: what, key: key.slice(0, 12) });
    try {
      if (signal.aborted) throw new StorageError('Aborted', `${what}: download aborted`);
      log?.info('cache: downloading', { version: resolved.version, totalBytes: resolved.totalBytes });
      await provider.download(uri, resolved, tmp, { ...ctx, signal, onProgress, log: ctx.log ?? log });
      if (signal.aborted) throw new StorageError('Aborted', `${what}: download aborted`);
      const { files, bytes } = await hashTree(tmp);
      const want = normalizeSha256(ctx.sha256) ?? normalizeSha256(resolved.sha256);
      if ((ctx.sha256 ?? resolved.sha256) !== undefined && want === undefined) {
        throw new StorageError('ChecksumMismatch', `${what}: the expected sha256 ${JSON.stringify(ctx.sha256 ?? resolved.sha256)} is not 64 hex digits`);
      }
      if (want !== undefined) {
        const names = Object.keys(files);
        if (names.length !== 1) throw new StorageError('ChecksumMismatch', `${what}: a sha256 was given but the artifact has ${names.length} files (a sha256 checks a single file)`);
        const got = files[names[0]!]!;
        if (got !== want) throw new StorageError('ChecksumMismatch', `${what}: sha256 of ${names[0]} is ${got}, expected ${want}`);
      }
      if (bytes > this.maxBytes) throw new StorageError('TooLarge', `${what}: ${bytes} bytes is more than the cache's maxBytes ${this.maxBytes}`);
      await this.makeRoom(bytes, what);
      const now = this.clock.nowMs();
      const meta: EntryMeta = { key, uri: what, version: resolved.version, uriHash: uriHash(uri.raw), bytes, files, createdMs: now, lastUsedMs: now };
      // Rename the files in first: an entry is a dir *and* its JSON, so until the JSON lands a
      // crash leaves only a dir that open() removes.
      await rm(join(this.entriesDir, key), { recursive: true, force: true });
      await rename(tmp, join(this.entriesDir, key));
      await writeMeta(this.entriesDir, meta);
      const entry: Entry = { meta, refs: 0 };
      this.index.set(key, entry);
      log?.info('cache: stored', { bytes, files: Object.keys(files).length });
      return entry;
    } catch (err) {
      await rm(tmp, { recursive: true, force: true }).catch(() => undefined);
      const e = signal.aborted && !(err instanceof StorageError) ? new StorageError('Aborted', `${what}: download aborted`, { cause: err }) : asStorageError(err, what);
      log?.warn('cache: download failed', { reason: e.reason, error: e.message });
      throw e;
    }
  }

  /**
   * Evicts least-recently-used unheld entries until `incoming` more bytes fit. When held entries
   * alone exceed the budget the new entry is admitted anyway (a replica needs it) and a warning
   * says the cache is over its size.
   */
  private async makeRoom(incoming: number, what: string): Promise<void> {
    if (this.usedBytes + incoming <= this.maxBytes) return;
    const candidates = [...this.index.values()].filter((e) => e.refs === 0).sort((a, b) => a.meta.lastUsedMs - b.meta.lastUsedMs);
    for (const c of candidates) {
      if (this.usedBytes + incoming <= this.maxBytes) return;
      await this.evict(c.meta.key);
    }
    if (this.usedBytes + incoming > this.maxBytes) {
      this.opts.log?.warn('cache: over its size: the models in use hold the rest', { uri: what, usedBytes: this.usedBytes, incoming, maxBytes: this.maxBytes });
    }
  }
}
