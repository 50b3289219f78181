/**
 * A LightGBM text model → EnsembleSpec. The file is `tree`, header `key=value` lines, then
 * `Tree=0`, `Tree=1`, ... sections, then `end of trees` (feature importances and parameters
 * follow and are ignored). A file cut short is caught by the tree count: the header's
 * num_tree_per_iteration must divide it, and `end of trees` must be present.
 */
import { parseTree } from './parse-tree.ts';
import type { EnsembleSpec, TreeSpec } from './spec.ts';
import { type Entry, LightgbmFormatError, entryOf, intIn, tokens } from './text-format.ts';

/** Text-model versions this parser reads (LightGBM 3.x writes v3, 4.x writes v4). */
export const SUPPORTED_VERSIONS: readonly string[] = ['v3', 'v4'];

/** Parses a whole model; throws LightgbmFormatError naming the line. */
export function parseLightgbmModel(text: string): EnsembleSpec {
  const lines = text.split(/\r?\n/);
  if (lines[0]?.trim() !== 'tree') {
    throw new LightgbmFormatError(1, `expected "tree" (a LightGBM text model), got ${JSON.stringify((lines[0] ?? '').slice(0, 40))}`);
  }
  const header = new Map<string, Entry>();
  let i = 1;
  for (; i < lines.length; i++) {
    const s = lines[i]!.trim();
    if (s.startsWith('Tree=') || s === 'end of trees') break;
    if (s !== '') {
      const e = entryOf(s, i + 1);
      header.set(e.key, e);
    }
  }
  const spec = parseHeader(header, i + 1);
  let ended = false;
  while (i < lines.length) {
    const s = lines[i]!.trim();
    if (s === 'end of trees') {
      ended = true;
      break;
    }
    if (!s.startsWith('Tree=')) {
      i++;
      if (s === '') continue;
      throw new LightgbmFormatError(i, `expected Tree=${spec.trees.length} or "end of trees", got ${JSON.stringify(s.slice(0, 40))}`);
    }
    const at = i + 1;
    if (s !== `Tree=${spec.trees.length}`) throw new LightgbmFormatError(at, `expected Tree=${spec.trees.length}, got ${s}`);
    const entries = new Map<string, Entry>();
    for (i++; i < lines.length; i++) {
      const t = lines[i]!.trim();
      if (t === '' || t.startsWith('Tree=') || t === 'end of trees') break;
      const e = entryOf(t, i + 1);
      entries.set(e.key, e);
    }
    spec.trees.push(parseTree(entries, at, spec.maxFeatureIdx));
  }
  checkEnd(spec, ended, lines.length);
  return spec;
}

/** `end`: the line after the header, named when a key is missing (a cut-short file ends there). */
function parseHeader(h: ReadonlyMap<string, Entry>, end: number): EnsembleSpec {
  const need = (key: string): Entry => {
    const e = h.get(key);
    if (!e) throw new LightgbmFormatError(end, `the header (before this line) has no ${key}= line`);
    return e;
  };
  const v = need('version');
  if (!SUPPORTED_VERSIONS.includes(v.value ?? '')) {
    throw new LightgbmFormatError(v.line, `version=${v.value ?? ''} is not supported (supported: ${SUPPORTED_VERSIONS.join(', ')})`);
  }
  const maxFeatureIdx = intIn(need('max_feature_idx'), 0, 1 << 24);
  const numClass = intIn(need('num_class'), 1, 1 << 16);
  const perIter = h.get('num_tree_per_iteration');
  const names = h.get('feature_names');
  const featureNames = names ? tokens(names) : Array.from({ length: maxFeatureIdx + 1 }, (_, k) => `Column_${k}`);
  if (featureNames.length !== maxFeatureIdx + 1) {
    throw new LightgbmFormatError(names?.line ?? end, `feature_names: ${featureNames.length} names, expected ${maxFeatureIdx + 1} (max_feature_idx + 1)`);
  }
  const objective = h.get('objective')?.value;
  return {
    version: v.value!,
    numClass,
    numTreePerIteration: perIter ? intIn(perIter, 1, 1 << 16) : numClass,
    labelIndex: h.has('label_index') ? intIn(need('label_index'), -1, 1 << 24) : 0,
    maxFeatureIdx,
    objective: objective === undefined || objective === '' || objective === 'none' ? undefined : objective,
    featureNames,
    // LightGBM writes a bare `average_output` line (no '=') in random-forest mode.
    averageOutput: h.has('average_output'),
    trees: [] as TreeSpec[],
  };
}

function checkEnd(spec: EnsembleSpec, ended: boolean, lineCount: number): void {
  const n = spec.trees.length;
  if (!ended) throw new LightgbmFormatError(lineCount, `no "end of trees" line after ${n} trees: the file is truncated`);
  if (n % spec.numTreePerIteration !== 0) {
    throw new LightgbmFormatError(0, `${n} trees is not a multiple of num_tree_per_iteration=${spec.numTreePerIteration}`);
  }
  if (n === 0) throw new LightgbmFormatError(0, 'the model has no trees');
}
