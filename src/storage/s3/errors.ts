/**
 * The one place S3 failures become StorageError reasons. Messages name the URI (display form) and
 * the bucket, and the S3 error code; never a key id, secret or signature.
 */
import { StorageError, type StorageFailure } from '../provider.ts';

const FORBIDDEN_CODES = new Set(['AccessDenied', 'InvalidAccessKeyId', 'SignatureDoesNotMatch', 'ExpiredToken', 'InvalidToken', 'AllAccessDisabled', 'AccountProblem']);
const NOT_FOUND_CODES = new Set(['NoSuchBucket', 'NoSuchKey', 'NotFound']);
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'ECONNRESET', 'EPIPE', 'ECONNABORTED', 'UND_ERR_SOCKET', 'ERR_STREAM_PREMATURE_CLOSE', 'CERT_HAS_EXPIRED', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'ERR_TLS_CERT_ALTNAME_INVALID']);

interface SdkLikeError {
  name?: string;
  code?: string;
  Code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
  cause?: unknown;
}

/** HTTP status the S3 service answered, when it answered. */
export function httpStatusOf(err: unknown): number | undefined {
  return (err as SdkLikeError | undefined)?.$metadata?.httpStatusCode;
}

/** The error's code: S3's (`AccessDenied`) or the system's (`ECONNREFUSED`), looking through causes. */
export function codeOf(err: unknown): string | undefined {
  for (let e = err as SdkLikeError | undefined, depth = 0; e && depth < 5; e = e.cause as SdkLikeError | undefined, depth++) {
    const code = e.Code ?? e.code ?? (e.name && e.name !== 'Error' ? e.name : undefined);
    if (code) return code;
  }
  return undefined;
}

/** A transient failure worth retrying: the connection dropped, a 5xx, a throttle, a timeout. */
export function isTransient(err: unknown): boolean {
  if (err instanceof StorageError) return err.reason === 'Interrupted' || err.reason === 'Unreachable';
  const status = httpStatusOf(err);
  if (status !== undefined && (status >= 500 || status === 429 || status === 408)) return true;
  if (status !== undefined && status < 500) return false;
  const code = codeOf(err) ?? '';
  return NETWORK_CODES.has(code) || code === 'TimeoutError' || code === 'RequestTimeout' || code === 'SlowDown' || /aborted|socket hang up|premature close/i.test(String((err as SdkLikeError)?.message));
}

/** Maps any error of an S3 call about `display` (bucket `bucket`) to a StorageError. */
export function toStorageError(err: unknown, display: string, bucket: string, what: string, signal?: AbortSignal): StorageError {
  if (err instanceof StorageError) return err;
  const e = err as SdkLikeError;
  const code = codeOf(err) ?? 'unknown';
  const status = httpStatusOf(err);
  const say = (reason: StorageFailure, text: string): StorageError => new StorageError(reason, `${reason}: ${display}: ${text}`, { cause: err });
  if (signal?.aborted || code === 'AbortError') return say('Aborted', `${what} aborted`);
  if (code === 'ENOSPC' || code === 'EDQUOT') return say('DiskFull', `${what}: no space left on the device (${code})`);
  if (FORBIDDEN_CODES.has(code) || status === 403 || status === 401) {
    return say('Forbidden', `access to bucket ${JSON.stringify(bucket)} denied (${code}${status ? `, HTTP ${status}` : ''}): check AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY or awsAnonymousCredential`);
  }
  if (NOT_FOUND_CODES.has(code) || status === 404) {
    return say('NotFound', code === 'NoSuchBucket' ? `bucket ${JSON.stringify(bucket)} does not exist` : `${what}: not found (${code})`);
  }
  if (status === 412) return say('ChecksumMismatch', `${what}: the object changed during the download (HTTP 412)`);
  if (status !== undefined && status < 500 && status !== 408 && status !== 429) {
    return say('Unreachable', `${what}: the server answered HTTP ${status} (${code})`);
  }
  const detail = status !== undefined ? `HTTP ${status} (${code})` : `${code}${e?.message && e.message !== code ? `: ${e.message}` : ''}`;
  return say('Unreachable', `${what}: ${detail}`);
}
