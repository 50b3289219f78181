/**
 * On-disk pieces of the model cache: an entry's metadata (JSON beside its directory, written
 * atomically), the walk that hashes every file of a fresh download, and error mapping for
 * full disks. Layout under the cache dir:
 *
 *   entries/{key}/…        the model files, renamed into place only once complete and verified
 *   entries/{key}.json     EntryMeta; an entry exists iff both exist
 *   tmp/{key16}-XXXXXX/    downloads in progress (removed at open: a crashed process's leftovers)
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, rename, stat, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { StorageError } from '../provider.ts';

export interface EntryMeta {
  /** sha256(uri + '\n' + version), hex. */
  readonly key: string;
  /** The URI without credentials. */
  readonly uri: string;
  readonly version: string;
  /** sha256(uri) hex: finds the entries of one URI (for serving the newest one when the source is down). */
  readonly uriHash?: string;
  readonly bytes: number;
  /** Relative path → sha256 hex of every regular file, for `verify`. */
  readonly files: Readonly<Record<string, string>>;
  readonly createdMs: number;
  lastUsedMs: number;
}

export function metaPath(entriesDir: string, key: string): string {
  return join(entriesDir, `${key}.json`);
}

/** Writes via a temp file and rename, so a crash leaves the old JSON or the new one, never half. */
export async function writeMeta(entriesDir: string, meta: EntryMeta): Promise<void> {
  const final = metaPath(entriesDir, meta.key);
  const tmp = `${final}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(meta, null, 2)}\n`);
  await rename(tmp, final);
}

export function parseMeta(text: string, key: string): EntryMeta | undefined {
  try {
    const m = JSON.parse(text) as EntryMeta;
    if (m.key !== key || typeof m.bytes !== 'number' || typeof m.files !== 'object' || m.files === null) return undefined;
    return m;
  } catch {
    return undefined;
  }
}

export async function sha256File(file: string): Promise<string> {
  const h = createHash('sha256');
  await pipeline(createReadStream(file), h);
  return h.digest('hex');
}

/** Every regular file under `dir` with its size and sha256 (symlinks are not followed). */
export async function hashTree(dir: string): Promise<{ files: Record<string, string>; bytes: number }> {
  const files: Record<string, string> = {};
  let bytes = 0;
  const walk = async (d: string): Promise<void> => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const full = join(d, e.name);
      if (e.isDirectory()) await walk(full);
      else if (e.isFile()) {
        const rel = relative(dir, full).split('\\').join('/');
        files[rel] = await sha256File(full);
        bytes += (await stat(full)).size;
      }
    }
  };
  await walk(dir);
  return { files, bytes };
}

/** `sha256:<hex>` or `<hex>` → lower-case hex; anything else → undefined. */
export function normalizeSha256(s: string | undefined): string | undefined {
  if (!s) return undefined;
  const hex = s.toLowerCase().replace(/^sha256:/, '');
  return /^[0-9a-f]{64}$/.test(hex) ? hex : undefined;
}

/** ENOSPC / EDQUOT → DiskFull; a StorageError passes through; anything else → Interrupted. */
export function asStorageError(err: unknown, what: string): StorageError {
  if (err instanceof StorageError) return err;
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOSPC' || code === 'EDQUOT') return new StorageError('DiskFull', `${what}: the cache disk is full (${code})`, { cause: err });
  return new StorageError('Interrupted', `${what}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
}
