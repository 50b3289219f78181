/**
 * Finds and reads an XGBoost model file as KServe's xgbserver does: `modelDir` is the file itself
 * or a directory holding exactly one `.json`, `.ubj`, `.bst` or `.model` file (directly or one
 * directory level down, e.g. a version folder). Every failure is a ServingError MODEL_LOAD_FAILED
 * whose reason names the file and what was wrong with it.
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { modelLoadFailed } from '../../core/errors.ts';
import { parseLegacyBinary } from './legacy-binary.ts';
import { parseBoosterDocument } from './model-json.ts';
import { type BoosterSpec, ModelFormatError } from './spec.ts';
import { UbjsonError, type UbjValue, decodeUbjson } from './ubjson.ts';

/** File extensions of XGBoost models, as KServe's xgbserver looks for them. */
export const XGBOOST_EXTENSIONS: readonly string[] = Object.freeze(['.json', '.ubj', '.bst', '.model']);

const isModelFile = (name: string): boolean => XGBOOST_EXTENSIONS.includes(extname(name).toLowerCase());

/** The path of the model's one booster file. */
export async function findXgboostFile(modelName: string, modelDir: string): Promise<string> {
  let st;
  try {
    st = await stat(modelDir);
  } catch (err) {
    throw modelLoadFailed(modelName, `model path ${modelDir} does not exist or cannot be read`, err);
  }
  if (st.isFile()) return modelDir;
  const found: string[] = [];
  const top = await readdir(modelDir, { withFileTypes: true });
  for (const e of top) if (e.isFile() && isModelFile(e.name)) found.push(join(modelDir, e.name));
  if (found.length === 0) {
    for (const e of top) {
      if (!e.isDirectory()) continue;
      const sub = await readdir(join(modelDir, e.name), { withFileTypes: true }).catch(() => []);
      for (const f of sub) if (f.isFile() && isModelFile(f.name)) found.push(join(modelDir, e.name, f.name));
    }
  }
  if (found.length === 0) {
    throw modelLoadFailed(modelName, `no XGBoost model file (${XGBOOST_EXTENSIONS.join(', ')}) in ${modelDir}`);
  }
  if (found.length > 1) {
    found.sort();
    throw modelLoadFailed(modelName, `${found.length} model files in ${modelDir}, expected exactly one: ${found.join(', ')}`);
  }
  return found[0]!;
}

/**
 * Parses model bytes. The format is sniffed from the content, not the name: KServe users often
 * save JSON or UBJSON under `model.bst`, and XGBoost itself decides by content the same way.
 */
export function parseBoosterBytes(bytes: Uint8Array): BoosterSpec {
  if (bytes.length === 0) throw new ModelFormatError('the file is empty');
  if (looksLikeJson(bytes)) {
    return parseBoosterDocument(parseXgboostJson(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')));
  }
  if (bytes[0] === 0x7b) {
    try {
      return parseBoosterDocument(decodeUbjson(bytes));
    } catch (err) {
      if (err instanceof UbjsonError) throw new ModelFormatError(`not valid UBJSON: ${err.message}`);
      throw err;
    }
  }
  return parseLegacyBinary(bytes);
}

/**
 * JSON.parse, also accepting the bare NaN / Infinity / -Infinity that XGBoost's JSON writer emits
 * (e.g. split_conditions of categorical splits): NaN becomes null (read back as NaN), Infinity
 * becomes 1e999 (which JSON.parse reads as Infinity). Only files that fail plain parsing pay for it.
 */
function parseXgboostJson(text: string): UbjValue {
  try {
    return JSON.parse(text) as UbjValue;
  } catch (err) {
    let out = '';
    let from = 0;
    let inString = false;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (inString) {
        if (c === 0x5c /* \\ */) i++;
        else if (c === 0x22) inString = false;
      } else if (c === 0x22) {
        inString = true;
      } else if (c === 0x4e /* N */ && text.startsWith('NaN', i)) {
        out += text.slice(from, i) + 'null';
        from = i + 3;
      } else if (c === 0x49 /* I */ && text.startsWith('Infinity', i)) {
        out += text.slice(from, i) + '1e999';
        from = i + 8;
      }
    }
    try {
      return JSON.parse(out + text.slice(from)) as UbjValue;
    } catch {
      throw new ModelFormatError(`not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}

const isSpace = (b: number | undefined): boolean => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;

/** JSON opens with `{` then `"` or `}`; UBJSON's `{` is followed by a length marker, `$` or `#`. */
function looksLikeJson(bytes: Uint8Array): boolean {
  let i = 0;
  while (isSpace(bytes[i])) i++;
  if (bytes[i++] !== 0x7b) return false;
  while (isSpace(bytes[i])) i++;
  return bytes[i] === 0x22 || bytes[i] === 0x7d;
}

/** Reads and parses the model file; failures are MODEL_LOAD_FAILED naming the file. */
export async function readBoosterFile(modelName: string, path: string): Promise<BoosterSpec> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (err) {
    throw modelLoadFailed(modelName, `cannot read ${path}: ${err instanceof Error ? err.message : String(err)}`, err);
  }
  try {
    return parseBoosterBytes(bytes);
  } catch (err) {
    if (err instanceof ModelFormatError) {
      throw modelLoadFailed(modelName, `${path} is not a usable XGBoost model: ${err.message}`, err);
    }
    throw err;
  }
}
