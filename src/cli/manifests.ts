/**
 * Manifests from `-f`: a file, a directory (its `.yaml`, `.yml` and `.json` files, sorted, not
 * recursive, as kubectl), or `-` for stdin; each may hold several YAML documents. Empty documents
 * are skipped; a `kind: List` contributes its items.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { CliError } from './errors.ts';

export interface Manifest {
  /** Where it came from, for messages (`FILE` or `FILE#2` for the second document). */
  source: string;
  object: Record<string, unknown>;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of stream) text += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
  return text;
}

/** Parses multi-document YAML (or JSON) text. */
export function parseManifests(text: string, source: string): Manifest[] {
  const out: Manifest[] = [];
  parseAllDocuments(text).forEach((doc, i) => {
    if (doc.errors.length > 0) throw new CliError(`${source}: document ${i + 1} is not valid YAML: ${doc.errors[0]!.message}`);
    const value = doc.toJS() as unknown;
    if (value === null || value === undefined) return;
    if (typeof value !== 'object' || Array.isArray(value)) throw new CliError(`${source}: document ${i + 1} is not an object`);
    const obj = value as Record<string, unknown>;
    const src = i === 0 ? source : `${source}#${i + 1}`;
    if (typeof obj.kind === 'string' && obj.kind.endsWith('List') && Array.isArray(obj.items)) {
      for (const item of obj.items as Record<string, unknown>[]) out.push({ source: src, object: item });
    } else out.push({ source: src, object: obj });
  });
  return out;
}

/** Reads every `-f` argument in order. */
export async function readManifests(paths: readonly string[], stdin: NodeJS.ReadableStream): Promise<Manifest[]> {
  const out: Manifest[] = [];
  for (const p of paths) {
    if (p === '-') {
      out.push(...parseManifests(await readAll(stdin), '<stdin>'));
      continue;
    }
    let files: string[];
    try {
      files = (await stat(p)).isDirectory() ? (await readdir(p)).filter((f) => /\.(ya?ml|json)$/.test(f)).sort().map((f) => join(p, f)) : [p];
    } catch (err) {
      throw new CliError(`the path ${JSON.stringify(p)} does not exist (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
    for (const f of files) out.push(...parseManifests(await readFile(f, 'utf8'), f));
  }
  if (out.length === 0) throw new CliError(`no objects passed to apply (read ${paths.join(', ')})`);
  return out;
}
