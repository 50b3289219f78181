/**
 * The storage layer's surface: every provider, and the registry the model cache is opened with.
 * `https://{account}.blob.core.windows.net/...` goes to the Azure provider, every other http(s)
 * URI to the plain HTTP provider (both claim the scheme, so one dispatcher serves it).
 */
import type { ParsedUri, StorageContext, StorageProvider } from './provider.ts';
import { localProvider } from './local/local.ts';
import { s3Provider } from './s3/index.ts';
import { gcsProvider } from './gcs/index.ts';
import { ociProvider } from './oci/index.ts';
import { httpProvider } from './http/http.ts';
import { azureProvider, isAzureBlobUri } from './azure/index.ts';
import { hfProvider } from './hf/index.ts';

export { parseStorageUri, StorageError, type ParsedUri, type Progress, type ResolvedSource, type StorageContext, type StorageFailure, type StorageProvider } from './provider.ts';
export { ModelCache, type Lease, type ModelCacheOptions } from './cache/cache.ts';

export interface StorageProvidersOptions {
  /** Where `pvc://{claim}/{path}` resolves. */
  pvcRoot?: string;
}

/** Every provider: local/file/pvc, http(s) (+ Azure Blob hosts), s3, gs, hf, oci. */
export function storageProviders(opts: StorageProvidersOptions = {}): StorageProvider[] {
  const azure = azureProvider();
  const http = httpProvider();
  const web = dispatching(['http', 'https'], [
    { matches: (uri) => isAzureBlobUri(uri), provider: azure },
    { matches: () => true, provider: http },
  ]);
  return [localProvider(opts.pvcRoot === undefined ? {} : { pvcRoot: opts.pvcRoot }), web, s3Provider(), gcsProvider(), hfProvider(), ociProvider()];
}

/** One provider for a scheme that several serve: the first whose `matches` accepts the URI. */
export function dispatching(schemes: readonly string[], routes: readonly { matches(uri: ParsedUri): boolean; provider: StorageProvider }[]): StorageProvider {
  const pick = (uri: ParsedUri): StorageProvider => {
    const r = routes.find((x) => x.matches(uri));
    if (!r) throw new Error(`no provider for ${uri.display}`);
    return r.provider;
  };
  return {
    schemes,
    resolve: (uri, ctx) => pick(uri).resolve(uri, ctx),
    download: (uri, source, dest, ctx) => pick(uri).download(uri, source, dest, ctx),
    localPath: (uri: ParsedUri, ctx: StorageContext) => pick(uri).localPath?.(uri, ctx) ?? Promise.resolve(undefined),
  };
}
