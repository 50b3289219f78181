/**
 * KServe's rule for object stores (`_download_gcs`, `_download_azure_blob`): when the download is
 * exactly one file and its name says `.tar`, `.tar.gz`, `.tgz` or `.zip`, it is unpacked into the
 * model directory and the archive removed. Extraction is ../archive's (zip-slip and bomb checks).
 */
import { rm } from 'node:fs/promises';
import { archiveKind, extractArchive, type ExtractLimits } from '../archive/extract.ts';
import { safeJoin } from './file.ts';

/** Unpacks `dest/relPath` in place when it is an archive; returns whether it was one. */
export async function unpackSingleArchive(dest: string, relPath: string, what: string, limits?: ExtractLimits): Promise<boolean> {
  const kind = archiveKind(relPath);
  if (!kind) return false;
  const file = safeJoin(dest, relPath, what);
  try {
    await extractArchive(file, kind, dest, { ...limits, what });
  } finally {
    await rm(file, { force: true });
  }
  return true;
}
