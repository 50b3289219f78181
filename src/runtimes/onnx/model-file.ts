/**
 * Finds the one `.onnx` file of a model: `modelDir` is either the file itself or a directory
 * holding exactly one `.onnx` file, directly or one directory level down (a version folder such
 * as `1/model.onnx`, or the folder a storage initializer unpacked).
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { modelLoadFailed } from '../../core/errors.ts';

const isOnnx = (name: string): boolean => name.toLowerCase().endsWith('.onnx');

/** The path of the model's `.onnx` file; throws MODEL_LOAD_FAILED naming what was found. */
export async function findOnnxFile(modelName: string, modelDir: string): Promise<string> {
  let st;
  try {
    st = await stat(modelDir);
  } catch (err) {
    throw modelLoadFailed(modelName, `model path ${modelDir} does not exist or cannot be read`, err);
  }
  if (st.isFile()) {
    if (!isOnnx(modelDir)) throw modelLoadFailed(modelName, `model path ${modelDir} is a file but not an .onnx file`);
    return modelDir;
  }
  const found: string[] = [];
  const top = await readdir(modelDir, { withFileTypes: true });
  for (const e of top) {
    if (e.isFile() && isOnnx(e.name)) found.push(join(modelDir, e.name));
  }
  for (const e of top) {
    if (!e.isDirectory()) continue;
    const sub = await readdir(join(modelDir, e.name), { withFileTypes: true }).catch(() => []);
    for (const f of sub) if (f.isFile() && isOnnx(f.name)) found.push(join(modelDir, e.name, f.name));
  }
  if (found.length === 0) {
    throw modelLoadFailed(modelName, `no .onnx file in ${modelDir} (looked in the directory and its immediate subdirectories)`);
  }
  if (found.length > 1) {
    found.sort();
    throw modelLoadFailed(modelName, `${found.length} .onnx files in ${modelDir}, expected exactly one: ${found.join(', ')}`);
  }
  return found[0]!;
}
