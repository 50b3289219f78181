/**
 * Random boosters for property tests: a BoosterSpec built from a seed (trees up to depth 6 with
 * numeric and categorical splits, both default directions, dart weights, several output groups,
 * or gblinear), and the JSON document XGBoost would save for it, so the parsers are exercised too.
 * Thresholds and leaf values come from a small set of float32 values that the row generator also
 * uses, so rows land exactly on thresholds often.
 */
import type { BoosterKind, BoosterSpec, TreeSpec } from '../spec.ts';

/** Values used both as thresholds and as feature values. */
export const EDGE_VALUES: readonly number[] = Object.freeze([-2, -1, 0, 0.1, 0.5, 1, 2.5, 3, 7, 1e-8]);

/** mulberry32: a tiny deterministic PRNG, seeded by the property's generated integer. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomTree(rand: () => number, numFeature: number, maxDepth: number): TreeSpec {
  const left: number[] = [], right: number[] = [], feature: number[] = [], condition: number[] = [], dflt: number[] = [];
  const categories = new Map<number, Int32Array>();
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  // Breadth-first, so children always get larger ids than their parent (as XGBoost numbers them).
  const queue: { id: number; depth: number }[] = [{ id: 0, depth: 0 }];
  let next = 1;
  left.push(-1);
  while (queue.length > 0) {
    const { id, depth } = queue.shift()!;
    const split = depth < maxDepth && rand() < 0.75;
    feature[id] = split ? Math.floor(rand() * numFeature) : 0;
    dflt[id] = rand() < 0.5 ? 1 : 0;
    if (!split) {
      left[id] = -1; right[id] = -1;
      condition[id] = Math.fround((rand() - 0.5) * 4);
      continue;
    }
    condition[id] = pick(EDGE_VALUES);
    left[id] = next; right[id] = next + 1;
    queue.push({ id: next, depth: depth + 1 }, { id: next + 1, depth: depth + 1 });
    next += 2;
    if (rand() < 0.2) categories.set(id, Int32Array.from(new Set([0, 1, 2, 3, 7, 40].filter(() => rand() < 0.5))).sort());
  }
  return {
    left: Int32Array.from(left), right: Int32Array.from(right), feature: Int32Array.from(feature),
    condition: Float32Array.from(condition), defaultLeft: Uint8Array.from(dflt), categories,
  };
}

/** A random booster from a seed. */
export function randomBooster(seed: number): BoosterSpec {
  const rand = prng(seed);
  const numFeature = 1 + Math.floor(rand() * 6);
  const groups = rand() < 0.5 ? 1 : 2 + Math.floor(rand() * 3);
  const kinds: BoosterKind[] = ['gbtree', 'gbtree', 'dart', 'gblinear'];
  const booster = kinds[Math.floor(rand() * kinds.length)]!;
  const numTrees = booster === 'gblinear' ? 0 : Math.floor(rand() * 12);
  const trees = Array.from({ length: numTrees }, () => randomTree(rand, numFeature, Math.floor(rand() * 7)));
  const spec: BoosterSpec = {
    version: [2, 0, 3], booster, objective: groups > 1 ? 'multi:softprob' : 'reg:squarederror',
    numFeature, numClass: groups > 1 ? groups : 0, numTarget: 1,
    baseScore: [Math.fround(rand())],
    trees, treeGroup: Int32Array.from(trees, (_, i) => i % groups), featureNames: [],
  };
  if (booster === 'dart') spec.treeWeights = Float32Array.from(trees, () => Math.fround(rand() * 2));
  if (booster === 'gblinear') spec.linearWeights = Float32Array.from({ length: (numFeature + 1) * groups }, () => Math.fround(rand() * 2 - 1));
  return spec;
}

/** The XGBoost JSON model document for a spec (what `save_model('model.json')` writes). */
export function toJsonDocument(spec: BoosterSpec): unknown {
  const trees = spec.trees.map((t, id) => {
    const cats = [...t.categories.entries()].sort((a, b) => a[0] - b[0]);
    const segments: number[] = [];
    let at = 0;
    for (const [, c] of cats) { segments.push(at); at += c.length; }
    return {
      id, tree_param: { num_nodes: String(t.left.length), num_feature: String(spec.numFeature), size_leaf_vector: '1', num_deleted: '0' },
      left_children: [...t.left], right_children: [...t.right], split_indices: [...t.feature],
      split_conditions: [...t.condition], default_left: [...t.defaultLeft],
      split_type: [...t.left].map((_, i) => (t.categories.has(i) ? 1 : 0)),
      categories_nodes: cats.map(([n]) => n), categories_segments: segments,
      categories_sizes: cats.map(([, c]) => c.length), categories: cats.flatMap(([, c]) => [...c]),
    };
  });
  const model = { gbtree_model_param: { num_trees: String(trees.length) }, trees, tree_info: [...spec.treeGroup] };
  const gb = spec.booster === 'gbtree' ? { name: 'gbtree', model }
    : spec.booster === 'dart' ? { name: 'dart', gbtree: { name: 'gbtree', model }, weight_drop: [...spec.treeWeights!] }
    : { name: 'gblinear', model: { weights: [...spec.linearWeights!] } };
  return {
    version: spec.version,
    learner: {
      feature_names: [], feature_types: [], attributes: {},
      objective: { name: spec.objective },
      learner_model_param: {
        base_score: String(spec.baseScore[0]), num_class: String(spec.numClass),
        num_feature: String(spec.numFeature), num_target: String(spec.numTarget), boost_from_average: '1',
      },
      gradient_booster: gb,
    },
  };
}
