/**
 * Azure Blob Storage (`https://{account}.blob.core.windows.net/{container}/{prefix}`) with the
 * Azure SDK (@azure/storage-blob). KServe's rules (`_download_azure_blob`): the path is a prefix
 * whose blobs keep their relative paths; a path naming one blob downloads it under its base
 * name. Here a prefix means `prefix/` (so `model` does not also pick up `model2/...`), and only
 * when nothing lies under it is the exact blob tried. Hierarchical-namespace directory markers
 * (`hdi_isfolder`) are skipped.
 *
 * Version: sha256 of (relative name, ETag, size) of every blob. Content-MD5 is verified when the
 * blob has one. The SDK's retries are off; ours (injected backoff) retry transient failures and
 * resume with ranged reads. Errors name the account and container, never the key or the SAS.
 */
import { createHash } from 'node:crypto';
import { RestError, type BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import { StorageError, type ParsedUri, type StorageContext, type StorageProvider } from '../provider.ts';
import { downloadAll, type FileJob } from '../transfer/file.ts';
import { reasonForStatus } from '../transfer/http.ts';
import { filterFromEnv, shouldDownload, type FileFilter } from '../transfer/patterns.ts';
import { ProgressTracker } from '../transfer/progress.ts';
import { unpackSingleArchive } from '../transfer/unpack.ts';
import type { ExtractLimits } from '../archive/extract.ts';
import { abortedError, defaultRetry, withRetry, type RetryOptions } from '../transfer/retry.ts';
import { serviceClient, type AzureAuthKind } from './credentials.ts';
import { parseAzureUri, type AzureBlobRef } from './uri.ts';

export interface AzureProviderOptions {
  readonly retry?: RetryOptions;
  /** Archive-bomb limits for a lone archive (defaults in ../archive). */
  readonly extract?: ExtractLimits;
  /** Blobs downloaded at once (KServe's AZURE_MAX_FILE_CONCURRENCY default, 4). */
  readonly concurrency?: number;
}

interface BlobEntry {
  name: string;
  rel: string;
  etag: string;
  size: number;
  md5?: string;
}

const AUTH_HINT: Record<AzureAuthKind, string> = {
  'connection-string': 'check AZURE_STORAGE_CONNECTION_STRING',
  'service-principal': 'the service principal needs the Storage Blob Data Reader role',
  'account-key': 'check AZURE_STORAGE_ACCESS_KEY',
  sas: 'the SAS in the URI is invalid, expired or lacks read/list permission',
  anonymous: 'anonymous access; set AZURE_STORAGE_ACCESS_KEY, a SAS, a connection string or a service principal',
};

/** One mapping of SDK failures to StorageError, naming account/container (never key or SAS). */
export function mapAzureError(err: unknown, what: string, auth: AzureAuthKind, signal?: AbortSignal): StorageError {
  if (err instanceof StorageError) return err;
  if (signal?.aborted || (err as Error).name === 'AbortError') return abortedError();
  if (err instanceof RestError && err.statusCode !== undefined) {
    const code = err.code ?? '';
    if (err.statusCode === 412) return new StorageError('Interrupted', `${what}: changed during the download (ETag no longer matches); resolve again`);
    let reason = reasonForStatus(err.statusCode);
    // Azure answers anonymous requests on private containers with 404 ResourceNotFound, and
    // bad SAS/keys with 403 AuthenticationFailed / AuthorizationFailure.
    if (auth === 'anonymous' && err.statusCode === 404 && code === 'ResourceNotFound') reason = 'Forbidden';
    const text = reason === 'NotFound' ? 'not found' : reason === 'Forbidden' ? `access denied; ${AUTH_HINT[auth]}` : 'server error';
    return new StorageError(reason, `${what}: ${text} (HTTP ${err.statusCode}${code ? ` ${code}` : ''})`);
  }
  const code = (err as { code?: string }).code ?? (err as Error).message;
  return new StorageError('Unreachable', `${what}: cannot connect (${code})`, { cause: err });
}

export function azureProvider(opts: AzureProviderOptions = {}): StorageProvider {
  const retry = opts.retry ?? defaultRetry;
  const concurrency = opts.concurrency ?? 4;

  async function list(ref: AzureBlobRef, container: ContainerClient, filter: FileFilter, what: string, ctx: StorageContext): Promise<BlobEntry[]> {
    const prefix = ref.prefix === '' ? '' : `${ref.prefix}/`;
    let out: BlobEntry[] = [];
    for await (const b of container.listBlobsFlat({ prefix, includeMetadata: true, abortSignal: ctx.signal })) {
      if (b.name.endsWith('/') || b.metadata?.hdi_isfolder === 'true') continue;
      out.push({ name: b.name, rel: b.name.slice(prefix.length), etag: b.properties.etag, size: b.properties.contentLength ?? 0, md5: b.properties.contentMD5 ? Buffer.from(b.properties.contentMD5).toString('base64') : undefined });
    }
    if (out.length === 0 && ref.prefix !== '') {
      try {
        const p = await container.getBlobClient(ref.prefix).getProperties({ abortSignal: ctx.signal });
        out = [{ name: ref.prefix, rel: ref.prefix.slice(ref.prefix.lastIndexOf('/') + 1), etag: p.etag ?? '', size: p.contentLength ?? 0, md5: p.contentMD5 ? Buffer.from(p.contentMD5).toString('base64') : undefined }];
      } catch (err) {
        // HEAD answers carry no error code: a 404 here means no blob and no prefix.
        if (err instanceof RestError && err.statusCode === 404) throw new StorageError('NotFound', `${what}: no blob or prefix of that name`);
        throw err;
      }
    }
    out = out.filter((b) => shouldDownload(b.rel, filter));
    if (out.length === 0) throw new StorageError('NotFound', `${what}: no model files found${filter.allow || filter.ignore ? ' after STORAGE_ALLOW_PATTERNS / STORAGE_IGNORE_PATTERNS' : ''}`);
    return out.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  }

  function versionOf(blobs: BlobEntry[], filter: FileFilter): string {
    const h = createHash('sha256');
    for (const b of blobs) h.update(`${b.rel}\0${b.etag}\0${b.size}\n`);
    if (filter.allow || filter.ignore) h.update(JSON.stringify(filter));
    return `azure:${h.digest('hex')}`;
  }

  async function listed(uri: ParsedUri, ctx: StorageContext): Promise<{ ref: AzureBlobRef; client: BlobServiceClient; auth: AzureAuthKind; blobs: BlobEntry[]; filter: FileFilter; what: string }> {
    const ref = parseAzureUri(uri);
    const { client, auth } = serviceClient(ref, ctx.env);
    const what = `${uri.display} (account ${ref.account}, container ${ref.container})`;
    const filter = filterFromEnv(ctx.env);
    const container = client.getContainerClient(ref.container);
    const blobs = await withRetry(
      async () => {
        try {
          return await list(ref, container, filter, what, ctx);
        } catch (err) {
          throw mapAzureError(err, what, auth, ctx.signal);
        }
      },
      retry,
      ctx.signal,
    );
    return { ref, client, auth, blobs, filter, what };
  }

  return {
    schemes: ['https', 'http'],
    async resolve(uri, ctx) {
      const { blobs, filter } = await listed(uri, ctx);
      return { version: versionOf(blobs, filter), totalBytes: blobs.reduce((n, b) => n + b.size, 0) };
    },
    async download(uri, source, dest, ctx) {
      const { ref, client, auth, blobs, filter } = await listed(uri, ctx);
      if (versionOf(blobs, filter) !== source.version) {
        throw new StorageError('Interrupted', `${uri.display}: the blobs changed between resolve and download; resolve again`);
      }
      const container = client.getContainerClient(ref.container);
      const jobs: FileJob[] = blobs.map((b) => {
        const what = `blob ${b.name} (account ${ref.account}, container ${ref.container})`;
        const blob = container.getBlobClient(b.name);
        return {
          relPath: b.rel,
          what,
          size: b.size,
          expected: b.md5 ? { md5Base64: b.md5 } : {},
          async open(offset, signal) {
            try {
              // ifMatch pins the listed version: an overwrite mid-download fails instead of mixing bytes.
              const res = await blob.download(offset, undefined, { abortSignal: signal, conditions: { ifMatch: b.etag } });
              const body = res.readableStreamBody as AsyncIterable<Uint8Array> | undefined;
              return { body: body ?? (async function* () {})(), start: offset };
            } catch (err) {
              throw mapAzureError(err, what, auth, signal);
            }
          },
        };
      });
      const progress = new ProgressTracker(ctx, { totalBytes: source.totalBytes, totalFiles: jobs.length });
      ctx.log?.info('azure download', { uri: uri.display, files: jobs.length, auth });
      await downloadAll(jobs, dest, progress, retry, concurrency, ctx.signal);
      // KServe: a lone .tar/.tar.gz/.tgz/.zip is unpacked in place.
      if (jobs.length === 1) await unpackSingleArchive(dest, jobs[0]!.relPath, uri.display, opts.extract);
    },
  };
}
