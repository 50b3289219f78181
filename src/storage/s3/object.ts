/**
 * One object to one file, streaming, memory flat. Small objects: one GET, hashed as the bytes
 * arrive. Large objects: the file is pre-sized and `partConcurrency` ranged GETs of `partSizeBytes`
 * each write their bytes at their own offsets (positioned writes, no reassembly buffer); a hasher
 * thread (./md5-worker.ts) reads completed parts back in order (from the page cache), so the MD5
 * is ready soon after the last part lands.
 *
 * Every GET resumes where it stopped: a cut connection costs one `Range: bytes=<next>-<end>`
 * request after a backoff, not the part. Worked example with the defaults (8 MiB parts, 8 at once,
 * 5 attempts, 200 ms base): an 800 MiB object is 100 parts, at most 8 in flight; a part cut at
 * 3 MiB is asked again from 3 MiB after 200 ms, then 400 ms, 800 ms, 1.6 s; a fifth failure ends
 * the download as Interrupted.
 *
 * A single-part ETag (32 hex digits, no '-') is the MD5 of the object: a mismatch is
 * ChecksumMismatch. Multipart ETags are not a content hash and are not checked.
 */
import { createHash, type Hash } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { backoffDelayMs } from '../../core/backoff.ts';
import { StorageError } from '../provider.ts';
import { isTransient, toStorageError } from './errors.ts';
import type { S3Object } from './listing.ts';
import { fileMd5 } from './md5-worker.ts';

export interface ObjectFetchOptions {
  /** Objects at least this large use parallel ranged GETs. */
  readonly rangedThresholdBytes: number;
  readonly partSizeBytes: number;
  readonly partConcurrency: number;
  /** Attempts per GET range (the SDK's own retries of the request come on top). */
  readonly maxAttempts: number;
  readonly retryBaseMs: number;
  readonly retryCapMs: number;
  /** Waits `ms` (injected so tests need not sleep); rejects when `signal` aborts. */
  readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Check single-part ETags against the MD5 of the bytes (default on; ≈ 1.5 CPU-s per GB). */
  readonly verifyMd5: boolean;
}

export interface ObjectFetchTarget {
  readonly client: S3Client;
  readonly bucket: string;
  readonly display: string;
  readonly signal?: AbortSignal;
  /** Aborts `signal`: called on a part's failure so the other parts stop at once. */
  readonly stopAll?: () => void;
  /** Called with each batch of bytes written. */
  readonly onBytes: (n: number) => void;
}

/** Bytes gathered before one positioned write (fewer syscalls than one write per socket chunk). */
const WRITE_BATCH_BYTES = 1 << 20;

const md5Etag = (etag: string): string | undefined => (/^[0-9a-f]{32}$/i.test(etag) ? etag.toLowerCase() : undefined);

/**
 * Streams bytes [start, end] (inclusive) of the object into `fh` at the same offsets, resuming
 * after transient failures. `hash`, when given, sees the bytes in order (callers pass it only when
 * this range is read in order from the object's start).
 */
async function fetchRange(t: ObjectFetchTarget, obj: S3Object, fh: FileHandle, start: number, end: number, opts: ObjectFetchOptions, hash?: Hash): Promise<void> {
  let next = start;
  for (let attempt = 1; ; attempt++) {
    try {
      const whole = start === 0 && end === obj.size - 1 && next === 0;
      const res = await t.client.send(
        new GetObjectCommand({ Bucket: t.bucket, Key: obj.key, ...(whole ? {} : { Range: `bytes=${next}-${end}` }), ...(obj.etag ? { IfMatch: `"${obj.etag}"` } : {}) }),
        { abortSignal: t.signal },
      );
      const body = res.Body as AsyncIterable<Uint8Array> | undefined;
      if (!body) throw new StorageError('Interrupted', `Interrupted: ${t.display}: ${obj.key}: empty response body`);
      let batch: Uint8Array[] = [];
      let batchBytes = 0;
      const flush = async (): Promise<void> => {
        if (batchBytes === 0) return;
        await fh.writev(batch, next);
        if (hash) for (const c of batch) hash.update(c);
        next += batchBytes;
        t.onBytes(batchBytes);
        batch = [];
        batchBytes = 0;
      };
      try {
        for await (const chunk of body) {
          if (next + batchBytes + chunk.length > end + 1) throw new StorageError('Interrupted', `Interrupted: ${t.display}: ${obj.key}: the server sent more bytes than asked for`);
          batch.push(chunk);
          batchBytes += chunk.length;
          if (batchBytes >= WRITE_BATCH_BYTES) await flush();
        }
        await flush();
      } catch (err) {
        // Keep what arrived intact: it is written, and the next attempt resumes after it.
        if (!(err instanceof StorageError) && !t.signal?.aborted && (err as NodeJS.ErrnoException).code !== 'ENOSPC') await flush().catch(() => undefined);
        throw err instanceof StorageError || (err as NodeJS.ErrnoException).code === 'ENOSPC' || t.signal?.aborted
          ? err
          : new StorageError('Interrupted', `Interrupted: ${t.display}: ${obj.key}: connection cut at byte ${next} of ${obj.size} (${(err as Error).message})`, { cause: err });
      }
      if (next !== end + 1) throw new StorageError('Interrupted', `Interrupted: ${t.display}: ${obj.key}: the response ended at byte ${next}, expected ${end + 1}`);
      return;
    } catch (err) {
      if (t.signal?.aborted) throw toStorageError(err, t.display, t.bucket, `downloading ${obj.key}`, t.signal);
      if (!isTransient(err) || attempt >= opts.maxAttempts) {
        const mapped = toStorageError(err, t.display, t.bucket, `downloading ${obj.key}`, t.signal);
        // A range that started arriving and then failed for good was interrupted, not unreachable.
        if (mapped.reason === 'Unreachable' && next > start) {
          throw new StorageError('Interrupted', `Interrupted: ${t.display}: ${obj.key}: gave up after ${attempt} attempts at byte ${next} of ${obj.size} (${mapped.message})`, { cause: err });
        }
        throw mapped;
      }
      await opts.sleep(backoffDelayMs(attempt, opts.retryBaseMs, opts.retryCapMs), t.signal);
    }
  }
}

/** Downloads `obj` into `file` (created or truncated). Throws StorageError. */
export async function fetchObject(t: ObjectFetchTarget, obj: S3Object, file: string, opts: ObjectFetchOptions): Promise<void> {
  let fh: FileHandle;
  try {
    fh = await open(file, 'w+');
  } catch (err) {
    throw toStorageError(err, t.display, t.bucket, `creating ${obj.rel}`);
  }
  const expected = opts.verifyMd5 ? md5Etag(obj.etag) : undefined;
  try {
    if (obj.size === 0) return;
    let actual: string | undefined;
    if (obj.size < opts.rangedThresholdBytes) {
      const hash = expected ? createHash('md5') : undefined;
      await fetchRange(t, obj, fh, 0, obj.size - 1, opts, hash);
      actual = hash?.digest('hex');
    } else {
      await fh.truncate(obj.size);
      const parts = Math.ceil(obj.size / opts.partSizeBytes);
      const hasher = expected ? fileMd5(file) : undefined;
      const done = new Array<boolean>(parts).fill(false);
      let contiguous = 0;
      let nextPart = 0;
      let failed: Error | undefined;
      const worker = async (): Promise<void> => {
        while (failed === undefined && nextPart < parts) {
          const i = nextPart++;
          const start = i * opts.partSizeBytes;
          try {
            await fetchRange(t, obj, fh, start, Math.min(obj.size, start + opts.partSizeBytes) - 1, opts);
          } catch (err) {
            const e = err instanceof Error ? err : new Error(String(err));
            // The first real cause wins over the Aborted of the parts stopped because of it.
            const prev = failed as Error | undefined;
            if (prev === undefined || (prev instanceof StorageError && prev.reason === 'Aborted')) failed = e;
            t.stopAll?.();
            return;
          }
          done[i] = true;
          if (i === contiguous) {
            while (contiguous < parts && done[contiguous]) contiguous++;
            hasher?.advance(Math.min(obj.size, contiguous * opts.partSizeBytes));
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(opts.partConcurrency, parts) }, worker));
      try {
        if (failed !== undefined) throw failed;
        actual = await hasher?.digest(obj.size);
      } finally {
        await hasher?.close();
      }
    }
    if (expected && actual !== expected) {
      throw new StorageError('ChecksumMismatch', `ChecksumMismatch: ${t.display}: ${obj.key}: MD5 of the downloaded bytes is ${actual}, the object's ETag says ${expected}`);
    }
  } catch (err) {
    throw toStorageError(err, t.display, t.bucket, `downloading ${obj.key}`, t.signal);
  } finally {
    await fh.close().catch(() => undefined);
  }
}
