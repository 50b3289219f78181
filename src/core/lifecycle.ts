/** Everything long-lived has an idempotent graceful close(). */
export interface Closeable {
  close(): Promise<void>;
}

/** Wraps a close function so that calling it twice returns the first call's promise. */
export function once(fn: () => Promise<void>): () => Promise<void> {
  let p: Promise<void> | undefined;
  return () => (p ??= fn());
}

/**
 * Resolves once SIGTERM or SIGINT has arrived and `stop` has finished (a failing stop is logged,
 * not thrown): the shutdown path of every long-running command. The handlers are installed
 * synchronously, before this returns, so a signal right after startup output is not lost.
 */
export function untilSignal(stop: (signal: string) => Promise<void>, onError: (err: unknown) => void): Promise<void> {
  return new Promise<void>((resolve) => {
    const handle = (signal: string): void => {
      process.off('SIGTERM', onTerm);
      process.off('SIGINT', onInt);
      stop(signal).then(resolve, (err: unknown) => {
        onError(err);
        resolve();
      });
    };
    const onTerm = (): void => handle('SIGTERM');
    const onInt = (): void => handle('SIGINT');
    process.on('SIGTERM', onTerm);
    process.on('SIGINT', onInt);
  });
}
