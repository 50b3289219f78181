/**
 * A rate-limited work queue keyed by `namespace/name`, as client-go's workqueue: a key queued twice
 * is processed once (dedup), a key is never handed to two workers at once (a key added while it is
 * being processed is queued again when `done` is called), failures back off per key
 * exponentially up to a cap, and a global token bucket bounds how fast keys are handed out.
 *
 * The queue is pure: it never sets timers. `take()` answers a key, or how long to wait before one
 * could be ready; the runner (reconciler.ts) owns the timer. Time comes from the injected clock, so
 * tests step it.
 *
 * Backoff, worked example with baseDelayMs 5 and maxDelayMs 1000: failures 1, 2, 3 ... of a key wait
 * 5, 10, 20, 40, ... ms, capped at 1000 ms from the 9th failure on; `forget(key)` (a success)
 * starts it at 5 ms again.
 */
import { backoffDelayMs } from '../../core/backoff.ts';
import type { Clock } from '../../core/clock.ts';

export interface WorkQueueOptions {
  clock: Clock;
  /** First retry delay after a failure (default 5 ms, as client-go). */
  baseDelayMs?: number;
  /** Cap on the per-key retry delay (default 300 000 ms). */
  maxDelayMs?: number;
  /** Global rate: keys handed out per second (default 10, as client-go's bucket limiter). */
  perSecond?: number;
  /** Global burst: keys handed out at once before the rate applies (default 100). */
  burst?: number;
}

/** What `take()` answers: a key to process now, a wait before the next could be ready, or idle. */
export type Take = { key: string } | { waitMs: number } | { idle: true };

/** The per-key retry delay after `failures` consecutive failures (≥ 1): base·2^(failures−1), capped. */
export { backoffDelayMs };

export class WorkQueue {
  readonly #clock: Clock;
  readonly #base: number;
  readonly #max: number;
  readonly #perSecond: number;
  readonly #burst: number;
  /** Key → the time (ms) it becomes ready. */
  readonly #queued = new Map<string, number>();
  readonly #processing = new Set<string>();
  /** Keys added while processing: queued again (at this time) by `done`. */
  readonly #dirty = new Map<string, number>();
  readonly #failures = new Map<string, number>();
  #tokens: number;
  #tokensAt: number;

  constructor(opts: WorkQueueOptions) {
    this.#clock = opts.clock;
    this.#base = positive('baseDelayMs', opts.baseDelayMs ?? 5);
    this.#max = positive('maxDelayMs', opts.maxDelayMs ?? 300_000);
    this.#perSecond = positive('perSecond', opts.perSecond ?? 10);
    this.#burst = positive('burst', opts.burst ?? 100);
    this.#tokens = this.#burst;
    this.#tokensAt = this.#clock.nowMs();
  }

  /** Queues the key now (a key already queued keeps the earlier time). */
  add(key: string): void {
    this.addAfter(key, 0);
  }

  /** Queues the key `delayMs` from now; an earlier pending time wins. */
  addAfter(key: string, delayMs: number): void {
    const at = this.#clock.nowMs() + Math.max(0, delayMs);
    const target = this.#processing.has(key) ? this.#dirty : this.#queued;
    const prev = target.get(key);
    if (prev === undefined || at < prev) target.set(key, at);
  }

  /** A failure: queues the key after its next backoff delay. */
  addRateLimited(key: string): void {
    const n = (this.#failures.get(key) ?? 0) + 1;
    this.#failures.set(key, n);
    this.addAfter(key, backoffDelayMs(n, this.#base, this.#max));
  }

  /** A success: the key's backoff starts over. */
  forget(key: string): void {
    this.#failures.delete(key);
  }

  /** Consecutive failures recorded for the key. */
  failures(key: string): number {
    return this.#failures.get(key) ?? 0;
  }

  /** Hands out the earliest ready key (now marked processing), or says how long to wait. */
  take(): Take {
    if (this.#queued.size === 0) return { idle: true };
    const now = this.#clock.nowMs();
    let best: string | undefined;
    let bestAt = Infinity;
    for (const [k, at] of this.#queued) if (at < bestAt) [best, bestAt] = [k, at];
    if (bestAt > now) return { waitMs: bestAt - now };
    this.#refill(now);
    if (this.#tokens < 1) return { waitMs: Math.ceil(((1 - this.#tokens) * 1000) / this.#perSecond) };
    this.#tokens -= 1;
    const key = best as string;
    this.#queued.delete(key);
    this.#processing.add(key);
    return { key };
  }

  /** The worker finished the key: a key added meanwhile is queued again. */
  done(key: string): void {
    this.#processing.delete(key);
    const at = this.#dirty.get(key);
    if (at === undefined) return;
    this.#dirty.delete(key);
    const prev = this.#queued.get(key);
    if (prev === undefined || at < prev) this.#queued.set(key, at);
  }

  /** Keys queued (not counting those being processed). */
  get length(): number {
    return this.#queued.size;
  }

  /** Whether nothing is queued or being processed. */
  get idle(): boolean {
    return this.#queued.size === 0 && this.#processing.size === 0;
  }

  #refill(now: number): void {
    const elapsed = Math.max(0, now - this.#tokensAt);
    this.#tokens = Math.min(this.#burst, this.#tokens + (elapsed * this.#perSecond) / 1000);
    this.#tokensAt = now;
  }
}

function positive(field: string, v: number): number {
  if (!Number.isFinite(v) || v <= 0) throw new RangeError(`work queue option ${field}: ${String(v)} is not allowed: expected a finite number > 0`);
  return v;
}
