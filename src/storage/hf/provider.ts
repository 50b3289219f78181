/**
 * `hf://{owner}/{model}[:{revision}]` (KServe's `_download_hf`: exactly two path parts, revision
 * after a colon, default `main`) through the Hugging Face Hub REST API, no SDK:
 *
 * 1. resolve: `GET {HF_ENDPOINT}/api/models/{owner}/{model}/revision/{rev}?blobs=true` gives the
 *    commit `sha` (the version) and `siblings` (file names, sizes, LFS sha256);
 * 2. download: the same call pinned to that sha, then each file from
 *    `{HF_ENDPOINT}/{owner}/{model}/resolve/{sha}/{file}` (redirects to the CDN are followed;
 *    fetch drops the Authorization header on cross-origin redirects), resumed with `Range`, LFS
 *    files checked against their sha256.
 *
 * `HF_TOKEN` (or the legacy `HUGGING_FACE_HUB_TOKEN`) is sent as a Bearer token; `HF_ENDPOINT`
 * points at a mirror. `STORAGE_ALLOW_PATTERNS` / `STORAGE_IGNORE_PATTERNS` filter files as
 * snapshot_download's allow/ignore patterns do.
 */
import { createHash } from 'node:crypto';
import { StorageError, type ParsedUri, type ResolvedSource, type StorageContext, type StorageProvider } from '../provider.ts';
import { downloadAll, webBody, type FileJob } from '../transfer/file.ts';
import { fetchOrThrow, getJson, statusError } from '../transfer/http.ts';
import { filterFromEnv, shouldDownload, type FileFilter } from '../transfer/patterns.ts';
import { ProgressTracker } from '../transfer/progress.ts';
import { defaultRetry, withRetry, type RetryOptions } from '../transfer/retry.ts';

export interface HfProviderOptions {
  readonly retry?: RetryOptions;
  readonly concurrency?: number;
}

export interface HfRepoRef {
  readonly repoId: string;
  readonly revision: string;
}

interface Sibling {
  rfilename: string;
  size?: number;
  lfs?: { sha256?: string; oid?: string; size?: number };
}

interface RevisionInfo {
  sha?: string;
  siblings?: Sibling[];
}

/** Splits hf://owner/model[:revision] as KServe does; throws InvalidUri. */
export function parseHfUri(uri: ParsedUri): HfRepoRef {
  const bad = (why: string): StorageError => new StorageError('InvalidUri', `${uri.display}: ${why}; expected hf://owner/model[:revision]`);
  if (uri.scheme !== 'hf') throw bad('not an hf:// URI');
  if (uri.host === '') throw bad('the owner is empty');
  if (uri.path === '' || uri.path.includes('/')) throw bad('expected exactly owner/model');
  const colon = uri.path.indexOf(':');
  const model = colon < 0 ? uri.path : uri.path.slice(0, colon);
  const revision = colon < 0 ? '' : uri.path.slice(colon + 1);
  if (model === '') throw bad('the model name is empty');
  const name = /^[\w.-]+$/;
  if (!name.test(uri.host) || !name.test(model)) throw bad('owner and model may hold only letters, digits, "-", "_" and "."');
  return { repoId: `${uri.host}/${model}`, revision: revision || 'main' };
}

export function hfEndpoint(env: Readonly<Record<string, string | undefined>>): string {
  return (env.HF_ENDPOINT?.trim() || 'https://huggingface.co').replace(/\/+$/, '');
}

function authHeaders(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const token = env.HF_TOKEN?.trim() || env.HUGGING_FACE_HUB_TOKEN?.trim();
  return token ? { authorization: `Bearer ${token}` } : {};
}

/** Turns the Hub's answers into reasons: 401/403 (private, gated, bad token) → Forbidden, 404 → NotFound. */
function hubHint(env: Readonly<Record<string, string | undefined>>) {
  return (res: Response): string => {
    const code = res.headers.get('x-error-code') ?? '';
    if (code === 'GatedRepo') return 'the repository is gated: accept its terms on the Hub and set HF_TOKEN';
    if (code === 'RevisionNotFound') return 'no such revision';
    if (res.status === 401 || res.status === 403) return authHeaders(env).authorization ? 'HF_TOKEN has no access to it' : 'private or gated repositories need HF_TOKEN';
    return '';
  };
}

const pathUrl = (p: string): string => p.split('/').map(encodeURIComponent).join('/');

export function hfProvider(opts: HfProviderOptions = {}): StorageProvider {
  const retry = opts.retry ?? defaultRetry;
  const concurrency = opts.concurrency ?? 4;

  async function revisionInfo(uri: ParsedUri, ref: HfRepoRef, rev: string, ctx: StorageContext): Promise<{ sha: string; files: Sibling[] }> {
    const url = `${hfEndpoint(ctx.env)}/api/models/${pathUrl(ref.repoId)}/revision/${encodeURIComponent(rev)}?blobs=true`;
    const info = await withRetry(() => getJson<RevisionInfo>(url, authHeaders(ctx.env), `${uri.display} (revision ${rev})`, ctx.signal, hubHint(ctx.env)), retry, ctx.signal);
    if (!info.sha || !/^[0-9a-f]{40}$/.test(info.sha)) throw new StorageError('Unreachable', `${uri.display}: the Hub's answer has no commit sha`);
    return { sha: info.sha, files: info.siblings ?? [] };
  }

  function select(uri: ParsedUri, files: Sibling[], filter: FileFilter): Sibling[] {
    const chosen = files.filter((f) => shouldDownload(f.rfilename, filter)).sort((a, b) => (a.rfilename < b.rfilename ? -1 : 1));
    if (chosen.length === 0) throw new StorageError('NotFound', `${uri.display}: no files${filter.allow || filter.ignore ? ' left after STORAGE_ALLOW_PATTERNS / STORAGE_IGNORE_PATTERNS' : ' in the repository'}`);
    return chosen;
  }

  /** The commit sha; with a filter, the sha plus a hash of the filter (different file sets, different keys). */
  function versionOf(sha: string, filter: FileFilter): string {
    if (!filter.allow && !filter.ignore) return sha;
    return `${sha}+${createHash('sha256').update(JSON.stringify(filter)).digest('hex').slice(0, 12)}`;
  }

  const sizeOf = (f: Sibling): number | undefined => f.lfs?.size ?? f.size;

  return {
    schemes: ['hf'],
    async resolve(uri, ctx) {
      const ref = parseHfUri(uri);
      const filter = filterFromEnv(ctx.env);
      const { sha, files } = await revisionInfo(uri, ref, ref.revision, ctx);
      const chosen = select(uri, files, filter);
      const sizes = chosen.map(sizeOf);
      const src: ResolvedSource = { version: versionOf(sha, filter) };
      if (sizes.every((s) => s !== undefined)) src.totalBytes = sizes.reduce((a: number, b) => a + b, 0);
      return src;
    },
    async download(uri, source, dest, ctx) {
      const ref = parseHfUri(uri);
      const filter = filterFromEnv(ctx.env);
      const sha = source.version.slice(0, 40);
      const { files } = await revisionInfo(uri, ref, sha, ctx);
      const chosen = select(uri, files, filter);
      const base = `${hfEndpoint(ctx.env)}/${pathUrl(ref.repoId)}/resolve/${sha}`;
      const jobs: FileJob[] = chosen.map((f) => {
        const what = `hf://${ref.repoId}/${f.rfilename}@${sha.slice(0, 12)}`;
        const url = `${base}/${pathUrl(f.rfilename)}`;
        return {
          relPath: f.rfilename,
          what,
          size: sizeOf(f),
          expected: f.lfs?.sha256 ? { sha256Hex: f.lfs.sha256 } : {},
          async open(offset, signal) {
            const headers = authHeaders(ctx.env);
            if (offset > 0) headers.range = `bytes=${offset}-`;
            const res = await fetchOrThrow(url, { headers }, what, signal);
            if (!res.ok) {
              await res.body?.cancel().catch(() => undefined);
              throw statusError(res.status, what, hubHint(ctx.env)(res));
            }
            return { body: webBody(res), start: res.status === 206 ? offset : 0 };
          },
        };
      });
      const progress = new ProgressTracker(ctx, { totalBytes: source.totalBytes, totalFiles: jobs.length });
      ctx.log?.info('hf download', { uri: uri.display, sha, files: jobs.length });
      await downloadAll(jobs, dest, progress, retry, concurrency, ctx.signal);
    },
  };
}
