/**
 * `s3://bucket[/prefix]`: the S3 provider (AWS SDK v3), with KServe's env names and
 * `serving.kserve.io/s3-*` annotations (./config.ts). `resolve` lists the prefix (./listing.ts);
 * `download` fetches the listed objects, S3_MAX_FILE_CONCURRENCY at a time (largest first, so a
 * big weights file starts at once), large ones as parallel ranged GETs (./object.ts); a lone
 * `.tar`/`.tar.gz`/`.tgz`/`.zip` is unpacked in place, as KServe does.
 */
import { setMaxListeners } from 'node:events';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { ParsedUri, Progress, ResolvedSource, StorageContext, StorageProvider } from '../provider.ts';
import { StorageError } from '../provider.ts';
import { makeS3Client, type S3ClientHandle } from './client.ts';
import { type S3Settings, s3Settings } from './config.ts';
import { toStorageError } from './errors.ts';
import { listModel } from './listing.ts';
import { fetchObject, type ObjectFetchOptions } from './object.ts';
import type { ExtractLimits } from '../archive/extract.ts';
import { unpackSingleArchive } from '../transfer/unpack.ts';
import { filterFromEnv } from '../transfer/patterns.ts';

export { s3Settings, S3_ANNOTATIONS, type S3Settings } from './config.ts';

export interface S3ProviderOptions {
  /** Part size of ranged GETs (default 8 MiB). */
  partSizeBytes?: number;
  /** Ranged GETs in flight per large object (default 8). */
  partConcurrency?: number;
  /** Objects from this size on are fetched in ranged parts (default 2 parts' worth). */
  rangedThresholdBytes?: number;
  /** Attempts per range after a cut or 5xx (default 5), with backoff from `retryBaseMs` (200) to `retryCapMs` (5,000). */
  maxAttempts?: number;
  retryBaseMs?: number;
  retryCapMs?: number;
  /** Injected wait for the backoff (tests); default a timer that honours the signal. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Least time between two progress reports (default 100 ms). */
  progressIntervalMs?: number;
  /** Monotonic milliseconds for progress throttling (default performance.now). */
  now?: () => number;
  /**
   * Check each single-part object's ETag against the MD5 of its bytes (default true). Off only
   * where the transport is trusted end to end and the ~1.5 CPU-seconds per GB matter.
   */
  verifyMd5?: boolean;
  /** Archive-bomb limits for a lone `.tar`/`.tgz`/`.zip` (defaults in ../archive). */
  archiveLimits?: ExtractLimits;
}

const MiB = 1 << 20;

function bucketAndKey(uri: ParsedUri): { bucket: string; key: string } {
  if (uri.scheme !== 's3' || uri.host === '' || uri.host.includes('@')) {
    throw new StorageError('InvalidUri', `InvalidUri: ${uri.display}: expected s3://bucket[/prefix]`);
  }
  return { bucket: uri.host, key: uri.path.replace(/^\/+/, '') };
}

/** The `s3://` provider. */
export function s3Provider(options: S3ProviderOptions = {}): StorageProvider {
  const partSizeBytes = options.partSizeBytes ?? 8 * MiB;
  const partConcurrency = options.partConcurrency ?? 8;
  const fetchOpts: ObjectFetchOptions = Object.freeze({
    partSizeBytes,
    partConcurrency,
    rangedThresholdBytes: options.rangedThresholdBytes ?? 2 * partSizeBytes,
    maxAttempts: options.maxAttempts ?? 5,
    retryBaseMs: options.retryBaseMs ?? 200,
    retryCapMs: options.retryCapMs ?? 5000,
    verifyMd5: options.verifyMd5 ?? true,
    sleep: options.sleep ?? ((ms: number, signal?: AbortSignal) => delay(ms, undefined, signal ? { signal } : {})),
  });
  const progressIntervalMs = options.progressIntervalMs ?? 100;
  const now = options.now ?? (() => performance.now());

  const withClient = async <T>(ctx: StorageContext, fn: (h: S3ClientHandle, s: S3Settings) => Promise<T>): Promise<T> => {
    const s = s3Settings(ctx.env, ctx.annotations);
    const h = makeS3Client(s, s.maxFileConcurrency * partConcurrency);
    try {
      return await fn(h, s);
    } finally {
      h.close();
    }
  };

  return {
    schemes: ['s3'],

    async resolve(uri, ctx): Promise<ResolvedSource> {
      const { bucket, key } = bucketAndKey(uri);
      return withClient(ctx, async ({ client }) => {
        const l = await listModel(client, bucket, key, uri.display, filterFromEnv(ctx.env), ctx.signal);
        return { version: l.version, totalBytes: l.totalBytes };
      });
    },

    async download(uri, source, dest, ctx): Promise<void> {
      const { bucket, key } = bucketAndKey(uri);
      await withClient(ctx, async ({ client }, settings) => {
        const fileConcurrency = settings.maxFileConcurrency;
        const objectOpts = settings.verifyMd5 ? fetchOpts : { ...fetchOpts, verifyMd5: false };
        const listing = await listModel(client, bucket, key, uri.display, filterFromEnv(ctx.env), ctx.signal);
        if (listing.version !== source.version) {
          throw new StorageError('ChecksumMismatch', `ChecksumMismatch: ${uri.display}: the objects changed since they were resolved (an object was added, removed or rewritten); the next attempt resolves again`);
        }
        const progress: Progress = { bytes: 0, totalBytes: listing.totalBytes, files: 0, totalFiles: listing.objects.length };
        let lastReport = -Infinity;
        const report = (force: boolean): void => {
          if (!ctx.onProgress) return;
          const t = now();
          if (!force && t - lastReport < progressIntervalMs) return;
          lastReport = t;
          ctx.onProgress({ ...progress });
        };
        const onBytes = (n: number): void => {
          progress.bytes += n;
          report(false);
        };
        const queue = [...listing.objects].sort((a, b) => b.size - a.size);
        const root = path.resolve(dest);
        let failed: StorageError | undefined;
        // One failure stops the rest: in-flight GETs of every file are aborted, not left to finish.
        const stop = new AbortController();
        // Every GET in flight (files × parts) listens on it: more than Node's default of 10 is expected.
        setMaxListeners(0, stop.signal);
        const onAbort = (): void => stop.abort();
        ctx.signal?.addEventListener('abort', onAbort, { once: true });
        if (ctx.signal?.aborted) stop.abort();
        const worker = async (): Promise<void> => {
          for (let obj = queue.shift(); obj && failed === undefined; obj = queue.shift()) {
            const file = path.resolve(root, ...obj.rel.split('/'));
            if (!file.startsWith(root + path.sep)) throw new StorageError('UnsafeArchive', `UnsafeArchive: ${uri.display}: ${obj.key} escapes the model directory`);
            try {
              await mkdir(path.dirname(file), { recursive: true });
              await fetchObject({ client, bucket, display: uri.display, signal: stop.signal, onBytes, stopAll: () => stop.abort() }, obj, file, objectOpts);
            } catch (err) {
              const e = toStorageError(err, uri.display, bucket, `writing ${obj.rel}`, stop.signal);
              // Keep the first real cause, not the Aborted of the files stopped because of it.
              const prev = failed as StorageError | undefined;
              if (prev === undefined || (prev.reason === 'Aborted' && e.reason !== 'Aborted' && !ctx.signal?.aborted)) failed = e;
              stop.abort();
              return;
            }
            progress.files = (progress.files ?? 0) + 1;
            ctx.log?.debug('s3 object downloaded', { uri: uri.display, key: obj.key, bytes: obj.size });
          }
        };
        try {
          await Promise.all(Array.from({ length: Math.min(fileConcurrency, queue.length) }, worker));
        } finally {
          ctx.signal?.removeEventListener('abort', onAbort);
        }
        if (failed !== undefined) throw failed;
        report(true);
        // KServe (`_download_s3`): exactly one object whose name says tar/zip is unpacked in place.
        if (listing.objects.length === 1) await unpackSingleArchive(root, listing.objects[0]!.rel, uri.display, options.archiveLimits);
      });
    },
  };
}
