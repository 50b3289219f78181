/**
 * S3 settings from KServe's names: the replica's env (`AWS_*`, `S3_*`, `awsAnonymousCredential`)
 * and the InferenceService's `serving.kserve.io/s3-*` annotations. KServe's controller turns the
 * annotations into env vars, an annotation winning over the Secret's value
 * (pkg/credentials/s3/utils.go `getEnvValue`); here both arrive in the StorageContext, so the same
 * precedence is applied in one place: annotation, then env, then the default.
 *
 * Parsed once per call, validated, frozen; never logged (it holds the secret key).
 */
import { StorageError } from '../provider.ts';

const ANN = 'serving.kserve.io/';

/** The annotations read here, by KServe's names (pkg/credentials/s3/s3_secret.go). */
export const S3_ANNOTATIONS = {
  endpoint: `${ANN}s3-endpoint`,
  useHttps: `${ANN}s3-usehttps`,
  region: `${ANN}s3-region`,
  verifySsl: `${ANN}s3-verifyssl`,
  useVirtualBucket: `${ANN}s3-usevirtualbucket`,
  useAnonymousCredential: `${ANN}s3-useanoncredential`,
  caBundle: `${ANN}s3-cabundle`,
} as const;

export interface S3Settings {
  /** `http(s)://host[:port]`, or undefined for AWS's own endpoints. */
  readonly endpoint: string | undefined;
  readonly region: string;
  /** Path-style addressing (`host/bucket/key`): the default for a custom endpoint. */
  readonly forcePathStyle: boolean;
  /** undefined: unsigned requests (anonymous). */
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string; readonly sessionToken?: string } | undefined;
  readonly verifySsl: boolean;
  /** Path of a PEM CA bundle (AWS_CA_BUNDLE / s3-cabundle). */
  readonly caBundlePath: string | undefined;
  /** S3_MAX_FILE_CONCURRENCY (KServe's default 4). */
  readonly maxFileConcurrency: number;
  /** S3_CONNECT_TIMEOUT / S3_READ_TIMEOUT in seconds (KServe: 15, 30), here in ms. */
  readonly connectTimeoutMs: number;
  readonly readTimeoutMs: number;
  /** S3_MAX_ATTEMPTS (KServe: 3): the SDK's attempts per request. */
  readonly maxAttempts: number;
  /**
   * `S3_VERIFY_MD5` (kserve-ts's own; default true): check single-part ETags against the MD5 of
   * the bytes. About 1.2 CPU-seconds per GB, on a core the transfer leaves idle on most machines.
   */
  readonly verifyMd5: boolean;
}

const truthy = (v: string): boolean => !['0', 'false', 'no', 'off', ''].includes(v.trim().toLowerCase());

function positiveInt(name: string, raw: string | undefined, dflt: number, max: number): number {
  if (raw === undefined || raw.trim() === '') return dflt;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max) {
    throw new StorageError('InvalidUri', `${name}=${JSON.stringify(raw)}: expected an integer from 1 to ${max}`);
  }
  return n;
}

/**
 * KServe's endpoint rule (utils.go `getEndpointConfiguration`): a value with a scheme is used as is;
 * without one, `https://` unless use-https is "0". AWS_ENDPOINT_URL, which KServe's controller
 * derives from S3_ENDPOINT, wins over S3_ENDPOINT when both are set.
 */
function endpointOf(ann: Readonly<Record<string, string>>, env: Readonly<Record<string, string | undefined>>): string | undefined {
  const useHttps = ann[S3_ANNOTATIONS.useHttps] ?? env.S3_USE_HTTPS;
  const fromHost = (raw: string): string => {
    const v = raw.trim();
    if (/^https?:\/\//i.test(v)) return v;
    return `${useHttps !== undefined && useHttps.trim() === '0' ? 'http' : 'https'}://${v}`;
  };
  const annEndpoint = ann[S3_ANNOTATIONS.endpoint];
  if (annEndpoint?.trim()) return fromHost(annEndpoint);
  if (env.AWS_ENDPOINT_URL?.trim()) return env.AWS_ENDPOINT_URL.trim();
  if (env.S3_ENDPOINT?.trim()) return fromHost(env.S3_ENDPOINT);
  return undefined;
}

/** Reads and validates the settings. Throws StorageError('InvalidUri') naming the bad key and value. */
export function s3Settings(env: Readonly<Record<string, string | undefined>>, annotations: Readonly<Record<string, string>> = {}): S3Settings {
  const pick = (annKey: string, envKey: string): string | undefined => annotations[annKey] ?? env[envKey];
  let endpoint = endpointOf(annotations, env);
  if (endpoint !== undefined) {
    try {
      const u = new URL(endpoint);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('scheme');
      endpoint = endpoint.replace(/\/+$/, '');
    } catch {
      throw new StorageError('InvalidUri', `S3 endpoint ${JSON.stringify(endpoint)}: expected host[:port] or http(s)://host[:port]`);
    }
  }
  const region = pick(S3_ANNOTATIONS.region, 'AWS_DEFAULT_REGION')?.trim() || env.AWS_REGION?.trim() || 'us-east-1';
  const anonRaw = pick(S3_ANNOTATIONS.useAnonymousCredential, 'awsAnonymousCredential');
  const anonymous = anonRaw !== undefined && anonRaw.trim().toLowerCase() === 'true';
  const keyId = env.AWS_ACCESS_KEY_ID?.trim();
  const secret = env.AWS_SECRET_ACCESS_KEY?.trim();
  // No keys: unsigned requests. The SDK's default chain (instance roles, ~/.aws) is not used: it
  // would read the host's process env and files, which a replica's storage must not see.
  const credentials =
    !anonymous && keyId && secret
      ? { accessKeyId: keyId, secretAccessKey: secret, ...(env.AWS_SESSION_TOKEN?.trim() ? { sessionToken: env.AWS_SESSION_TOKEN.trim() } : {}) }
      : undefined;
  const virtualRaw = pick(S3_ANNOTATIONS.useVirtualBucket, 'S3_USER_VIRTUAL_BUCKET');
  const virtual = virtualRaw !== undefined && virtualRaw.trim().toLowerCase() === 'true';
  const verifyRaw = pick(S3_ANNOTATIONS.verifySsl, 'S3_VERIFY_SSL');
  const caBundlePath = pick(S3_ANNOTATIONS.caBundle, 'AWS_CA_BUNDLE')?.trim() || undefined;
  return Object.freeze({
    endpoint,
    region,
    forcePathStyle: endpoint !== undefined && !virtual,
    credentials: credentials ? Object.freeze(credentials) : undefined,
    verifySsl: verifyRaw === undefined ? true : truthy(verifyRaw),
    caBundlePath,
    maxFileConcurrency: positiveInt('S3_MAX_FILE_CONCURRENCY', env.S3_MAX_FILE_CONCURRENCY, 4, 64),
    connectTimeoutMs: positiveInt('S3_CONNECT_TIMEOUT', env.S3_CONNECT_TIMEOUT, 15, 3600) * 1000,
    readTimeoutMs: positiveInt('S3_READ_TIMEOUT', env.S3_READ_TIMEOUT, 30, 3600) * 1000,
    maxAttempts: positiveInt('S3_MAX_ATTEMPTS', env.S3_MAX_ATTEMPTS, 3, 20),
    verifyMd5: env.S3_VERIFY_MD5 === undefined ? true : truthy(env.S3_VERIFY_MD5),
  });
}
