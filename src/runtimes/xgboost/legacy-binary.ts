/**
 * Reads XGBoost's legacy binary model format (`.bst`/`.model` written by `save_model` before
 * 1.0, or by later versions given a non-JSON/UBJ name; deprecated upstream). It is a dump of C
 * structs, little-endian:
 *
 *   ["binf"] LearnerModelParamLegacy (136 B: base_score f32, num_feature u32, num_class i32,
 *            contain_extra_attrs i32, contain_eval_metrics i32, major u32, minor u32,
 *            num_target u32, boost_from_average i32, reserved i32[27])
 *   objective name, booster name       (u64 length + bytes each)
 *   gbtree: GBTreeModelParam (160 B: num_trees i32, num_parallel_tree i32, num_feature i32,
 *           pad i32, num_pbuffer i64, num_output_group i32, size_leaf_vector i32, reserved i32[32])
 *           then per tree TreeParam (148 B: num_roots, num_nodes, num_deleted, max_depth,
 *           num_feature, size_leaf_vector, reserved[31]), Node[num_nodes] (20 B: parent, cleft,
 *           cright, sindex u32 — top bit = default left, info f32 = threshold or leaf value),
 *           RTreeNodeStat[num_nodes] (16 B), then tree_info i32[num_trees];
 *   dart:   the gbtree part, then weight_drop (u64 count + f32s);
 *   gblinear: GBLinearModelParam (136 B: num_feature u32, num_output_group i32, reserved[32])
 *           then weights (u64 count + f32s).
 * What follows (attributes, eval metrics) does not affect prediction and is not read.
 */
import { type BoosterKind, type BoosterSpec, ModelFormatError, type TreeSpec } from './spec.ts';
import { parseBoosterDocument } from './model-json.ts';
import type { UbjValue } from './ubjson.ts';

class Cursor {
  pos = 0;
  private readonly view: DataView;
  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  need(n: number, what: string): void {
    if (n > this.bytes.length - this.pos) throw new ModelFormatError(`legacy binary model truncated in ${what} (byte ${this.pos} of ${this.bytes.length})`);
  }
  i32(at: number): number { return this.view.getInt32(at, true); }
  u32(at: number): number { return this.view.getUint32(at, true); }
  f32(at: number): number { return this.view.getFloat32(at, true); }
  skip(n: number, what: string): number {
    this.need(n, what);
    const at = this.pos;
    this.pos += n;
    return at;
  }
  count(what: string, elementBytes: number): number {
    const at = this.skip(8, what);
    const n = this.view.getBigUint64(at, true);
    if (n * BigInt(elementBytes) > BigInt(this.bytes.length - this.pos)) throw new ModelFormatError(`legacy binary model: ${what} claims ${n} entries, more than the file holds`);
    return Number(n);
  }
  string(what: string): string {
    const n = this.count(what, 1);
    const at = this.skip(n, what);
    return Buffer.from(this.bytes.buffer, this.bytes.byteOffset + at, n).toString('latin1');
  }
  floats(what: string): Float32Array {
    const n = this.count(what, 4);
    const at = this.skip(n * 4, what);
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = this.f32(at + 4 * i);
    return out;
  }
}

function readTree(c: Cursor, index: number): TreeSpec {
  const what = `tree ${index}`;
  const p = c.skip(148, what);
  const n = c.i32(p + 4);
  if (n <= 0 || n > 1 << 28) throw new ModelFormatError(`legacy binary model: ${what} has ${n} nodes`);
  if (c.i32(p + 20) > 1) throw new ModelFormatError(`legacy binary model: ${what} has multi-output leaves (not supported)`);
  const at = c.skip(20 * n, what);
  c.skip(16 * n, what); // node statistics: training only
  const tree: TreeSpec = {
    left: new Int32Array(n), right: new Int32Array(n), feature: new Int32Array(n),
    condition: new Float32Array(n), defaultLeft: new Uint8Array(n), categories: new Map(),
  };
  for (let i = 0; i < n; i++) {
    const o = at + 20 * i;
    tree.left[i] = c.i32(o + 4);
    tree.right[i] = c.i32(o + 8);
    const sindex = c.u32(o + 12);
    tree.feature[i] = sindex & 0x7fffffff;
    tree.defaultLeft[i] = sindex >>> 31;
    tree.condition[i] = c.f32(o + 16);
  }
  return tree;
}

/** Lists of the JSON document shape, so parseBoosterDocument validates both formats alike. */
function asDocument(kind: BoosterKind, header: Omit<BoosterSpec, 'trees' | 'treeGroup' | 'booster' | 'featureNames'>, trees: TreeSpec[], treeInfo: Int32Array, extra: Float32Array | undefined): BoosterSpec {
  const jsonTrees = trees.map((t): UbjValue => ({
    tree_param: { size_leaf_vector: '1' },
    left_children: t.left, right_children: t.right, split_indices: t.feature,
    split_conditions: t.condition, default_left: t.defaultLeft,
  }));
  const model: UbjValue = { trees: jsonTrees, tree_info: treeInfo };
  const gb: UbjValue = kind === 'gbtree' ? { name: 'gbtree', model }
    : kind === 'dart' ? { name: 'dart', gbtree: { name: 'gbtree', model }, weight_drop: extra! }
    : { name: 'gblinear', model: { weights: extra! } };
  return parseBoosterDocument({
    version: Int32Array.from(header.version),
    learner: {
      objective: { name: header.objective },
      learner_model_param: {
        base_score: header.baseScore[0]!, num_feature: header.numFeature, num_class: header.numClass, num_target: header.numTarget,
      },
      gradient_booster: gb,
    },
  }, 0);
}

/** Parses a legacy binary model. */
export function parseLegacyBinary(bytes: Uint8Array): BoosterSpec {
  const c = new Cursor(bytes);
  if (bytes.length >= 4 && Buffer.from(bytes.subarray(0, 4)).toString('latin1') === 'binf') c.pos = 4;
  const p = c.skip(136, 'the learner header');
  const header = {
    baseScore: [c.f32(p)],
    numFeature: c.u32(p + 4),
    numClass: c.i32(p + 8),
    version: [c.u32(p + 20), c.u32(p + 24), 0] as [number, number, number],
    numTarget: Math.max(1, c.u32(p + 28)),
    objective: c.string('the objective name'),
  };
  const kind = c.string('the booster name');
  if (kind === 'gblinear') {
    c.skip(136, 'the gblinear header');
    return asDocument('gblinear', header, [], new Int32Array(0), c.floats('gblinear weights'));
  }
  if (kind !== 'gbtree' && kind !== 'dart') {
    throw new ModelFormatError(`not an XGBoost model (legacy binary reader found booster name ${JSON.stringify(kind.slice(0, 40))}); re-save it with booster.save_model('model.json')`);
  }
  const g = c.skip(160, 'the gbtree header');
  const numTrees = c.i32(g);
  if (numTrees < 0 || numTrees > 1 << 24) throw new ModelFormatError(`legacy binary model: ${numTrees} trees`);
  const trees: TreeSpec[] = [];
  for (let i = 0; i < numTrees; i++) trees.push(readTree(c, i));
  const at = c.skip(4 * numTrees, 'tree_info');
  const info = new Int32Array(numTrees);
  for (let i = 0; i < numTrees; i++) info[i] = c.i32(at + 4 * i);
  const weights = kind === 'dart' && numTrees > 0 ? c.floats('dart weight_drop') : kind === 'dart' ? new Float32Array(0) : undefined;
  return asDocument(kind, header, trees, info, weights);
}
