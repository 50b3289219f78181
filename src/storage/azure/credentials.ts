/**
 * How the Azure provider authenticates, from KServe's env names, in KServe's order:
 *
 * 1. `AZURE_STORAGE_CONNECTION_STRING` (also names the endpoint: Azurite, sovereign clouds);
 * 2. a service principal, `AZURE_{TENANT_ID,CLIENT_ID,CLIENT_SECRET}` (legacy `AZ_*`): the OAuth2
 *    client-credentials grant against `AZURE_AUTHORITY_HOST` (default login.microsoftonline.com)
 *    for scope `https://storage.azure.com/.default`, done here with fetch because
 *    @azure/identity is not a dependency;
 * 3. `AZURE_STORAGE_ACCESS_KEY`, the account key (Shared Key signing);
 * 4. a SAS in the URI's query;
 * 5. anonymous (public containers).
 *
 * `AZURE_STORAGE_BLOB_ENDPOINT` replaces the service URL (e.g. `http://127.0.0.1:10000/devstoreaccount1`).
 */
import { AnonymousCredential, BlobServiceClient, StorageSharedKeyCredential, type StoragePipelineOptions } from '@azure/storage-blob';
import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { StorageError } from '../provider.ts';
import { fetchOrThrow } from '../transfer/http.ts';
import type { AzureBlobRef } from './uri.ts';

type Env = Readonly<Record<string, string | undefined>>;

export type AzureAuthKind = 'connection-string' | 'service-principal' | 'account-key' | 'sas' | 'anonymous';

/** The SDK's own retries are off: the provider retries with its injected backoff. */
const PIPELINE: StoragePipelineOptions = { retryOptions: { maxTries: 1 } };

export const STORAGE_SCOPE = 'https://storage.azure.com/.default';

/** Client-credentials grant (exported for tests: Azurite serves bearer tokens only over https). */
export function servicePrincipalCredential(tenant: string, clientId: string, secret: string, authorityHost: string, now: () => number = Date.now): TokenCredential {
  let cached: AccessToken | undefined;
  return {
    async getToken(_scopes, options): Promise<AccessToken> {
      if (cached && cached.expiresOnTimestamp - 60_000 > now()) return cached;
      const url = `${authorityHost.replace(/\/+$/, '')}/${encodeURIComponent(tenant)}/oauth2/v2.0/token`;
      const what = `Azure AD token endpoint for tenant ${tenant}`;
      const body = new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: secret, scope: STORAGE_SCOPE });
      const res = await fetchOrThrow(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: body.toString() }, what, options?.abortSignal as AbortSignal | undefined);
      if (!res.ok) {
        await res.body?.cancel().catch(() => undefined);
        throw new StorageError(res.status >= 500 ? 'Unreachable' : 'Forbidden', `${what} refused client ${clientId} (HTTP ${res.status}); check AZURE_CLIENT_SECRET`);
      }
      const json = (await res.json().catch(() => ({}))) as { access_token?: string; expires_in?: number };
      if (!json.access_token) throw new StorageError('Forbidden', `${what} returned no access_token`);
      cached = { token: json.access_token, expiresOnTimestamp: now() + (json.expires_in ?? 3600) * 1000 };
      return cached;
    },
  };
}

export function serviceClient(ref: AzureBlobRef, env: Env): { client: BlobServiceClient; auth: AzureAuthKind } {
  const cs = env.AZURE_STORAGE_CONNECTION_STRING?.trim();
  if (cs) {
    let client: BlobServiceClient;
    try {
      client = BlobServiceClient.fromConnectionString(cs, PIPELINE);
    } catch (err) {
      // The SDK's message may quote the string; say only what is wrong.
      throw new StorageError('InvalidUri', 'AZURE_STORAGE_CONNECTION_STRING is not a valid Azure Storage connection string', { cause: err });
    }
    // Otherwise the URI's container would silently be read from another account.
    if (client.accountName && client.accountName !== ref.account) {
      throw new StorageError('InvalidUri', `the URI names account ${ref.account} but AZURE_STORAGE_CONNECTION_STRING is for account ${client.accountName}`);
    }
    return { client, auth: 'connection-string' };
  }
  const endpoint = (env.AZURE_STORAGE_BLOB_ENDPOINT?.trim() || ref.serviceUrl).replace(/\/+$/, '');
  const withSas = ref.sas ? `${endpoint}?${ref.sas}` : endpoint;
  const tenant = env.AZURE_TENANT_ID || env.AZ_TENANT_ID;
  const clientId = env.AZURE_CLIENT_ID || env.AZ_CLIENT_ID;
  const secret = env.AZURE_CLIENT_SECRET || env.AZ_CLIENT_SECRET;
  if (clientId) {
    if (!tenant || !secret) {
      throw new StorageError('Forbidden', 'AZURE_CLIENT_ID is set but AZURE_TENANT_ID or AZURE_CLIENT_SECRET is missing (workload identity and certificates are not supported)');
    }
    const cred = servicePrincipalCredential(tenant, clientId, secret, env.AZURE_AUTHORITY_HOST || 'https://login.microsoftonline.com');
    return { client: new BlobServiceClient(endpoint, cred, PIPELINE), auth: 'service-principal' };
  }
  const key = env.AZURE_STORAGE_ACCESS_KEY?.trim();
  if (key) {
    let cred: StorageSharedKeyCredential;
    try {
      cred = new StorageSharedKeyCredential(ref.account, key);
    } catch (err) {
      throw new StorageError('Forbidden', `AZURE_STORAGE_ACCESS_KEY is not a valid key for account ${ref.account}`, { cause: err });
    }
    return { client: new BlobServiceClient(endpoint, cred, PIPELINE), auth: 'account-key' };
  }
  return { client: new BlobServiceClient(withSas, new AnonymousCredential(), PIPELINE), auth: ref.sas ? 'sas' : 'anonymous' };
}
