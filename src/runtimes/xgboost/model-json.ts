/**
 * Reads XGBoost's JSON model schema (doc/model.schema in dmlc/xgboost) into a BoosterSpec. The
 * same document arrives from `.json` (JSON.parse) and `.ubj` (ubjson.ts), so numeric arrays may
 * be plain arrays or typed arrays. Anything the evaluator would get wrong — an unknown booster,
 * multi-output trees, a child index out of range, a cycle-making child — is a ModelFormatError
 * naming the key, never a silently wrong prediction.
 */
import { show } from '../../core/errors.ts';
import type { UbjValue } from './ubjson.ts';
import { type BoosterSpec, ModelFormatError, type TreeSpec, outputGroups } from './spec.ts';

type Obj = { [key: string]: UbjValue };
type Nums = ArrayLike<number>;

const isObj = (v: UbjValue | undefined): v is Obj =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !ArrayBuffer.isView(v);

function obj(v: UbjValue | undefined, path: string): Obj {
  if (!isObj(v)) throw new ModelFormatError(`${path}: expected an object`);
  return v;
}

function nums(v: UbjValue | undefined, path: string, length?: number): Nums {
  let out: Nums;
  if (ArrayBuffer.isView(v)) out = v;
  // null: a NaN in a JSON file (see parseXgboostJson in model-file.ts).
  else if (Array.isArray(v) && v.every((x) => typeof x === 'number' || x === null)) out = v.map((x) => (x === null ? Number.NaN : Number(x)));
  else throw new ModelFormatError(`${path}: expected an array of numbers`);
  if (length !== undefined && out.length !== length) throw new ModelFormatError(`${path}: ${out.length} entries, expected ${length}`);
  return out;
}

/** XGBoost writes most parameters as strings ("10", "5E-1"). */
function num(v: UbjValue | undefined, path: string, fallback?: number): number {
  if (v === undefined && fallback !== undefined) return fallback;
  const n = typeof v === 'string' ? Number(v) : typeof v === 'number' ? v : Number.NaN;
  if (!Number.isFinite(n)) throw new ModelFormatError(`${path}: expected a number, got ${show(v)}`);
  return n;
}

function count(v: UbjValue | undefined, path: string, max: number, fallback?: number): number {
  const n = num(v, path, fallback);
  if (!Number.isInteger(n) || n < 0 || n > max) throw new ModelFormatError(`${path}: ${n} is not an integer in [0, ${max}]`);
  return n;
}

/** base_score: "5E-1", or since XGBoost 2.0 possibly a vector written as "[5E-1,2E-1]". */
function baseScore(v: UbjValue | undefined): number[] {
  const s = typeof v === 'string' ? v.trim() : String(num(v, 'learner_model_param.base_score', 0.5));
  const parts = s.startsWith('[') && s.endsWith(']') ? s.slice(1, -1).split(',') : [s];
  return parts.map((p, i) => num(p.trim(), `learner_model_param.base_score[${i}]`));
}

function parseTree(t: Obj, path: string, numFeature: number): TreeSpec {
  const param = obj(t['tree_param'], `${path}.tree_param`);
  const leafVector = count(param['size_leaf_vector'], `${path}.tree_param.size_leaf_vector`, 1 << 20, 1);
  if (leafVector > 1) throw new ModelFormatError(`${path}: multi-output trees (size_leaf_vector ${leafVector}, multi_strategy=multi_output_tree) are not supported`);
  const n = nums(t['left_children'], `${path}.left_children`).length;
  if (n === 0) throw new ModelFormatError(`${path}: a tree with no nodes`);
  const left = Int32Array.from(nums(t['left_children'], `${path}.left_children`, n));
  const right = Int32Array.from(nums(t['right_children'], `${path}.right_children`, n));
  const feature = Int32Array.from(nums(t['split_indices'], `${path}.split_indices`, n));
  const condition = Float32Array.from(nums(t['split_conditions'], `${path}.split_conditions`, n));
  const defaultLeft = Uint8Array.from(nums(t['default_left'], `${path}.default_left`, n));
  const splitType = t['split_type'] === undefined ? new Uint8Array(n) : nums(t['split_type'], `${path}.split_type`, n);
  // A child must come after its parent: that rules out cycles (a hang) with one comparison.
  for (let i = 0; i < n; i++) {
    const l = left[i]!;
    if (l === -1) continue;
    const r = right[i]!;
    if (l <= i || l >= n || r <= i || r >= n) throw new ModelFormatError(`${path}: node ${i} has children ${l}, ${r}, outside (${i}, ${n})`);
    if (feature[i]! < 0 || feature[i]! >= numFeature) throw new ModelFormatError(`${path}: node ${i} splits on feature ${feature[i]}, the model has ${numFeature}`);
  }
  const categories = new Map<number, Int32Array>();
  const catNodes = t['categories_nodes'] === undefined ? [] : nums(t['categories_nodes'], `${path}.categories_nodes`);
  if (catNodes.length > 0) {
    const all = nums(t['categories'], `${path}.categories`);
    const seg = nums(t['categories_segments'], `${path}.categories_segments`, catNodes.length);
    const size = nums(t['categories_sizes'], `${path}.categories_sizes`, catNodes.length);
    for (let k = 0; k < catNodes.length; k++) {
      const node = catNodes[k]!;
      const begin = seg[k]!;
      const end = begin + size[k]!;
      if (!(node >= 0 && node < n && begin >= 0 && end <= all.length)) throw new ModelFormatError(`${path}: categories entry ${k} is out of range`);
      categories.set(node, Int32Array.from(Array.prototype.slice.call(all, begin, end) as number[]));
    }
  }
  for (let i = 0; i < n; i++) {
    if (splitType[i] === 1 && left[i] !== -1 && !categories.has(i)) categories.set(i, new Int32Array(0));
  }
  return { left, right, feature, condition, defaultLeft, categories };
}

function parseTrees(model: Obj, path: string, spec: BoosterSpec): void {
  const trees = model['trees'];
  if (!Array.isArray(trees)) throw new ModelFormatError(`${path}.trees: expected an array`);
  spec.trees = trees.map((t, i) => parseTree(obj(t, `${path}.trees[${i}]`), `${path}.trees[${i}]`, spec.numFeature));
  const info = nums(model['tree_info'], `${path}.tree_info`, trees.length);
  const groups = outputGroups(spec);
  for (let i = 0; i < info.length; i++) {
    if (!(info[i]! >= 0 && info[i]! < groups)) throw new ModelFormatError(`${path}.tree_info[${i}]: group ${info[i]}, the model has ${groups} output groups`);
  }
  spec.treeGroup = Int32Array.from(info);
}

/**
 * The XGBoost versions whose files we read: 1.0 (the first to write JSON) through 3.x. The fields
 * read here (learner_model_param, objective.name, gbtree/dart/gblinear models, tree arrays,
 * categories_*) have kept their meaning over that range; what 3.x added (multi-output trees,
 * objectives such as reg:expectileerror) is rejected by name elsewhere. A file from a later major
 * version may change a field's meaning, so it fails the load rather than predicting wrong.
 * The legacy binary format's header carried no version before 1.0 (zeros there), so it also
 * accepts major 0.
 */
export const SUPPORTED_MAJOR = Object.freeze({ first: 1, last: 3 });

function checkVersion(v: readonly number[], minMajor: number): void {
  const [major, minor, patch] = v;
  const ok = v.every((x) => Number.isInteger(x) && x >= 0) && major! >= minMajor && major! <= SUPPORTED_MAJOR.last;
  if (!ok) {
    const range = `${minMajor === 0 ? '0.x (legacy binary)' : `${SUPPORTED_MAJOR.first}.0`} through ${SUPPORTED_MAJOR.last}.x`;
    throw new ModelFormatError(`saved by XGBoost version ${major}.${minor}.${patch}, which is not supported (supported: ${range}); re-save it with a supported XGBoost`);
  }
}

/**
 * Converts a decoded XGBoost JSON/UBJSON document into a BoosterSpec. `minMajor` is the lowest
 * accepted major version: 1 for JSON/UBJSON, 0 for the legacy binary (see SUPPORTED_MAJOR).
 */
export function parseBoosterDocument(doc: UbjValue, minMajor: number = SUPPORTED_MAJOR.first): BoosterSpec {
  const root = obj(doc, 'document');
  const learner = obj(root['learner'], 'learner');
  const mp = obj(learner['learner_model_param'], 'learner.learner_model_param');
  const objective = obj(learner['objective'], 'learner.objective')['name'];
  if (typeof objective !== 'string') throw new ModelFormatError('learner.objective.name: expected a string');
  // Absent only in hand-made documents (every XGBoost writer sets it): [0, 0, 0], unknown.
  const v = root['version'] === undefined ? [0, 0, 0] : Array.from(nums(root['version'], 'version', 3));
  if (root['version'] !== undefined) checkVersion(v, minMajor);
  const names = learner['feature_names'];
  const spec: BoosterSpec = {
    version: [v[0]!, v[1]!, v[2]!],
    booster: 'gbtree',
    objective,
    numFeature: count(mp['num_feature'], 'learner_model_param.num_feature', 1 << 30),
    numClass: count(mp['num_class'], 'learner_model_param.num_class', 1 << 20, 0),
    numTarget: count(mp['num_target'], 'learner_model_param.num_target', 1 << 20, 1),
    baseScore: baseScore(mp['base_score']),
    trees: [],
    treeGroup: new Int32Array(0),
    featureNames: Array.isArray(names) ? names.map(String) : [],
  };
  const groups = outputGroups(spec);
  if (spec.baseScore.length !== 1 && spec.baseScore.length !== groups) {
    throw new ModelFormatError(`learner_model_param.base_score: ${spec.baseScore.length} values for ${groups} output groups`);
  }
  const gb = obj(learner['gradient_booster'], 'learner.gradient_booster');
  const name = gb['name'];
  if (name === 'gbtree') {
    parseTrees(obj(gb['model'], 'gradient_booster.model'), 'gradient_booster.model', spec);
  } else if (name === 'dart') {
    spec.booster = 'dart';
    const inner = obj(obj(gb['gbtree'], 'gradient_booster.gbtree')['model'], 'gradient_booster.gbtree.model');
    parseTrees(inner, 'gradient_booster.gbtree.model', spec);
    spec.treeWeights = Float32Array.from(nums(gb['weight_drop'], 'gradient_booster.weight_drop', spec.trees.length));
  } else if (name === 'gblinear') {
    spec.booster = 'gblinear';
    const w = nums(obj(gb['model'], 'gradient_booster.model')['weights'], 'gradient_booster.model.weights', (spec.numFeature + 1) * groups);
    spec.linearWeights = Float32Array.from(w);
  } else {
    throw new ModelFormatError(`learner.gradient_booster.name: unsupported booster ${JSON.stringify(name)} (supported: gbtree, dart, gblinear)`);
  }
  return spec;
}
