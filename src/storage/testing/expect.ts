/**
 * Assertions the storage providers' tests share: the files a download wrote, and a rejection
 * with a given StorageError reason.
 */
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { StorageError } from '../provider.ts';

/** Every file under `dir` (relative path → UTF-8 content). */
export async function tree(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (e.isFile()) out[relative(dir, join(e.parentPath, e.name))] = await readFile(join(e.parentPath, e.name), 'utf8');
  }
  return out;
}

/** Awaits `p`, which must reject with a StorageError of `reason` (and a message matching `re`). */
export async function rejectsWith(p: Promise<unknown>, reason: string, re?: RegExp): Promise<StorageError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof StorageError, `expected StorageError, got ${String(err)}`);
    assert.equal(err.reason, reason, err.message);
    if (re) assert.match(err.message, re);
    return err;
  }
  assert.fail(`expected ${reason}`);
}
