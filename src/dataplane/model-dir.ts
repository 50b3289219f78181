/**
 * Finds models in a model directory, following KServe's runtime-container contract:
 *
 * - `--model-dir` is a model file, or a directory whose files are one model → one model named
 *   `--model-name`;
 * - a directory holding only subdirectories → multi-model: each subdirectory is a model named after
 *   it. A subdirectory made of numbered subdirectories (`iris/1/`, `iris/2/`, Triton's layout) is
 *   served at its highest version.
 *
 * The format comes from `--model-format` or, when absent, from the files (detect-format.ts).
 */
import { readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { modelLoadFailed } from '../core/errors.ts';
import { KNOWN_EXTENSIONS, detectFormat } from './detect-format.ts';
import type { ModelOptions } from '../runtimes/model.ts';
import type { FormatLoaders } from './format-loaders.ts';
import type { ModelSource, ModelSpec } from './repository.ts';

export interface ModelDirOptions {
  modelDir: string;
  modelName: string;
  modelFormat?: string;
  /** Format name → its factory, loaded on first use (format-loaders.ts). */
  formats: FormatLoaders;
  /** Extra options for every model (threads, providers...). */
  extra?: Record<string, unknown>;
}

async function isDir(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false;
  }
}

export class ModelDirSource implements ModelSource {
  constructor(private readonly opts: ModelDirOptions) {}

  private spec(name: string, dir: string, version?: string): ModelSpec {
    const { formats, modelFormat, extra } = this.opts;
    const spec: ModelSpec = {
      name,
      create: async () => {
        const format = modelFormat ?? (await detectFormat(dir));
        if (!format) throw modelLoadFailed(name, `no model file with a known extension (${KNOWN_EXTENSIONS.join(', ')}) in ${dir}; pass --model-format`);
        const load = formats[format];
        if (!load) throw modelLoadFailed(name, `model format ${JSON.stringify(format)} is not supported; supported: ${Object.keys(formats).join(', ')}`);
        const o: ModelOptions & Record<string, unknown> = { ...extra, name, modelDir: dir };
        if (version !== undefined) o.version = version;
        return (await load())(o);
      },
    };
    if (version !== undefined) spec.version = version;
    return spec;
  }

  /** A model dir entry: plain, or Triton-style numbered versions (highest wins). */
  private async entry(name: string, dir: string): Promise<ModelSpec> {
    if (await isDir(dir)) {
      const entries = await readdir(dir, { withFileTypes: true });
      const versions = entries.filter((e) => e.isDirectory() && /^\d+$/.test(e.name)).map((e) => Number(e.name));
      if (versions.length > 0 && versions.length === entries.filter((e) => !e.name.startsWith('.')).length) {
        const v = String(Math.max(...versions));
        return this.spec(name, join(dir, v), v);
      }
    }
    return this.spec(name, dir);
  }

  private async isMulti(): Promise<boolean> {
    const dir = this.opts.modelDir;
    if (!(await isDir(dir))) return false;
    const entries = (await readdir(dir, { withFileTypes: true })).filter((e) => !e.name.startsWith('.'));
    return entries.length > 0 && entries.every((e) => e.isDirectory()) && !entries.every((e) => /^\d+$/.test(e.name));
  }

  async list(): Promise<ModelSpec[]> {
    const dir = this.opts.modelDir;
    if (!(await this.isMulti())) return [await this.entry(this.opts.modelName, dir)];
    const entries = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory() && !e.name.startsWith('.'));
    return Promise.all(entries.sort((a, b) => a.name.localeCompare(b.name)).map((e) => this.entry(e.name, join(dir, e.name))));
  }

  async find(name: string): Promise<ModelSpec | undefined> {
    if (!(await this.isMulti())) return name === this.opts.modelName ? this.entry(name, this.opts.modelDir) : undefined;
    if (name !== basename(name) || name.startsWith('.')) return undefined;
    const dir = join(this.opts.modelDir, name);
    return (await isDir(dir)) ? this.entry(name, dir) : undefined;
  }
}

/** A fixed list of specs (custom model classes, tests). */
export class StaticSource implements ModelSource {
  constructor(private readonly specs: ModelSpec[]) {}
  list(): Promise<ModelSpec[]> {
    return Promise.resolve([...this.specs]);
  }
  find(name: string): Promise<ModelSpec | undefined> {
    return Promise.resolve(this.specs.find((s) => s.name === name));
  }
}
