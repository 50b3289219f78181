/**
 * The storage contract: how a model named by a `storageUri` reaches a local directory. One
 * provider per scheme (`./local`, `./http`, `./s3`, `./gcs`, `./azure`, `./hf`, `./oci`), all
 * behind `StorageProvider`; the cache (`./cache`) calls them and owns where files land, so a
 * provider only resolves a version and writes files under the directory it is given.
 *
 * Layer 1 (DESIGN.md): imports only `core`. Credentials come in `StorageContext.env` with KServe's
 * names (AWS_ACCESS_KEY_ID, AZURE_STORAGE_ACCESS_KEY, HF_TOKEN, ...); they are never written to a
 * log, an error message or a status.
 */
import type { Logger } from '../core/logger.ts';

/** Why a download failed, as status and Events report it (`lastFailureInfo.message` starts with it). */
export type StorageFailure =
  | 'InvalidUri' // malformed URI, or a scheme no provider serves
  | 'NotFound' // missing object, prefix, repository, tag
  | 'Forbidden' // 401/403: wrong or missing credentials
  | 'Unreachable' // connection refused, DNS, timeout, server down (after retries)
  | 'Interrupted' // the connection was cut and resuming/retrying did not complete it
  | 'ChecksumMismatch' // bytes differ from the ETag / digest / sha256 the source or the user gave
  | 'UnsafeArchive' // an entry escaping the target (`../`, absolute path, symlink out), or a special file
  | 'TooLarge' // archive bomb: expanded size or entry count above the limit; or above the cache's size
  | 'DiskFull' // ENOSPC / EDQUOT while writing
  | 'Aborted'; // the caller's signal

/** A failed download: a reason and a message naming the URI (without credentials) and what happened. */
export class StorageError extends Error {
  override readonly name = 'StorageError';
  constructor(
    readonly reason: StorageFailure,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A URI split as providers need it. `scheme` is lower-case without `://` (`s3`, `https`, `hf`, `oci`, `file`). */
export interface ParsedUri {
  /** As written (never logged when it holds userinfo: use `display`). */
  readonly raw: string;
  readonly scheme: string;
  /** Bucket, account host, registry, HF org/repo owner ... (provider-specific; '' when none). */
  readonly host: string;
  /** The rest, without a leading '/'. */
  readonly path: string;
  /** The URI with any userinfo and query secrets (SAS `sig=`) removed, for messages. */
  readonly display: string;
}

/** Download progress, reported often (at most every ~100 ms) and once at the end. */
export interface Progress {
  /** Bytes written so far. */
  bytes: number;
  /** Total when known (S3 sizes, Content-Length, OCI layer sizes). */
  totalBytes?: number;
  /** Files written so far / known in all. */
  files?: number;
  totalFiles?: number;
}

export interface StorageContext {
  /**
   * Environment with KServe's names (the replica's env: the process env of `up` merged with the
   * InferenceService's and its Secret's). Providers read only this, never `process.env`.
   */
  env: Readonly<Record<string, string | undefined>>;
  /** The InferenceService's annotations (`serving.kserve.io/s3-endpoint`, `s3-usehttps`, ...). */
  annotations?: Readonly<Record<string, string>>;
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
  log?: Logger;
}

/** What the source says the artifact is, before any byte is downloaded: the cache key's version half. */
export interface ResolvedSource {
  /**
   * Identifies the content: an S3 ETag set (or the listing's ETags + sizes hashed), an OCI
   * manifest digest, an HF commit sha, an HTTP ETag / Last-Modified + length, a local path's
   * mtime + size. Two resolves of unchanged content give the same string.
   */
  version: string;
  /** Total bytes when known (progress and the cache's size check before download). */
  totalBytes?: number;
  /**
   * A checksum the download must match, when the source gives one for the whole artifact
   * (`sha256:<hex>` of a single file). Per-object checks (S3 single-part ETags, OCI layer digests)
   * are the provider's own job during `download`.
   */
  sha256?: string;
}

export interface StorageProvider {
  /** The schemes it serves, lower-case without `://` (`['s3']`, `['http', 'https']`). */
  readonly schemes: readonly string[];
  /** Cheap: metadata only. Throws StorageError (NotFound, Forbidden, Unreachable, InvalidUri). */
  resolve(uri: ParsedUri, ctx: StorageContext): Promise<ResolvedSource>;
  /**
   * Writes the artifact's files under `dest` (an existing empty directory the cache made; the
   * cache renames it into place only after this resolves): a prefix's objects keep their relative
   * paths, a single object/file keeps its base name, archives are unpacked as KServe does.
   * Streams (no whole-file buffers); retries and resumes transient failures; reports progress;
   * throws StorageError. Never writes outside `dest`.
   */
  download(uri: ParsedUri, source: ResolvedSource, dest: string, ctx: StorageContext): Promise<void>;
  /**
   * Local sources served in place (local paths, `file://`, `pvc://`): the directory to use as the
   * model dir without copying, or undefined to go through `download`.
   */
  localPath?(uri: ParsedUri, ctx: StorageContext): Promise<string | undefined>;
}

/** Splits a storageUri. Throws StorageError('InvalidUri') naming the URI and what was expected. */
export function parseStorageUri(raw: string): ParsedUri {
  if (typeof raw !== 'string' || raw.trim() === '') throw new StorageError('InvalidUri', `storageUri ${JSON.stringify(raw)}: expected a URI such as s3://bucket/path or a local path`);
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/(.*)$/s.exec(raw);
  if (!m) {
    // A local path (absolute or relative): KServe accepts these as-is.
    return { raw, scheme: 'file', host: '', path: raw, display: raw };
  }
  const scheme = m[1]!.toLowerCase();
  const rest = m[2]!;
  const slash = rest.indexOf('/');
  let host = slash < 0 ? rest : rest.slice(0, slash);
  const path = slash < 0 ? '' : rest.slice(slash + 1);
  const at = host.lastIndexOf('@');
  const displayHost = at < 0 ? host : host.slice(at + 1);
  if (scheme === 'http' || scheme === 'https') host = host.toLowerCase();
  const display = `${scheme}://${displayHost}${slash < 0 ? '' : `/${path}`}`.replace(/([?&](sig|se|sp|sv|st|spr|srt|ss|skoid|sktid|skt|ske|sks|skv|X-Amz-Signature|X-Amz-Credential|token)=)[^&]*/gi, '$1REDACTED');
  return { raw, scheme, host, path, display };
}
