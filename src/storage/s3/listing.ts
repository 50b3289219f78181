/**
 * What `s3://bucket/path` names, as KServe's storage initializer reads it: the object whose key is
 * exactly `path` (written under its base name), or else every object under the prefix, each at its
 * key relative to the prefix. Keys ending in '/' are console "folder" markers and are skipped.
 *
 * Two deliberate differences from kserve_storage.py `_download_s3`: the prefix is matched at a
 * '/' boundary (KServe's plain `startswith` makes `s3://b/model` also take `model-old/x` as
 * `-old/x`), and empty objects are written as empty files (KServe skips size-0 objects, which
 * drops real empty files such as `__init__.py`).
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { StorageError } from '../provider.ts';
import { shouldDownload, type FileFilter } from '../transfer/patterns.ts';
import { toStorageError } from './errors.ts';

export interface S3Object {
  readonly key: string;
  /** Where it goes, relative to the destination, '/'-separated, checked not to escape it. */
  readonly rel: string;
  readonly size: number;
  /** Without quotes. 32 hex digits for a single-part upload (its MD5), `<hex>-<n>` for multipart. */
  readonly etag: string;
}

export interface S3Listing {
  readonly objects: readonly S3Object[];
  readonly totalBytes: number;
  /** sha256 over the sorted (key, ETag, size) lines: equal for unchanged content. */
  readonly version: string;
}

/** `rel` normalised to a safe relative path, or a StorageError('UnsafeArchive') for `..`/absolute. */
function safeRel(rel: string, key: string, display: string): string {
  const parts = rel.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.length === 0 || parts.some((p) => p === '..') || rel.includes('\0') || path.isAbsolute(rel) || /^[a-zA-Z]:/.test(rel)) {
    throw new StorageError('UnsafeArchive', `UnsafeArchive: ${display}: object key ${JSON.stringify(key)} would be written outside the model directory`);
  }
  return parts.join('/');
}

/**
 * Lists (ListObjectsV2, every page) and plans the files. `filter` (STORAGE_ALLOW_PATTERNS /
 * STORAGE_IGNORE_PATTERNS) applies to a prefix's relative paths, not to an exact object (as
 * KServe). Throws NotFound when nothing matches.
 */
export async function listModel(client: S3Client, bucket: string, keyPath: string, display: string, filter: FileFilter, signal?: AbortSignal): Promise<S3Listing> {
  if (bucket === '') throw new StorageError('InvalidUri', `InvalidUri: ${display}: expected s3://bucket[/prefix]`);
  const all: { key: string; size: number; etag: string }[] = [];
  let token: string | undefined;
  do {
    let page;
    try {
      page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: keyPath || undefined, ContinuationToken: token }), { abortSignal: signal });
    } catch (err) {
      throw toStorageError(err, display, bucket, 'listing objects', signal);
    }
    for (const o of page.Contents ?? []) {
      if (o.Key === undefined) continue;
      all.push({ key: o.Key, size: Number(o.Size ?? 0), etag: (o.ETag ?? '').replace(/"/g, '') });
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);

  let objects: S3Object[];
  const exact = keyPath !== '' && !keyPath.endsWith('/') ? all.find((o) => o.key === keyPath) : undefined;
  if (exact) {
    objects = [{ ...exact, rel: safeRel(path.posix.basename(exact.key), exact.key, display) }];
  } else {
    const prefix = keyPath === '' || keyPath.endsWith('/') ? keyPath : `${keyPath}/`;
    objects = all
      .filter((o) => o.key.startsWith(prefix) && !o.key.endsWith('/'))
      .map((o) => ({ ...o, rel: safeRel(o.key.slice(prefix.length), o.key, display) }))
      .filter((o) => shouldDownload(o.rel, filter));
  }
  if (objects.length === 0) {
    const filtered = filter.allow || filter.ignore ? ' (after STORAGE_ALLOW_PATTERNS / STORAGE_IGNORE_PATTERNS)' : '';
    throw new StorageError('NotFound', `NotFound: ${display}: no object ${keyPath ? `at or under ${JSON.stringify(keyPath)} ` : ''}in bucket ${JSON.stringify(bucket)}${filtered}`);
  }
  objects.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const h = createHash('sha256');
  let totalBytes = 0;
  for (const o of objects) {
    h.update(`${o.key}\t${o.etag}\t${o.size}\n`);
    totalBytes += o.size;
  }
  return { objects, totalBytes, version: `s3-list-sha256:${h.digest('hex')}` };
}
