/**
 * Per-replica log files: `<dataDir>/logs/<revision, '/' → '_'>/<replica>.log`. The child writes to
 * the file directly (its stdout and stderr are the file's descriptor), so logging costs the driver
 * nothing and survives the driver's death; restarts append to the same file.
 */
import { closeSync, fstatSync, mkdirSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';

export function logFilePath(dataDir: string, revision: string, replica: string): string {
  return join(dataDir, 'logs', revision.replaceAll('/', '_'), `${replica}.log`);
}

/** Opens the log file for appending (creating its folder); the caller passes the fd to spawn and closes it. */
export function openLog(path: string): { fd: number; offset: number } {
  mkdirSync(join(path, '..'), { recursive: true });
  const fd = openSync(path, 'a');
  return { fd, offset: fstatSync(fd).size };
}

/** The last `lines` lines written since `offset` (this run's output only), reading at most 64 KiB. */
export function readLogTail(path: string, offset: number, lines: number): string {
  if (lines === 0) return '';
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return '';
  }
  try {
    const size = fstatSync(fd).size;
    const start = Math.max(offset, size - 65_536);
    const buf = Buffer.alloc(Math.max(0, size - start));
    readSync(fd, buf, 0, buf.length, start);
    const all = buf.toString('utf8').split('\n');
    if (all.at(-1) === '') all.pop();
    return all.slice(-lines).join('\n');
  } finally {
    closeSync(fd);
  }
}
