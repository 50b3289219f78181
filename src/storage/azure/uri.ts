/**
 * Azure Blob URIs as KServe accepts them (`_AZURE_BLOB_RE`: `https://{account}.blob.core.windows.net/{container}/{prefix}`,
 * an optional SAS in the query), plus the path-style form of the Azurite emulator and Azure Stack
 * (`http://127.0.0.1:10000/devstoreaccount1/{container}/{prefix}`).
 */
import { StorageError, type ParsedUri } from '../provider.ts';

/** Azurite's well-known development account (public, documented by Microsoft). */
export const EMULATOR_ACCOUNT = 'devstoreaccount1';

const HOST_RE = /^([a-z0-9]{3,24})\.blob\.core\.windows\.net$/;

export interface AzureBlobRef {
  readonly account: string;
  readonly container: string;
  /** Blob name or prefix, without leading or trailing '/'. */
  readonly prefix: string;
  /** `https://{account}.blob.core.windows.net`, or for path-style URIs `{origin}/{account}`. */
  readonly serviceUrl: string;
  /** The SAS query (without '?'), '' when none. Secret: never in messages. */
  readonly sas: string;
}

/** True for URIs this provider serves: the registry routes them here before the generic https provider. */
export function isAzureBlobUri(uri: ParsedUri): boolean {
  if (uri.scheme === 'https' && HOST_RE.test(uri.host)) return true;
  return (uri.scheme === 'http' || uri.scheme === 'https') && uri.path.split(/[/?]/)[0] === EMULATOR_ACCOUNT;
}

export function parseAzureUri(uri: ParsedUri): AzureBlobRef {
  const bad = (why: string): StorageError =>
    new StorageError('InvalidUri', `${uri.display}: ${why}; expected https://{account}.blob.core.windows.net/{container}/{path}`);
  if (!isAzureBlobUri(uri)) throw bad('not an Azure Blob URI (Azure Files, *.file.core.windows.net, is not supported)');
  let url: URL;
  try {
    url = new URL(uri.raw);
  } catch {
    throw bad('not a valid URL');
  }
  const parts = url.pathname.split('/').filter((p) => p !== '').map((p) => decodeURIComponent(p));
  const host = HOST_RE.exec(url.hostname);
  let account: string;
  let serviceUrl: string;
  if (host) {
    account = host[1]!;
    serviceUrl = `https://${url.hostname}`;
  } else {
    account = parts.shift()!;
    serviceUrl = `${url.origin}/${account}`;
  }
  const container = parts.shift();
  if (!container) throw bad('the container is missing');
  if (!/^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,62}$/.test(container) && container !== '$root') throw bad(`${JSON.stringify(container)} is not a valid container name`);
  return { account, container, prefix: parts.join('/'), serviceUrl, sas: url.search.replace(/^\?/, '') };
}
