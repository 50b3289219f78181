/**
 * Finds the `.pmml` file of a model as KServe's pmmlserver does: `modelDir` is the file itself or
 * a directory holding exactly one `.pmml` file (none or several is a load error naming them).
 * One leniency over pmmlserver: among several, a file named `model.pmml` (the name KServe's
 * examples use) is chosen, so a model dir may keep other PMML files beside it.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { modelLoadFailed } from '../../core/errors.ts';

export async function findPmmlFile(modelName: string, modelDir: string): Promise<string> {
  const st = await stat(modelDir).catch((err: unknown) => {
    throw modelLoadFailed(modelName, `model path ${modelDir} does not exist or cannot be read`, err);
  });
  if (st.isFile()) return modelDir;
  const entries = await readdir(modelDir, { withFileTypes: true });
  const found = entries.filter((e) => e.isFile() && e.name.toLowerCase().endsWith('.pmml')).map((e) => join(modelDir, e.name)).sort();
  if (found.length === 1) return found[0] as string;
  const preferred = found.find((p) => p === join(modelDir, 'model.pmml'));
  if (preferred) return preferred;
  const what = found.length === 0 ? 'no .pmml file' : `${found.length} .pmml files (${found.join(', ')}), expected exactly one,`;
  throw modelLoadFailed(modelName, `${what} in ${modelDir}`);
}
