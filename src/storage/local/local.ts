/**
 * Local sources, served in place (never copied): plain paths (absolute, or relative to the
 * process's working directory), `file://` URIs, and `pvc://{claim}/{path}`. KServe mounts a PVC
 * into the pod at `/mnt/models` (subPath = path); in embedded mode kserve-ts has no kubelet, so a
 * claim is a directory under a volumes root: `{pvcRoot}/{claim}/{path}`, where pvcRoot comes from
 * the option or the replica env's `KSERVE_TS_PVC_ROOT`.
 */
import { stat } from 'node:fs/promises';
import { isAbsolute, posix, resolve } from 'node:path';
import { type ParsedUri, type ResolvedSource, type StorageContext, StorageError, type StorageProvider } from '../provider.ts';

/** The env var naming the directory that holds one folder per PVC claim. */
export const PVC_ROOT_ENV = 'KSERVE_TS_PVC_ROOT';

export interface LocalProviderOptions {
  /** The volumes root for `pvc://`; overrides `KSERVE_TS_PVC_ROOT` in the context's env. */
  pvcRoot?: string;
  /** Base for relative paths (default `process.cwd()` at call time; the composition root may pin it). */
  cwd?: string;
}

/** The provider for local paths, `file://` and `pvc://`. */
export function localProvider(opts: LocalProviderOptions = {}): StorageProvider {
  const where = (uri: ParsedUri, ctx: StorageContext): string => localFsPath(uri, ctx, opts);
  return {
    schemes: ['file', 'pvc'],
    async resolve(uri, ctx): Promise<ResolvedSource> {
      const p = where(uri, ctx);
      const st = await statOrThrow(p, uri);
      // mtime + size: cheap, and changes whenever the content is replaced or rewritten.
      return { version: `mtime:${st.mtimeMs}:size:${st.size}`, totalBytes: st.isFile() ? st.size : undefined };
    },
    async localPath(uri, ctx): Promise<string> {
      const p = where(uri, ctx);
      await statOrThrow(p, uri);
      return p;
    },
    download(uri): Promise<void> {
      // The cache always asks localPath first; a call here is a wiring bug, said plainly.
      return Promise.reject(new StorageError('InvalidUri', `${uri.display}: local sources are served in place, not downloaded`));
    },
  };
}

/**
 * The filesystem path a local URI names.
 * `file:///models/iris` → `/models/iris`; `file://models/iris` and `models/iris` → `{cwd}/models/iris`;
 * `pvc://claim/iris/1` → `{pvcRoot}/claim/iris/1`.
 */
export function localFsPath(uri: ParsedUri, ctx: StorageContext, opts: LocalProviderOptions = {}): string {
  const cwd = opts.cwd ?? process.cwd();
  if (uri.scheme === 'pvc') {
    const root = opts.pvcRoot ?? ctx.env[PVC_ROOT_ENV];
    if (!root) throw new StorageError('InvalidUri', `${uri.display}: pvc:// needs a volumes root: set ${PVC_ROOT_ENV} to the directory holding one folder per claim`);
    if (!uri.host) throw new StorageError('InvalidUri', `${uri.display}: expected pvc://{claim}/{path}`);
    const rel = posix.normalize(`${uri.host}/${uri.path}`);
    if (rel.startsWith('..') || posix.isAbsolute(rel) || rel.split('/')[0] !== uri.host) throw new StorageError('InvalidUri', `${uri.display}: the path must stay inside the claim ${JSON.stringify(uri.host)}`);
    return resolve(root, rel);
  }
  if (uri.scheme !== 'file') throw new StorageError('InvalidUri', `${uri.display}: the local provider serves file:// and pvc://, not ${uri.scheme}://`);
  // parseStorageUri gives a bare path as path = raw; for file:// the host is the first segment.
  const raw = /^file:\/\//i.test(uri.raw) ? decodeURIComponent(uri.raw.slice('file://'.length)) : uri.raw;
  if (raw === '') throw new StorageError('InvalidUri', `${uri.display}: expected file:///abs/path or file://relative/path`);
  return isAbsolute(raw) ? resolve(raw) : resolve(cwd, raw);
}

async function statOrThrow(p: string, uri: ParsedUri): Promise<import('node:fs').Stats> {
  try {
    return await stat(p);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new StorageError('NotFound', `${uri.display}: ${p} does not exist`, { cause: err });
    if (code === 'EACCES' || code === 'EPERM') throw new StorageError('Forbidden', `${uri.display}: ${p} is not readable (${code})`, { cause: err });
    throw new StorageError('Unreachable', `${uri.display}: cannot stat ${p} (${code ?? String(err)})`, { cause: err });
  }
}
