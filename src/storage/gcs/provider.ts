/**
 * `gs://bucket/prefix` through the GCS JSON API over fetch (no SDK): list with `prefix` and
 * `pageToken`, download each object with `alt=media` pinned to the listed `generation` (so a
 * concurrent overwrite cannot mix versions), resume with `Range`, verify `md5Hash` (or `crc32c`
 * for composite objects, which have no MD5).
 *
 * KServe's rules (`_download_gcs`): the path is a prefix whose objects keep their paths relative
 * to it; when nothing lies under `prefix/` and an object is named exactly `prefix`, that single
 * object is downloaded under its base name. Directory placeholders (`name/`) are skipped.
 * `STORAGE_EMULATOR_HOST` replaces https://storage.googleapis.com, as Google's clients do.
 */
import { createHash } from 'node:crypto';
import { StorageError, type ParsedUri, type ResolvedSource, type StorageContext, type StorageProvider } from '../provider.ts';
import { downloadAll, webBody, type FileJob } from '../transfer/file.ts';
import { fetchOrThrow, getJson, statusError } from '../transfer/http.ts';
import { filterFromEnv, shouldDownload, type FileFilter } from '../transfer/patterns.ts';
import { ProgressTracker } from '../transfer/progress.ts';
import { unpackSingleArchive } from '../transfer/unpack.ts';
import type { ExtractLimits } from '../archive/extract.ts';
import { defaultRetry, withRetry, type RetryOptions } from '../transfer/retry.ts';
import { GcsAuth } from './auth.ts';

export interface GcsProviderOptions {
  readonly retry?: RetryOptions;
  /** Archive-bomb limits for a lone archive (defaults in ../archive). */
  readonly extract?: ExtractLimits;
  /** Objects downloaded at once (KServe's Python client downloads one at a time). */
  readonly concurrency?: number;
  readonly now?: () => number;
}

interface GcsObject {
  name: string;
  size?: string;
  md5Hash?: string;
  crc32c?: string;
  etag?: string;
  generation?: string;
}

interface Listing {
  /** Objects to download with their paths relative to the model dir. */
  files: { obj: GcsObject; rel: string }[];
}

export function gcsEndpoint(env: Readonly<Record<string, string | undefined>>): string {
  const host = env.STORAGE_EMULATOR_HOST?.trim();
  if (!host) return 'https://storage.googleapis.com';
  return (/^https?:\/\//.test(host) ? host : `http://${host}`).replace(/\/+$/, '');
}

function splitUri(uri: ParsedUri): { bucket: string; path: string } {
  if (uri.scheme !== 'gs' || !/^[a-z0-9][a-z0-9._-]{1,221}[a-z0-9]$/.test(uri.host)) {
    throw new StorageError('InvalidUri', `${uri.display}: expected gs://bucket/path with a valid bucket name`);
  }
  return { bucket: uri.host, path: uri.path.replace(/\/+$/, '') };
}

export function gcsProvider(opts: GcsProviderOptions = {}): StorageProvider {
  const retry = opts.retry ?? defaultRetry;
  const concurrency = opts.concurrency ?? 4;
  const auth = new GcsAuth(opts.now ?? Date.now);

  async function list(uri: ParsedUri, ctx: StorageContext, filter: FileFilter): Promise<Listing> {
    const { bucket, path } = splitUri(uri);
    const base = `${gcsEndpoint(ctx.env)}/storage/v1/b/${encodeURIComponent(bucket)}/o`;
    const prefix = path === '' ? '' : `${path}/`;
    const headers = await auth.headers(ctx.env, ctx.signal);
    const hint = (): string => (headers.authorization ? '' : 'anonymous access; set GOOGLE_APPLICATION_CREDENTIALS for a private bucket');
    const objects: GcsObject[] = [];
    let pageToken: string | undefined;
    do {
      const q = new URLSearchParams({ prefix, fields: 'items(name,size,md5Hash,crc32c,etag,generation),nextPageToken' });
      if (pageToken) q.set('pageToken', pageToken);
      const page = await withRetry(() => getJson<{ items?: GcsObject[]; nextPageToken?: string }>(`${base}?${q.toString()}`, headers, `${uri.display} (bucket ${bucket})`, ctx.signal, hint), retry, ctx.signal);
      objects.push(...(page.items ?? []));
      pageToken = page.nextPageToken;
    } while (pageToken);
    let files = objects.filter((o) => !o.name.endsWith('/')).map((obj) => ({ obj, rel: obj.name.slice(prefix.length) }));
    if (files.length === 0 && path !== '') {
      // KServe: a single object named exactly like the path.
      const what = `${uri.display}`;
      try {
        const obj = await withRetry(() => getJson<GcsObject>(`${base}/${encodeURIComponent(path)}`, headers, what, ctx.signal, hint), retry, ctx.signal);
        files = [{ obj, rel: path.slice(path.lastIndexOf('/') + 1) }];
      } catch (err) {
        if (err instanceof StorageError && err.reason === 'NotFound') throw new StorageError('NotFound', `${uri.display}: no object or prefix of that name in bucket ${bucket}`);
        throw err;
      }
    }
    files = files.filter((f) => shouldDownload(f.rel, filter));
    if (files.length === 0) throw new StorageError('NotFound', `${uri.display}: no model files found${filter.allow || filter.ignore ? ' (after STORAGE_ALLOW_PATTERNS / STORAGE_IGNORE_PATTERNS)' : ''}`);
    files.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
    return { files };
  }

  function versionOf(listing: Listing, filter: FileFilter): string {
    const h = createHash('sha256');
    for (const { obj, rel } of listing.files) h.update(`${rel}\0${obj.generation ?? ''}\0${obj.etag ?? ''}\0${obj.size ?? ''}\n`);
    if (filter.allow || filter.ignore) h.update(JSON.stringify(filter));
    return `gcs:${h.digest('hex')}`;
  }

  return {
    schemes: ['gs'],
    async resolve(uri, ctx) {
      const filter = filterFromEnv(ctx.env);
      const listing = await list(uri, ctx, filter);
      return { version: versionOf(listing, filter), totalBytes: listing.files.reduce((n, f) => n + Number(f.obj.size ?? 0), 0) };
    },
    async download(uri, source: ResolvedSource, dest, ctx) {
      const filter = filterFromEnv(ctx.env);
      const listing = await list(uri, ctx, filter);
      if (versionOf(listing, filter) !== source.version) {
        throw new StorageError('Interrupted', `${uri.display}: the objects changed between resolve and download; resolve again`);
      }
      const { bucket } = splitUri(uri);
      const base = `${gcsEndpoint(ctx.env)}/storage/v1/b/${encodeURIComponent(bucket)}/o`;
      const jobs: FileJob[] = listing.files.map(({ obj, rel }) => {
        const what = `gs://${bucket}/${obj.name}`;
        const q = new URLSearchParams({ alt: 'media' });
        if (obj.generation) q.set('generation', obj.generation);
        const url = `${base}/${encodeURIComponent(obj.name)}?${q.toString()}`;
        return {
          relPath: rel,
          what,
          size: obj.size === undefined ? undefined : Number(obj.size),
          expected: { md5Base64: obj.md5Hash, crc32cBase64: obj.crc32c },
          async open(offset, signal) {
            const headers: Record<string, string> = { ...(await auth.headers(ctx.env, signal)), 'accept-encoding': 'identity' };
            if (offset > 0) headers.range = `bytes=${offset}-`;
            const res = await fetchOrThrow(url, { headers }, what, signal);
            if (!res.ok) {
              await res.body?.cancel().catch(() => undefined);
              throw statusError(res.status, what);
            }
            return { body: webBody(res), start: res.status === 206 ? offset : 0 };
          },
        };
      });
      const progress = new ProgressTracker(ctx, { totalBytes: source.totalBytes, totalFiles: jobs.length });
      ctx.log?.info('gcs download', { uri: uri.display, files: jobs.length });
      await downloadAll(jobs, dest, progress, retry, concurrency, ctx.signal);
      // KServe: a lone .tar/.tar.gz/.tgz/.zip is unpacked in place.
      if (jobs.length === 1) await unpackSingleArchive(dest, jobs[0]!.relPath, uri.display, opts.extract);
    },
  };
}
