/** Everything long-lived has an idempotent graceful close(). */
export interface Closeable {
  close(): Promise<void>;
}

/** Wraps a close function so that calling it twice returns the first call's promise. */
export function once(fn: () => Promise<void>): () => Promise<void> {
  let p: Promise<void> | undefined;
  return () => (p ??= fn());
}
