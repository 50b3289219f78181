/**
 * Streams one remote object into a file under the download directory: resumes from the bytes
 * already written when the source honours a range (else restarts), checks the size and any
 * published checksum, maps disk errors. Memory stays at one chunk: the body is consumed as an
 * async iterable and written with backpressure.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, dirname } from 'node:path';
import { once } from 'node:events';
import { StorageError } from '../provider.ts';
import { Verifier, type ExpectedChecksums } from './checksum.ts';
import type { ProgressTracker } from './progress.ts';
import { abortedError, withRetry, type RetryOptions } from './retry.ts';

/** A response body and the byte offset it starts at (0 when the source ignored the range). */
export interface OpenedBody {
  readonly body: AsyncIterable<Uint8Array>;
  readonly start: number;
}

export interface FileJob {
  /** Path relative to the download directory ('/'-separated). */
  readonly relPath: string;
  /** For messages: the object's display name (no credentials). */
  readonly what: string;
  readonly size?: number;
  readonly expected?: ExpectedChecksums;
  /** Opens the body from `offset` (a Range request when > 0). Throws StorageError. */
  open(offset: number, signal?: AbortSignal): Promise<OpenedBody>;
}

/** `dest/rel`, refusing names that would land outside `dest` (`../x`, `/etc/x`). */
export function safeJoin(dest: string, rel: string, what: string): string {
  const cleaned = rel.replace(/\\/g, '/');
  const target = resolve(dest, cleaned);
  const r = relative(resolve(dest), target);
  if (cleaned === '' || isAbsolute(cleaned) || r === '' || r.startsWith('..') || isAbsolute(r)) {
    throw new StorageError('UnsafeArchive', `${what}: object name ${JSON.stringify(rel)} would be written outside the model directory`);
  }
  return join(dest, cleaned);
}

function diskError(err: unknown, what: string): StorageError | undefined {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOSPC' || code === 'EDQUOT') return new StorageError('DiskFull', `${what}: no space left on the device`, { cause: err });
  return undefined;
}

async function sizeOf(file: string): Promise<number> {
  try {
    return (await stat(file)).size;
  } catch {
    return 0;
  }
}

/** Downloads one file with retries and resume; resolves with the bytes written. */
export async function downloadFile(job: FileJob, dest: string, progress: ProgressTracker, retry: RetryOptions, signal?: AbortSignal): Promise<number> {
  const file = safeJoin(dest, job.relPath, job.what);
  await mkdir(dirname(file), { recursive: true });
  let counted = 0; // bytes of this file reported to progress
  await withRetry(
    async (attempt) => {
      const partial = attempt === 1 ? 0 : await sizeOf(file);
      // A partial file as long as the object (cut after its last byte, or a server that sent
      // too much) is restarted: a Range from its end would only get a 416.
      const have = job.size !== undefined && partial >= job.size ? 0 : partial;
      const opened = await job.open(have, signal);
      const start = opened.start === have ? have : 0;
      if (start === 0 && counted > 0) {
        progress.addBytes(-counted);
        counted = 0;
      }
      const verifier = new Verifier(job.expected ?? {});
      if (start > 0 && verifier.active) for await (const chunk of createReadStream(file, { end: start - 1 })) verifier.update(chunk as Buffer);
      const out = createWriteStream(file, { flags: start > 0 ? 'a' : 'w' });
      let written = start;
      let outError: unknown;
      let bodyError: unknown;
      out.on('error', (e) => (outError = e));
      try {
        for await (const chunk of opened.body) {
          if (outError) break;
          verifier.update(chunk);
          written += chunk.length;
          counted += chunk.length;
          progress.addBytes(chunk.length);
          if (!out.write(chunk)) await Promise.race([once(out, 'drain'), once(out, 'error')]);
        }
      } catch (err) {
        bodyError = err;
      }
      // Flush what arrived (also after a cut: the next attempt resumes from the file's size).
      out.end();
      await Promise.race([once(out, 'finish'), once(out, 'error')]).catch(() => undefined);
      if (bodyError !== undefined) {
        if (signal?.aborted) throw abortedError();
        throw diskError(bodyError, job.what) ?? new StorageError('Interrupted', `${job.what}: the connection was cut after ${written} bytes`, { cause: bodyError });
      }
      if (outError) throw diskError(outError, job.what) ?? new StorageError('Interrupted', `${job.what}: writing failed (${(outError as Error).message})`, { cause: outError });
      if (job.size !== undefined && written !== job.size) {
        throw new StorageError('Interrupted', `${job.what}: got ${written} of ${job.size} bytes`);
      }
      const bad = verifier.mismatch();
      if (bad) {
        await rm(file, { force: true });
        throw new StorageError('ChecksumMismatch', `${job.what}: ${bad}`);
      }
    },
    retry,
    signal,
  );
  progress.fileDone();
  return counted;
}

/** Runs `jobs` with at most `concurrency` in flight; the first failure aborts the rest. */
export async function downloadAll(
  jobs: readonly FileJob[],
  dest: string,
  progress: ProgressTracker,
  retry: RetryOptions,
  concurrency: number,
  signal?: AbortSignal,
): Promise<void> {
  const inner = new AbortController();
  const onAbort = (): void => inner.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  let next = 0;
  let failure: Error | undefined;
  const worker = async (): Promise<void> => {
    while (failure === undefined && next < jobs.length) {
      const job = jobs[next++]!;
      try {
        await downloadFile(job, dest, progress, retry, inner.signal);
      } catch (err) {
        if (failure === undefined) failure = err instanceof Error ? err : new Error(String(err));
        inner.abort();
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, jobs.length)) }, worker));
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
  if (failure !== undefined) {
    if (signal?.aborted) throw abortedError();
    throw failure;
  }
  progress.finish();
}

/** Adapts a fetch Response body (web stream) to an async iterable of Uint8Array. */
export function webBody(res: Response): AsyncIterable<Uint8Array> {
  if (!res.body) return (async function* () {})();
  return res.body;
}
