/**
 * Path rules shared by the tar and zip extractors, and the limits both enforce. An archive entry
 * may only land under the target directory: KServe's Python initializer gets this from
 * `tarfile`'s `filter="data"`; here it is explicit so both formats apply the same rules.
 */
import { posix, resolve, sep } from 'node:path';
import { StorageError } from '../provider.ts';

const GiB = 1024 ** 3;

/** Bomb limits. A compressed model rarely expands more than ~1.2×; 20× is far beyond honest data. */
export interface ExtractLimits {
  /** Most bytes written in all. Default: 20 × the archive's size, at least 1 GiB, at most 50 GiB. */
  maxExpandedBytes?: number;
  /** Most entries (files, directories, links). Default 100,000. */
  maxEntries?: number;
}

export interface ResolvedLimits {
  readonly maxExpandedBytes: number;
  readonly maxEntries: number;
}

export const DEFAULT_MAX_ENTRIES = 100_000;
export const DEFAULT_EXPANSION_RATIO = 20;

/**
 * Worked example: a 3 MiB `.tar.gz` → 20 × 3 MiB = 60 MiB, raised to the 1 GiB floor → 1 GiB;
 * a 4 GiB `.tar` → 80 GiB, capped → 50 GiB. Explicit values win.
 */
export function resolveLimits(archiveBytes: number, limits: ExtractLimits = {}): ResolvedLimits {
  const ratio = Math.min(50 * GiB, Math.max(1 * GiB, DEFAULT_EXPANSION_RATIO * archiveBytes));
  return Object.freeze({
    maxExpandedBytes: limits.maxExpandedBytes ?? ratio,
    maxEntries: limits.maxEntries ?? DEFAULT_MAX_ENTRIES,
  });
}

/**
 * The normalised relative path of an entry, or a StorageError('UnsafeArchive') when it is
 * absolute (`/etc/passwd`, `C:\x`, `\\host\x`) or climbs out (`../evil`, `a/../../evil`).
 * Returns '' for the archive root itself (`./`).
 */
export function safeRelative(entryPath: string, what: string): string {
  const p = entryPath.replace(/\\/g, '/');
  if (p.startsWith('/') || /^[a-zA-Z]:/.test(p)) throw unsafe(what, `entry ${JSON.stringify(entryPath)} has an absolute path`);
  if (p.includes('\0')) throw unsafe(what, `entry ${JSON.stringify(entryPath)} has a NUL byte in its name`);
  const norm = posix.normalize(p);
  if (norm === '..' || norm.startsWith('../')) throw unsafe(what, `entry ${JSON.stringify(entryPath)} escapes the target directory`);
  return norm === '.' || norm === './' ? '' : norm.replace(/\/+$/, '');
}

/** `dest/rel`, with a final check that it is inside `dest`. */
export function inside(dest: string, rel: string, what: string): string {
  const root = resolve(dest);
  const full = resolve(root, rel);
  if (full !== root && !full.startsWith(root + sep)) throw unsafe(what, `entry ${JSON.stringify(rel)} escapes the target directory`);
  return full;
}

/**
 * Validates a symlink's target: relative, and (resolved from the link's own directory) inside the
 * archive root. `a/b → ../c` is fine; `a → ../../etc` and `a → /etc` are not.
 */
export function checkLinkTarget(linkRel: string, target: string, what: string): void {
  const t = target.replace(/\\/g, '/');
  if (t.startsWith('/') || /^[a-zA-Z]:/.test(t)) throw unsafe(what, `symlink ${JSON.stringify(linkRel)} points to the absolute path ${JSON.stringify(target)}`);
  const joined = posix.normalize(posix.join(posix.dirname(linkRel), t));
  if (joined === '..' || joined.startsWith('../')) throw unsafe(what, `symlink ${JSON.stringify(linkRel)} points outside the target directory (${JSON.stringify(target)})`);
}

export function unsafe(what: string, detail: string): StorageError {
  return new StorageError('UnsafeArchive', `${what}: ${detail}`);
}

export function tooLarge(what: string, detail: string): StorageError {
  return new StorageError('TooLarge', `${what}: ${detail} (an archive bomb, or raise the extraction limit)`);
}
