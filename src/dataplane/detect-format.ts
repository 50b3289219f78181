/**
 * The model format of a model file or directory when `--model-format` is not given, from file
 * extensions and, where an extension is shared, the file's first bytes:
 *
 * - `.onnx` → onnx; `.pmml` → pmml; `.ubj` → xgboost; `.txt` → lightgbm (its text model format);
 * - `.bst` / `.model`: a LightGBM text model (KServe's lgbserver example is a text `model.bst`)
 *   starts with `tree`; anything else is an XGBoost booster (legacy binary);
 * - `.json`: an XGBoost model has a `learner` key near the start, a LightGBM JSON dump
 *   (`dump_model()`) a `tree_info` key; other JSON files (a config, a payload) identify nothing.
 *
 * Directories are searched depth-first; the first file that identifies a format wins.
 */
import { open, readdir, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';

const BY_EXTENSION: Readonly<Record<string, string>> = { '.onnx': 'onnx', '.pmml': 'pmml', '.ubj': 'xgboost', '.txt': 'lightgbm' };
const SNIFFED = new Set(['.bst', '.model', '.json']);

/** The extensions that can identify a format (for error messages). */
export const KNOWN_EXTENSIONS: readonly string[] = [...Object.keys(BY_EXTENSION), ...SNIFFED];

async function head(path: string, bytes: number): Promise<string> {
  const f = await open(path, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await f.read(buf, 0, bytes, 0);
    return buf.subarray(0, bytesRead).toString('latin1');
  } finally {
    await f.close();
  }
}

async function sniff(path: string, ext: string): Promise<string | undefined> {
  const text = await head(path, 4096);
  if (ext === '.json') return /"learner"\s*:/.test(text) ? 'xgboost' : /"tree_info"\s*:/.test(text) ? 'lightgbm' : undefined;
  if (/^tree\r?\n/.test(text)) return 'lightgbm';
  // A .txt-like text model of another kind, or an XGBoost legacy binary / UBJSON booster.
  return 'xgboost';
}

async function fileFormat(path: string): Promise<string | undefined> {
  const ext = extname(path).toLowerCase();
  if (BY_EXTENSION[ext]) return BY_EXTENSION[ext];
  if (SNIFFED.has(ext)) return sniff(path, ext);
  return undefined;
}

/** The format of the model at `path` (a file or a directory), or undefined. */
export async function detectFormat(path: string): Promise<string | undefined> {
  let st;
  try {
    st = await stat(path);
  } catch {
    return undefined;
  }
  if (!st.isDirectory()) return fileFormat(path);
  const entries = (await readdir(path, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const f = e.isDirectory() ? await detectFormat(join(path, e.name)) : await fileFormat(join(path, e.name));
    if (f) return f;
  }
  return undefined;
}
