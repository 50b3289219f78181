/**
 * LightGBM's JSON dump (`Booster.dump_model()`, `GBDT::DumpModel`) → EnsembleSpec. Each tree's
 * nested `tree_structure` is flattened back into the text format's arrays (internal nodes by
 * `split_index`, leaves by `leaf_index`) and handed to the text parser's tree checks, so both
 * formats are validated by the same code. Categorical thresholds are dumped as `"1||3||5"`; they
 * become bitsets again (trailing zero words do not change a decision).
 */
import { parseTree } from './parse-tree.ts';
import type { EnsembleSpec } from './spec.ts';
import { type Entry, LightgbmFormatError } from './text-format.ts';

type Json = Record<string, unknown>;

const MISSING: Readonly<Record<string, number>> = { None: 0, Zero: 1, NaN: 2 };

function fail(path: string, message: string): never {
  throw new LightgbmFormatError(0, `${path}: ${message}`);
}

function obj(v: unknown, path: string): Json {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(path, 'expected an object');
  return v as Json;
}

function int(v: unknown, path: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) fail(path, `expected an integer, got ${JSON.stringify(v)}`);
  return v;
}

/** A number as the text format would write it; anything else becomes a token the tree parser rejects by key. */
function num(v: unknown): string {
  return typeof v === 'number' ? String(v) : JSON.stringify(v) ?? 'missing';
}

/** True when the text looks like a LightGBM JSON dump (not an XGBoost JSON model). */
export function isLightgbmJson(text: string): boolean {
  return text.trimStart().startsWith('{') && text.includes('"tree_info"');
}

export function parseLightgbmJson(text: string): EnsembleSpec {
  let doc: Json;
  try {
    doc = obj(JSON.parse(text), 'the model');
  } catch (err) {
    if (err instanceof LightgbmFormatError) throw err;
    throw new LightgbmFormatError(0, `not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  const maxFeatureIdx = int(doc['max_feature_idx'], 'max_feature_idx');
  const numClass = int(doc['num_class'] ?? 1, 'num_class');
  const names = doc['feature_names'];
  const featureNames = Array.isArray(names) ? names.map(String) : Array.from({ length: maxFeatureIdx + 1 }, (_, k) => `Column_${k}`);
  if (featureNames.length !== maxFeatureIdx + 1) fail('feature_names', `${featureNames.length} names, expected ${maxFeatureIdx + 1}`);
  const info = doc['tree_info'];
  if (!Array.isArray(info) || info.length === 0) fail('tree_info', 'expected a non-empty list of trees');
  const spec: EnsembleSpec = {
    version: typeof doc['version'] === 'string' ? doc['version'] : 'v4',
    numClass,
    numTreePerIteration: int(doc['num_tree_per_iteration'] ?? numClass, 'num_tree_per_iteration'),
    labelIndex: int(doc['label_index'] ?? 0, 'label_index'),
    maxFeatureIdx,
    objective: typeof doc['objective'] === 'string' && doc['objective'] !== '' ? doc['objective'] : undefined,
    featureNames,
    averageOutput: doc['average_output'] === true,
    trees: info.map((t, i) => {
      const path = `tree_info[${i}]`;
      try {
        return parseTree(treeEntries(obj(t, path), path), 0, maxFeatureIdx);
      } catch (err) {
        if (err instanceof LightgbmFormatError && !err.message.startsWith(path)) fail(path, err.message);
        throw err;
      }
    }),
  };
  if (spec.trees.length % spec.numTreePerIteration !== 0) {
    fail('tree_info', `${spec.trees.length} trees is not a multiple of num_tree_per_iteration=${spec.numTreePerIteration}`);
  }
  return spec;
}

/** One dumped tree → the `key=value` entries its text form would have. */
function treeEntries(t: Json, path: string): Map<string, Entry> {
  const numLeaves = int(t['num_leaves'], `${path}.num_leaves`);
  if (numLeaves < 1 || numLeaves > 1 << 20) fail(`${path}.num_leaves`, `${numLeaves} is outside [1, ${1 << 20}]`);
  const inner = numLeaves - 1;
  const cols = { split_feature: [] as string[], threshold: [] as string[], decision_type: [] as string[], left_child: [] as string[], right_child: [] as string[] };
  const leafValue: string[] = [];
  const bounds = [0];
  const words: number[] = [];
  const ref = (n: Json, p: string): number => ('split_index' in n ? int(n['split_index'], `${p}.split_index`) : ~int(n['leaf_index'] ?? 0, `${p}.leaf_index`));
  const stack: [Json, string][] = [[obj(t['tree_structure'], `${path}.tree_structure`), `${path}.tree_structure`]];
  while (stack.length > 0) {
    const [n, p] = stack.pop()!;
    const id = ref(n, p);
    if (id < 0) {
      if (~id >= numLeaves || leafValue[~id] !== undefined) fail(p, `leaf_index ${~id} is out of range or repeated`);
      // Silently dropping a linear leaf's model would give plausible wrong answers.
      if ('leaf_coeff' in n) fail(p, 'linear trees are not supported in JSON dumps; serve the text model (save_model) instead');
      leafValue[~id] = num(n['leaf_value']);
      continue;
    }
    if (id >= inner || cols.split_feature[id] !== undefined) fail(p, `split_index ${id} is out of range or repeated`);
    const left = obj(n['left_child'], `${p}.left_child`);
    const right = obj(n['right_child'], `${p}.right_child`);
    const categorical = n['decision_type'] === '==';
    const missing = MISSING[typeof n['missing_type'] === 'string' ? n['missing_type'] : 'None'];
    if (missing === undefined) fail(`${p}.missing_type`, `${JSON.stringify(n['missing_type'])} is not None, Zero or NaN`);
    cols.split_feature[id] = String(int(n['split_feature'], `${p}.split_feature`));
    cols.decision_type[id] = String((categorical ? 1 : 0) | (n['default_left'] === true ? 2 : 0) | (missing << 2));
    cols.threshold[id] = categorical ? String(bounds.length - 1) : num(n['threshold']);
    if (categorical) {
      addBitset(typeof n['threshold'] === 'string' ? n['threshold'] : '?', words, `${p}.threshold`);
      bounds.push(words.length);
    }
    cols.left_child[id] = String(ref(left, `${p}.left_child`));
    cols.right_child[id] = String(ref(right, `${p}.right_child`));
    stack.push([left, `${p}.left_child`], [right, `${p}.right_child`]);
  }
  const e = new Map<string, Entry>();
  const put = (key: string, value: string): void => void e.set(key, { key, value, line: 0 });
  put('num_leaves', String(numLeaves));
  put('num_cat', String(bounds.length - 1));
  for (const [key, vals] of Object.entries(cols)) put(key, Array.from({ length: inner }, (_, k) => vals[k] ?? 'missing').join(' '));
  put('leaf_value', Array.from({ length: numLeaves }, (_, k) => leafValue[k] ?? 'missing').join(' '));
  if (bounds.length > 1) {
    put('cat_boundaries', bounds.join(' '));
    put('cat_threshold', words.join(' '));
  }
  if (typeof t['shrinkage'] === 'number') put('shrinkage', String(t['shrinkage']));
  return e;
}

/** Appends the bitset words of a `"1||3||5"` category list. */
function addBitset(list: string, words: number[], path: string): void {
  const cats = list === '' ? [] : list.split('||').map((c) => int(Number(c), path));
  if (cats.some((c) => c < 0 || c >= 1 << 24)) fail(path, `categories must be in [0, ${1 << 24})`);
  const bits = new Uint32Array(cats.length === 0 ? 0 : (Math.max(...cats) >>> 5) + 1);
  for (const c of cats) bits[c >>> 5] = (bits[c >>> 5]! | (1 << (c & 31))) >>> 0;
  words.push(...bits);
}
