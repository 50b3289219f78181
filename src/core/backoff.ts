/**
 * Exponential backoff: the delay after the n-th consecutive failure (n ≥ 1) is base·2^(n−1),
 * capped. With base 1,000 and cap 10,000: 1 s, 2 s, 4 s, 8 s, 10 s, 10 s … Used by the
 * reconciler's work queue (per-key retries) and the process driver (replica restarts, as the
 * kubelet's CrashLoopBackOff).
 */
export function backoffDelayMs(n: number, baseMs: number, capMs: number): number {
  return Math.min(capMs, baseMs * 2 ** Math.min(Math.max(n - 1, 0), 52));
}
