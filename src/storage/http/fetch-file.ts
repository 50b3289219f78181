/**
 * One HTTP(S) GET streamed to a file, resumed with `Range` when the connection is cut and retried
 * with exponential backoff (bounded) on transient failures: cut bodies, 5xx, 429, refused or reset
 * connections. Status mapping: 401/403 → Forbidden, 404/410 → NotFound, other 4xx → NotFound
 * with the status named; transient failures that outlast the retries → Unreachable (never reached
 * the body) or Interrupted (the body was cut every time). Header values are never logged.
 */
import { createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { backoffDelayMs } from '../../core/backoff.ts';
import type { Clock } from '../../core/clock.ts';
import type { Logger } from '../../core/logger.ts';
import { type Progress, StorageError } from '../provider.ts';

export interface RetryPolicy {
  /** Tries in all, first included (default 5). */
  maxAttempts: number;
  /** Backoff base: the n-th retry waits base·2^(n−1), capped (defaults 500 ms, 8 s). */
  baseDelayMs: number;
  maxDelayMs: number;
  /** An attempt with no response or no body bytes for this long is cut and retried (default 30 s, KServe's timeout). */
  idleTimeoutMs: number;
  /** Injected so tests step nothing and wait no real seconds. */
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  clock: Clock;
}

export const realSleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new StorageError('Aborted', 'aborted'));
      return;
    }
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(t);
      reject(new StorageError('Aborted', 'aborted'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });

export interface FetchFileArgs {
  url: string;
  /** For messages: the URL without credentials. */
  display: string;
  headers: Record<string, string>;
  file: string;
  /** A validator for `If-Range` so a resumed range never splices two versions of the file. */
  validator?: string;
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
  log?: Logger;
  retry: RetryPolicy;
  /** Checks the first response (Content-Type rules); throws to stop without retrying. */
  check?: (res: Response) => void;
}

/** Maps a final status to the contract's reason, or undefined when it is worth retrying. */
export function statusError(status: number, display: string): StorageError | undefined {
  if (status === 401 || status === 403) return new StorageError('Forbidden', `${display}: HTTP ${status}: check the credentials or the <host>-headers env`);
  if (status === 404 || status === 410) return new StorageError('NotFound', `${display}: HTTP ${status}: no such file`);
  if (status === 408 || status === 429 || status >= 500) return undefined;
  if (status >= 400) return new StorageError('NotFound', `${display}: HTTP ${status}`);
  return undefined;
}

export function networkError(err: unknown, display: string): StorageError {
  if (err instanceof StorageError) return err;
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  const code = cause?.code ?? (err as NodeJS.ErrnoException).code;
  return new StorageError('Unreachable', `${display}: ${code ?? cause?.message ?? (err as Error).message}`, { cause: err });
}

function isDiskFull(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT';
}

/**
 * Cuts an attempt that has had no response or no body bytes for `ms` (a stalled server), and
 * forwards the caller's abort. `touch()` on every chunk.
 */
class Stall {
  private readonly ctl = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  stalled = false;
  private readonly onOuter = (): void => this.ctl.abort(this.outer?.reason);

  constructor(
    private readonly ms: number,
    private readonly outer?: AbortSignal,
  ) {
    if (outer?.aborted) this.ctl.abort(outer.reason);
    outer?.addEventListener('abort', this.onOuter, { once: true });
    this.touch();
  }

  get signal(): AbortSignal {
    return this.ctl.signal;
  }

  touch(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.stalled = true;
      this.ctl.abort(new Error(`no bytes for ${this.ms} ms`));
    }, this.ms);
    this.timer.unref();
  }

  done(): void {
    clearTimeout(this.timer);
    this.outer?.removeEventListener('abort', this.onOuter);
  }
}

/** Streams `url` into `file`; resolves with the byte count once Content-Length is met. */
export async function fetchToFile(a: FetchFileArgs): Promise<number> {
  const st = { written: 0, total: undefined as number | undefined, lastReport: 0 };
  let lastErr: StorageError | undefined;
  for (let attempt = 1; attempt <= a.retry.maxAttempts; attempt++) {
    if (attempt > 1) {
      const ms = backoffDelayMs(attempt - 1, a.retry.baseDelayMs, a.retry.maxDelayMs);
      a.log?.warn('http: retrying', { uri: a.display, attempt, delayMs: ms, resumeAt: st.written, reason: lastErr?.message });
      await a.retry.sleep(ms, a.signal);
    }
    const stall = new Stall(a.retry.idleTimeoutMs, a.signal);
    let r: StorageError | 'done';
    try {
      r = await attemptOnce(a, st, stall);
    } finally {
      stall.done();
    }
    if (r === 'done') {
      a.onProgress?.({ bytes: st.written, totalBytes: st.total, files: 1, totalFiles: 1 });
      return st.written;
    }
    lastErr = r;
  }
  const e = lastErr ?? new StorageError('Unreachable', a.display);
  throw new StorageError(e.reason, `${e.message} (after ${a.retry.maxAttempts} attempts)`, { cause: e });
}

interface AttemptState {
  written: number;
  total: number | undefined;
  lastReport: number;
}

/** One request: 'done' when the file is complete, or the error worth retrying. Throws what is not. */
async function attemptOnce(a: FetchFileArgs, st: AttemptState, stall: Stall): Promise<StorageError | 'done'> {
  const headers: Record<string, string> = { ...a.headers, 'accept-encoding': 'identity' };
  if (st.written > 0) {
    headers.range = `bytes=${st.written}-`;
    if (a.validator) headers['if-range'] = a.validator;
  }
  let res: Response;
  try {
    res = await fetch(a.url, { headers, redirect: 'follow', signal: stall.signal });
  } catch (err) {
    if (a.signal?.aborted) throw new StorageError('Aborted', `${a.display}: aborted`, { cause: err });
    if (stall.stalled) return new StorageError('Unreachable', `${a.display}: no response for ${a.retry.idleTimeoutMs} ms`, { cause: err });
    return networkError(err, a.display);
  }
  if (res.status === 416 && st.total !== undefined && st.written === st.total) {
    await res.body?.cancel();
    return 'done';
  }
  const fatal = statusError(res.status, a.display);
  if (fatal) {
    await res.body?.cancel();
    throw fatal;
  }
  if (res.status !== 200 && res.status !== 206) {
    await res.body?.cancel();
    return new StorageError('Unreachable', `${a.display}: HTTP ${res.status}`);
  }
  let append = false;
  if (res.status === 206 && st.written > 0) {
    const m = /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(res.headers.get('content-range') ?? '');
    if (!m || Number(m[1]) !== st.written) {
      await res.body?.cancel();
      st.written = 0;
      return new StorageError('Interrupted', `${a.display}: the server answered a resume with the wrong range (${res.headers.get('content-range')})`);
    }
    if (m[2] !== '*') st.total = Number(m[2]);
    append = true;
  } else {
    // A full body (first try, or the server ignored Range / the file changed): start over.
    a.check?.(res);
    st.written = 0;
    const len = res.headers.get('content-length');
    st.total = len === null ? undefined : Number(len);
  }
  if (!res.body) return new StorageError('Interrupted', `${a.display}: empty response`);
  const counter = new Transform({
    transform(chunk: Buffer, _e, cb): void {
      st.written += chunk.length;
      stall.touch();
      const now = a.retry.clock.nowMs();
      if (now - st.lastReport >= 100) {
        st.lastReport = now;
        a.onProgress?.({ bytes: st.written, totalBytes: st.total, files: 0, totalFiles: 1 });
      }
      cb(null, chunk);
    },
  });
  try {
    await pipeline(Readable.fromWeb(res.body as unknown as WebReadableStream<Uint8Array>), counter, createWriteStream(a.file, { flags: append ? 'a' : 'w' }));
  } catch (err) {
    if (isDiskFull(err)) throw new StorageError('DiskFull', `${a.display}: the disk is full writing ${a.file} (${(err as NodeJS.ErrnoException).code})`, { cause: err });
    if (a.signal?.aborted) throw new StorageError('Aborted', `${a.display}: aborted`, { cause: err });
    // Chunks counted but still queued in the destroyed write stream never reached the disk:
    // resume from what the file really holds.
    st.written = await stat(a.file).then((s) => s.size, () => 0);
    const why = stall.stalled ? `no bytes for ${a.retry.idleTimeoutMs} ms` : 'the connection was cut';
    return new StorageError('Interrupted', `${a.display}: ${why} after ${st.written} bytes`, { cause: err });
  }
  if (st.total !== undefined && st.written !== st.total) {
    const got = st.written;
    if (st.written > st.total) st.written = 0;
    return new StorageError('Interrupted', `${a.display}: got ${got} of ${st.total} bytes (Content-Length)`);
  }
  return 'done';
}
