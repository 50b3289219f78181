/**
 * MD5 of a file being written in parts, computed on a worker thread so hashing (≈ 1.5 s of CPU
 * per GB) runs beside the download instead of stalling the event loop that moves the bytes. The
 * download tells it how far the file is complete from its start (`advance`); the worker reads that
 * span back (from the page cache: the bytes were just written) and hashes it, so the digest is
 * ready a moment after the last part lands.
 */
import { Worker } from 'node:worker_threads';

// Plain JavaScript, evaluated in the worker (no TypeScript loader there).
const WORKER_SRC = `
const { parentPort } = require('node:worker_threads');
const { openSync, readSync, closeSync } = require('node:fs');
const { createHash } = require('node:crypto');
const hash = createHash('md5');
const buf = Buffer.allocUnsafe(4 << 20);
let fd, at = 0, failed;
parentPort.on('message', (m) => {
  try {
    if (failed) { if (m.type === 'finish') parentPort.postMessage({ error: String(failed.message || failed) }); return; }
    if (m.type === 'open') fd = openSync(m.path, 'r');
    if (m.type === 'advance' || m.type === 'finish') {
      while (at < m.to) {
        const n = readSync(fd, buf, 0, Math.min(buf.length, m.to - at), at);
        if (n === 0) throw new Error('short read at byte ' + at);
        hash.update(buf.subarray(0, n));
        at += n;
      }
    }
    if (m.type === 'finish') { closeSync(fd); fd = undefined; parentPort.postMessage({ digest: hash.digest('hex') }); }
  } catch (err) {
    failed = err;
    if (fd !== undefined) try { closeSync(fd); } catch {}
    parentPort.postMessage({ error: String(err && err.message || err) });
  }
});
`;

export interface FileMd5 {
  /** Bytes [0, to) of the file are written. Calls must not go backwards. */
  advance(to: number): void;
  /** Hashes up to `size` and returns the hex digest; ends the worker. */
  digest(size: number): Promise<string>;
  /** Ends the worker without a digest (idempotent). */
  close(): Promise<void>;
}

/** Starts a hashing worker for `file`. */
export function fileMd5(file: string): FileMd5 {
  const worker = new Worker(WORKER_SRC, { eval: true });
  let error: Error | undefined;
  let pending: ((m: { digest?: string; error?: string }) => void) | undefined;
  worker.on('message', (m: { digest?: string; error?: string }) => {
    if (m.error !== undefined) error ??= new Error(`hashing ${file}: ${m.error}`);
    pending?.(m);
  });
  worker.on('error', (err) => {
    error ??= err;
    pending?.({ error: err.message });
  });
  worker.postMessage({ type: 'open', path: file });
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await worker.terminate();
  };
  return {
    advance(to) {
      if (!closed) worker.postMessage({ type: 'advance', to });
    },
    async digest(size) {
      if (error) throw error;
      const reply = await new Promise<{ digest?: string; error?: string }>((resolve) => {
        pending = resolve;
        worker.postMessage({ type: 'finish', to: size });
      });
      await close();
      if (reply.digest === undefined) throw error ?? new Error(`hashing ${file}: ${reply.error ?? 'no digest'}`);
      return reply.digest;
    },
    close,
  };
}
