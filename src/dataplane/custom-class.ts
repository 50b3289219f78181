/**
 * `--model-class FILE`: serve a user's Model subclass. The file's default export (or an export
 * named `Model`/`default`-like class) is constructed as `new Cls(name, { name, modelDir })`.
 * TypeScript files are loaded through tsx, so a custom model is one small .ts file.
 */
import { resolve as resolvePath } from 'node:path';
import { pathToFileURL } from 'node:url';
import { modelLoadFailed } from '../core/errors.ts';
import type { Model, ModelFactory, ModelOptions } from '../runtimes/model.ts';

type ModelClass = new (name: string, opts: ModelOptions) => Model;

function looksLikeModelClass(v: unknown): v is ModelClass {
  if (typeof v !== 'function') return false;
  const proto = (v as { prototype?: Record<string, unknown> }).prototype;
  return !!proto && typeof proto.predict === 'function' && typeof proto.load === 'function' && typeof proto.metadata === 'function';
}

/** Imports FILE and returns a factory for its Model class. */
export async function loadModelClass(file: string): Promise<ModelFactory> {
  const abs = resolvePath(file);
  let mod: Record<string, unknown>;
  try {
    if (/\.(ts|mts|cts)$/.test(abs)) {
      const { tsImport } = await import('tsx/esm/api');
      mod = (await tsImport(pathToFileURL(abs).href, import.meta.url)) as Record<string, unknown>;
    } else {
      mod = (await import(pathToFileURL(abs).href)) as Record<string, unknown>;
    }
  } catch (err) {
    throw modelLoadFailed(file, `cannot import --model-class ${file}: ${(err as Error).message}`, err);
  }
  const candidates = [mod.default, ...Object.values(mod)];
  const Cls = candidates.find(looksLikeModelClass);
  if (!Cls) {
    throw modelLoadFailed(file, `--model-class ${file} exports no Model class (a class with load(), metadata() and predict(); export it as default)`);
  }
  return (opts) => new Cls(opts.name, opts);
}
