/**
 * GCS credentials as KServe's client finds them: `GOOGLE_APPLICATION_CREDENTIALS` names a JSON
 * file; a `service_account` key is exchanged for an access token with the OAuth2 JWT-bearer flow
 * (RFC 7523: an RS256-signed assertion POSTed to the key's `token_uri`), an `authorized_user`
 * file with the refresh-token flow. Without the variable access is anonymous, as KServe falls
 * back to `create_anonymous_client()`. Tokens are cached until a minute before they expire.
 * Neither the key nor the token appears in any message.
 */
import { createSign } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { StorageError } from '../provider.ts';
import { fetchOrThrow } from '../transfer/http.ts';

export const GCS_READ_SCOPE = 'https://www.googleapis.com/auth/devstorage.read_only';
const DEFAULT_TOKEN_URI = 'https://oauth2.googleapis.com/token';

interface CredentialsFile {
  type?: string;
  client_email?: string;
  private_key?: string;
  private_key_id?: string;
  token_uri?: string;
  client_id?: string;
  client_secret?: string;
  refresh_token?: string;
}

const b64url = (s: string | Buffer): string => Buffer.from(s).toString('base64url');

/** The signed JWT assertion for a service account (exported for tests). */
export function signAssertion(key: { client_email: string; private_key: string; private_key_id?: string }, audience: string, nowSec: number, scope = GCS_READ_SCOPE): string {
  const header: Record<string, string> = { alg: 'RS256', typ: 'JWT' };
  if (key.private_key_id) header.kid = key.private_key_id;
  const claims = { iss: key.client_email, scope, aud: audience, iat: nowSec, exp: nowSec + 3600 };
  const unsigned = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  const sig = createSign('RSA-SHA256').update(unsigned).sign(key.private_key);
  return `${unsigned}.${b64url(sig)}`;
}

interface CachedToken {
  token: string;
  expiresAtMs: number;
}

/** Token source per credentials file; one per provider instance, so the cache is not global. */
export class GcsAuth {
  private readonly tokens = new Map<string, CachedToken>();
  constructor(private readonly now: () => number) {}

  /** The Authorization header for this env, or {} for anonymous access. */
  async headers(env: Readonly<Record<string, string | undefined>>, signal?: AbortSignal): Promise<Record<string, string>> {
    const path = env.GOOGLE_APPLICATION_CREDENTIALS?.trim();
    if (!path) return {};
    const hit = this.tokens.get(path);
    if (hit && hit.expiresAtMs - 60_000 > this.now()) return { authorization: `Bearer ${hit.token}` };
    const creds = await readCredentials(path);
    const tokenUri = creds.token_uri || DEFAULT_TOKEN_URI;
    let form: URLSearchParams;
    if (creds.type === 'service_account') {
      if (!creds.client_email || !creds.private_key) throw badFile(path, 'a service_account key needs client_email and private_key');
      let assertion: string;
      try {
        assertion = signAssertion({ client_email: creds.client_email, private_key: creds.private_key, private_key_id: creds.private_key_id }, tokenUri, Math.floor(this.now() / 1000));
      } catch (err) {
        throw badFile(path, 'private_key is not a usable RSA key', err);
      }
      form = new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion });
    } else if (creds.type === 'authorized_user') {
      if (!creds.client_id || !creds.client_secret || !creds.refresh_token) throw badFile(path, 'authorized_user needs client_id, client_secret and refresh_token');
      form = new URLSearchParams({ grant_type: 'refresh_token', client_id: creds.client_id, client_secret: creds.client_secret, refresh_token: creds.refresh_token });
    } else {
      throw badFile(path, `credential type ${JSON.stringify(creds.type)} is not supported (service_account, authorized_user)`);
    }
    const what = `GCS token endpoint ${new URL(tokenUri).origin}`;
    const res = await fetchOrThrow(tokenUri, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() }, what, signal);
    if (!res.ok) {
      await res.body?.cancel().catch(() => undefined);
      const reason = res.status >= 500 || res.status === 429 ? 'Unreachable' : 'Forbidden';
      throw new StorageError(reason, `${what} refused the credentials in GOOGLE_APPLICATION_CREDENTIALS (HTTP ${res.status})`);
    }
    const body = (await res.json().catch(() => ({}))) as { access_token?: string; expires_in?: number };
    if (!body.access_token) throw new StorageError('Forbidden', `${what} returned no access_token`);
    this.tokens.set(path, { token: body.access_token, expiresAtMs: this.now() + (body.expires_in ?? 3600) * 1000 });
    return { authorization: `Bearer ${body.access_token}` };
  }
}

function badFile(path: string, why: string, cause?: unknown): StorageError {
  return new StorageError('Forbidden', `GOOGLE_APPLICATION_CREDENTIALS file ${path}: ${why}`, { cause });
}

async function readCredentials(path: string): Promise<CredentialsFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw badFile(path, `cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`, err);
  }
  try {
    return JSON.parse(text) as CredentialsFile;
  } catch (err) {
    throw badFile(path, 'is not JSON', err);
  }
}
