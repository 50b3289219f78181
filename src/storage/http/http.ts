/**
 * `http://` and `https://` artifacts, as KServe's `_download_from_uri`: the URL names one file,
 * saved under its base name; `.zip`, `.tar`, `.tar.gz`, `.tgz` are unpacked into the model dir
 * and the archive removed. Per-host headers come from the env var `<hostname>-headers` holding a
 * JSON object (e.g. `models.example.com-headers={"Authorization":"Bearer …"}`), as KServe reads
 * `os.getenv(url.hostname + "-headers")`. KServe's Content-Type rules are kept: a zip must be
 * served as a zip type, a tar as a tar/gzip type, anything else as application/octet-stream.
 */
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { systemClock } from '../../core/clock.ts';
import { archiveKind, type ArchiveKind, type ExtractLimits, extractArchive } from '../archive/extract.ts';
import { type ParsedUri, type ResolvedSource, type StorageContext, StorageError, type StorageProvider } from '../provider.ts';
import { fetchToFile, networkError, realSleep, type RetryPolicy, statusError } from './fetch-file.ts';

export const HEADERS_ENV_SUFFIX = '-headers';

const ZIP_TYPES = ['application/x-zip-compressed', 'application/zip', 'application/zip-compressed'];
const TAR_TYPES = ['application/x-tar', 'application/x-gtar', 'application/x-gzip', 'application/gzip'];

export interface HttpProviderOptions {
  retry?: Partial<RetryPolicy>;
  /** Archive bomb limits (defaults in ../archive). */
  extract?: ExtractLimits;
}

/** The provider for `http` and `https`. */
export function httpProvider(opts: HttpProviderOptions = {}): StorageProvider {
  const retry: RetryPolicy = { maxAttempts: 5, baseDelayMs: 500, maxDelayMs: 8_000, idleTimeoutMs: 30_000, sleep: realSleep, clock: systemClock, ...opts.retry };
  return {
    schemes: ['http', 'https'],
    resolve: (uri, ctx) => resolveHttp(uri, ctx, retry),
    download: (uri, source, dest, ctx) => downloadHttp(uri, source, dest, ctx, retry, opts.extract),
  };
}

/** Headers for a host from `<hostname>-headers`; the message names the variable, never its value. */
export function hostHeaders(uri: ParsedUri, env: StorageContext['env']): Record<string, string> {
  const hostname = new URL(uri.raw).hostname.replace(/^\[|\]$/g, '');
  const name = `${hostname}${HEADERS_ENV_SUFFIX}`;
  const raw = env[name];
  if (raw === undefined || raw === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new StorageError('InvalidUri', `${uri.display}: env ${name} is not a JSON object of headers`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new StorageError('InvalidUri', `${uri.display}: env ${name} is not a JSON object of headers`);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) out[k.toLowerCase()] = String(v);
  return out;
}

/** The file name and archive kind, as KServe: from the path, or from the query when the path has no type. */
export function fileOf(uri: ParsedUri): { name: string; kind: ArchiveKind | undefined } {
  const u = new URL(uri.raw);
  const name = decodeURIComponent(u.pathname.slice(u.pathname.lastIndexOf('/') + 1));
  if (name === '' || name === '.' || name === '..' || name.includes('/') || name.includes('\\')) {
    throw new StorageError('InvalidUri', `${uri.display}: no file name in the URL (expected https://host/path/model.onnx or …/model.tar.gz)`);
  }
  return { name, kind: archiveKind(name) ?? (u.search && !/\.[a-z0-9]+$/i.test(name) ? archiveKind(u.search.slice(1)) : undefined) };
}

/** fetch refuses URLs with userinfo: it becomes a Basic Authorization header instead. */
function urlOf(uri: ParsedUri): string {
  const u = new URL(uri.raw);
  u.username = '';
  u.password = '';
  return u.toString();
}

function authHeaders(uri: ParsedUri, env: StorageContext['env']): Record<string, string> {
  const u = new URL(uri.raw);
  const h = hostHeaders(uri, env);
  if ((u.username || u.password) && h.authorization === undefined) {
    h.authorization = `Basic ${Buffer.from(`${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`).toString('base64')}`;
  }
  return h;
}

async function resolveHttp(uri: ParsedUri, ctx: StorageContext, retry: RetryPolicy): Promise<ResolvedSource> {
  fileOf(uri);
  const headers = { ...authHeaders(uri, ctx.env), 'accept-encoding': 'identity' };
  let lastErr: StorageError | undefined;
  for (let attempt = 1; attempt <= retry.maxAttempts; attempt++) {
    if (attempt > 1) await retry.sleep(Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attempt - 2)), ctx.signal);
    try {
      const signal = ctx.signal ? AbortSignal.any([ctx.signal, AbortSignal.timeout(retry.idleTimeoutMs)]) : AbortSignal.timeout(retry.idleTimeoutMs);
      let res = await fetch(urlOf(uri), { method: 'HEAD', headers, redirect: 'follow', signal });
      let length = res.headers.get('content-length');
      if (res.status === 405 || res.status === 501 || (res.ok && !res.headers.get('etag') && !res.headers.get('last-modified') && length === null)) {
        // No usable HEAD: ask for the first byte instead.
        res = await fetch(urlOf(uri), { headers: { ...headers, range: 'bytes=0-0' }, redirect: 'follow', signal });
        await res.body?.cancel();
        const cr = /\/(\d+)$/.exec(res.headers.get('content-range') ?? '');
        length = cr ? cr[1]! : res.status === 200 ? res.headers.get('content-length') : null;
      }
      const fatal = statusError(res.status, uri.display);
      if (fatal) throw fatal;
      if (!res.ok) {
        lastErr = new StorageError('Unreachable', `${uri.display}: HTTP ${res.status}`);
        continue;
      }
      const etag = res.headers.get('etag');
      const lm = res.headers.get('last-modified');
      const totalBytes = length === null ? undefined : Number(length);
      // Without a validator nothing says two fetches are the same bytes: a fresh key each time.
      const version = etag ? `etag:${etag}` : lm ? `last-modified:${lm}:length:${length ?? '?'}` : `unversioned:${retry.clock.nowMs()}:${randomUUID()}`;
      return { version, totalBytes };
    } catch (err) {
      if (err instanceof StorageError) throw err;
      if (ctx.signal?.aborted) throw new StorageError('Aborted', `${uri.display}: aborted`, { cause: err });
      lastErr = networkError(err, uri.display);
    }
  }
  throw new StorageError(lastErr?.reason ?? 'Unreachable', `${lastErr?.message ?? uri.display} (after ${retry.maxAttempts} attempts)`, { cause: lastErr });
}

function checkContentType(uri: ParsedUri, kind: ArchiveKind | undefined, res: Response): void {
  const ct = (res.headers.get('content-type') ?? '').toLowerCase();
  const want = kind === 'zip' ? ZIP_TYPES : kind === 'tar' ? TAR_TYPES : ['application/octet-stream'];
  if (!want.some((t) => ct.startsWith(t))) {
    throw new StorageError('InvalidUri', `${uri.display}: served as ${JSON.stringify(ct || '(no Content-Type)')}; KServe expects ${want.join(' or ')}`);
  }
}

async function downloadHttp(uri: ParsedUri, source: ResolvedSource, dest: string, ctx: StorageContext, retry: RetryPolicy, limits?: ExtractLimits): Promise<void> {
  const { name, kind } = fileOf(uri);
  const headers = authHeaders(uri, ctx.env);
  ctx.log?.info('http: downloading', { uri: uri.display, file: name, archive: kind ?? false, headerNames: Object.keys(headers) });
  const target = kind ? join(dest, `.kserve-download-${name}`) : join(dest, name);
  const validator = source.version.startsWith('etag:') ? source.version.slice(5) : undefined;
  await fetchToFile({ url: urlOf(uri), display: uri.display, headers, file: target, validator, signal: ctx.signal, onProgress: ctx.onProgress, log: ctx.log, retry, check: (res) => checkContentType(uri, kind, res) });
  if (!kind) return;
  try {
    await extractArchive(target, kind, dest, { ...limits, what: uri.display });
  } finally {
    await rm(target, { force: true });
  }
}
