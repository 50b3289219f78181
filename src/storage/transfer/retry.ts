/**
 * Retries for remote providers: transient failures (`Unreachable`, `Interrupted`: connection
 * refused or cut, 5xx, 429) are retried with exponential backoff; everything else (NotFound,
 * Forbidden, ChecksumMismatch ...) fails at once. With the defaults (4 attempts, base 200 ms,
 * cap 5 s) a dead server costs 200 + 400 + 800 ms of waiting before `Unreachable` is final.
 */
import { backoffDelayMs } from '../../core/backoff.ts';
import { StorageError } from '../provider.ts';

export interface RetryOptions {
  /** Tries in all, first included (≥ 1). */
  readonly attempts: number;
  readonly baseMs: number;
  readonly capMs: number;
  /** Injected so tests do not wait on timers (house rule 4). */
  readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export function realSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortedError());
    const onAbort = (): void => {
      clearTimeout(t);
      reject(abortedError());
    };
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export const defaultRetry: RetryOptions = Object.freeze({ attempts: 4, baseMs: 200, capMs: 5_000, sleep: realSleep });

export function abortedError(): StorageError {
  return new StorageError('Aborted', 'download aborted by the caller');
}

export function isTransient(err: unknown): boolean {
  return err instanceof StorageError && (err.reason === 'Unreachable' || err.reason === 'Interrupted');
}

/** Runs `fn` until it succeeds, fails with a non-transient error, or attempts run out. */
export async function withRetry<T>(fn: (attempt: number) => Promise<T>, opts: RetryOptions, signal?: AbortSignal): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    if (signal?.aborted) throw abortedError();
    try {
      return await fn(attempt);
    } catch (err) {
      if (signal?.aborted) throw abortedError();
      if (!isTransient(err) || attempt >= opts.attempts) throw err;
      await opts.sleep(backoffDelayMs(attempt, opts.baseMs, opts.capMs), signal);
    }
  }
}
