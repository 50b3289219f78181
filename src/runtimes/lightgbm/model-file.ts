/**
 * Finds the LightGBM model file in a model dir as KServe's lgbserver does (a `.bst` file, which
 * for LightGBM is a text model), and also LightGBM's own `.txt` (the CLI's LightGBM_model.txt)
 * and a JSON dump (`.json`, json-model.ts).
 * The model dir may also be the file itself. A dir may hold other `.txt` files (the CLI writes
 * its predictions beside the model), so candidates are narrowed to those that start with `tree`.
 */
import { open, readdir, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { modelLoadFailed } from '../../core/errors.ts';

/** File extensions taken as LightGBM text models. */
export const LIGHTGBM_EXTENSIONS: readonly string[] = ['.bst', '.txt', '.json'];

export async function findLightgbmFile(name: string, modelDir: string): Promise<string> {
  let info;
  try {
    info = await stat(modelDir);
  } catch {
    throw modelLoadFailed(name, `model dir ${modelDir} does not exist`);
  }
  if (info.isFile()) return modelDir;
  const files = (await readdir(modelDir, { withFileTypes: true })).filter((d) => d.isFile()).map((d) => d.name);
  // model.bst (KServe's name) wins; otherwise exactly one candidate, as lgbserver insists.
  if (files.includes('model.bst')) return join(modelDir, 'model.bst');
  const candidates = files.filter((f) => LIGHTGBM_EXTENSIONS.includes(extname(f))).sort();
  const found = candidates.length <= 1 ? candidates : await filterAsync(candidates, async (f) => extname(f) === '.json' || (await startsWithTree(join(modelDir, f))));
  if (found.length === 1) return join(modelDir, found[0]!);
  if (found.length === 0) throw modelLoadFailed(name, `no LightGBM model file (model.bst, *.bst, *.txt or *.json) in ${modelDir}`);
  throw modelLoadFailed(name, `more than one LightGBM model file in ${modelDir} (${found.join(', ')}); only one is allowed`);
}

async function filterAsync(xs: string[], keep: (x: string) => Promise<boolean>): Promise<string[]> {
  const flags = await Promise.all(xs.map(keep));
  return xs.filter((_, i) => flags[i]);
}

/** True when the file's first line is `tree` (a LightGBM text model). */
async function startsWithTree(path: string): Promise<boolean> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(6);
    const { bytesRead } = await fh.read(buf, 0, 6, 0);
    return /^tree\r?\n/.test(buf.subarray(0, bytesRead).toString('latin1'));
  } finally {
    await fh.close();
  }
}
