/**
 * Builds the bundled tree example, examples/models/iris-xgboost/model.json: an XGBoost JSON model
 * (the schema `Booster.save_model('model.json')` writes, XGBoost 1.7) for iris, objective
 * multi:softprob, 3 classes. The trees are fitted here, by the same algorithm XGBoost's exact
 * tree method runs, so nothing is copied from a model someone else trained:
 *
 * - 10 rounds; each round fits one depth-2 tree per class to the softmax loss's gradient
 *   g = p − y and hessian h = max(2p(1 − p), 1e-16) (XGBoost's softmax multiclass objective);
 * - a split maximises ½[G_L²/(H_L+λ) + G_R²/(H_R+λ) − G²/(H+λ)], λ = 1, over thresholds halfway
 *   between adjacent distinct feature values; both children need H ≥ 1 (min_child_weight) and the
 *   gain must be positive; leaves get η·(−G/(H+λ)), η = 0.3;
 * - base_score 0.5 (every class margin starts at 0.5, as XGBoost 1.7 does for softprob).
 *
 * Worked example, round 1: every margin is 0.5, so p = 1/3 for each class and h = 2·⅓·⅔ = 4/9.
 * The class-0 (setosa) tree's root sees G = 150·⅓ − 50 = 0 and H = 150·4/9 = 66.7; the best split
 * is petal length < 2.45 (setosa's longest petal is 1.9, the others' shortest 3.0): left has the
 * 50 setosa, G_L = 50·(⅓ − 1) = −33.3, H_L = 22.2, so its leaf is 0.3·33.3/23.2 = +0.43; right has
 * G_R = +33.3, H_R = 44.4, leaf −0.22 (the file has 0.430622 and −0.2200489). The versicolor tree
 * then splits petal length < 2.45 and petal width < 1.75, the virginica tree petal width < 1.65 and
 * petal length < 4.95: the textbook iris boundaries.
 *
 * Data: Fisher's iris (1936, public domain), 150 rows, 50 per class, the corrected UCI values as
 * scikit-learn ships them. Each row is 8 digits: four measurements in mm (tenths of a cm), e.g.
 * "51351402" = [5.1, 3.5, 1.4, 0.2].
 *
 * Input FP32 [N, 4] (sepal length, sepal width, petal length, petal width, cm); output FP32
 * [N, 3] class probabilities, 0 setosa, 1 versicolor, 2 virginica. Training accuracy 96 %; KServe's
 * iris payload [[6.8,2.8,4.8,1.4],[6.0,3.4,4.5,1.6]] → classes [1, 1].
 *
 * `npx tsx scripts/gen-example-xgboost.ts` rewrites it; test/example-xgboost.test.ts checks the
 * committed file is what this script writes, and (where python3-xgboost is installed) that real
 * XGBoost loads it and predicts the same probabilities.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const IRIS_ROWS = [
  // setosa
  '51351402 49301402 47321302 46311502 50361402 54391704 46341403 50341502 44291402 49311501 54371502 48341602 48301401 43301101 58401202 57441504 54391304 51351403 57381703 51381503 54341702 51371504 46361002 51331705 48341902 50301602 50341604 52351502 52341402 47321602 48311602 54341504 52411501 55421402 49311502 50321202 55351302 49361401 44301302 51341502 50351303 45231303 44321302 50351606 51381904 48301403 51381602 46321402 53371502 50331402',
  // versicolor
  '70324714 64324515 69314915 55234013 65284615 57284513 63334716 49243310 66294613 52273914 50203510 59304215 60224010 61294714 56293613 67314414 56304515 58274110 62224515 56253911 59324818 61284013 63254915 61284712 64294313 66304414 68284814 67305017 60294515 57263510 55243811 55243710 58273912 60275116 54304515 60344516 67314715 63234413 56304113 55254013 55264412 61304614 58264012 50233310 56274213 57304212 57294213 62294313 51253011 57284113',
  // virginica
  '63336025 58275119 71305921 63295618 65305822 76306621 49254517 73296318 67255818 72366125 65325120 64275319 68305521 57255020 58285124 64325323 65305518 77386722 77266923 60225015 69325723 56284920 77286720 63274918 67335721 72326018 62284818 61304918 64285621 72305816 74286119 79386420 64285622 63285115 61265614 77306123 63345624 64315518 60304818 69315421 67315624 69315123 58275119 68325923 67335725 67305223 63255019 65305220 62345423 59305118',
];

/** The 150 iris rows (cm) and their classes 0, 1, 2. */
export function irisData(): { x: number[][]; y: number[] } {
  const x: number[][] = [];
  const y: number[] = [];
  IRIS_ROWS.forEach((block, cls) => {
    for (const row of block.split(' ')) {
      x.push([0, 2, 4, 6].map((i) => Number(row.slice(i, i + 2)) / 10));
      y.push(cls);
    }
  });
  return { x, y };
}

/** Training parameters, named as XGBoost names them. */
export const PARAMS = Object.freeze({ rounds: 10, maxDepth: 2, eta: 0.3, lambda: 1, minChildWeight: 1, baseScore: 0.5, numClass: 3 });
const NUM_FEATURE = 4;

/** One tree in XGBoost's array form; children come after their parent (breadth first). */
interface Tree {
  left: number[]; right: number[]; parent: number[]; feature: number[];
  condition: number[]; weight: number[]; gain: number[]; hess: number[];
}

const f32 = Math.fround;

/** Fits one regression tree to (g, h) over rows `idx`, depth first by level as XGBoost's depthwise grower does. */
function fitTree(x: number[][], g: number[], h: number[]): Tree {
  const t: Tree = { left: [], right: [], parent: [], feature: [], condition: [], weight: [], gain: [], hess: [] };
  const sum = (rows: number[], v: number[]): number => rows.reduce((s, i) => s + v[i]!, 0);
  const leafWeight = (G: number, H: number): number => f32(PARAMS.eta * (-G / (H + PARAMS.lambda)));
  const addNode = (rows: number[], parent: number): number => {
    t.left.push(-1); t.right.push(-1); t.parent.push(parent); t.feature.push(0); t.gain.push(0);
    const G = sum(rows, g);
    const H = sum(rows, h);
    t.weight.push(leafWeight(G, H));
    t.condition.push(leafWeight(G, H));
    t.hess.push(f32(H));
    return t.left.length - 1;
  };
  let level: { node: number; rows: number[] }[] = [{ node: addNode(x.map((_, i) => i), 2147483647), rows: x.map((_, i) => i) }];
  for (let depth = 0; depth < PARAMS.maxDepth; depth++) {
    const next: typeof level = [];
    for (const { node, rows } of level) {
      const G = sum(rows, g);
      const H = sum(rows, h);
      const score = (gs: number, hs: number): number => (gs * gs) / (hs + PARAMS.lambda);
      let best = { gain: 0, feature: -1, threshold: 0 };
      for (let f = 0; f < NUM_FEATURE; f++) {
        const sorted = [...rows].sort((a, b) => x[a]![f]! - x[b]![f]! || a - b);
        let gl = 0;
        let hl = 0;
        for (let k = 0; k < sorted.length - 1; k++) {
          gl += g[sorted[k]!]!;
          hl += h[sorted[k]!]!;
          const lo = x[sorted[k]!]![f]!;
          const hi = x[sorted[k + 1]!]![f]!;
          if (lo === hi || hl < PARAMS.minChildWeight || H - hl < PARAMS.minChildWeight) continue;
          const gain = 0.5 * (score(gl, hl) + score(G - gl, H - hl) - score(G, H));
          // Strictly greater: ties keep the lower feature, then the lower threshold (deterministic).
          if (gain > best.gain + 1e-12) best = { gain, feature: f, threshold: f32((lo + hi) / 2) };
        }
      }
      if (best.feature < 0) continue;
      // The evaluator compares float32 x < float32 threshold; partition the same way.
      const leftRows = rows.filter((i) => f32(x[i]![best.feature]!) < best.threshold);
      const rightRows = rows.filter((i) => !(f32(x[i]![best.feature]!) < best.threshold));
      t.feature[node] = best.feature;
      t.condition[node] = best.threshold;
      t.gain[node] = f32(best.gain);
      t.left[node] = addNode(leftRows, node);
      t.right[node] = addNode(rightRows, node);
      next.push({ node: t.left[node], rows: leftRows }, { node: t.right[node], rows: rightRows });
    }
    level = next;
  }
  return t;
}

/** The margin `tree` gives row `r` (float32 compare, as XGBoost does). */
function walk(t: Tree, r: number[]): number {
  let n = 0;
  while (t.left[n] !== -1) n = f32(r[t.feature[n]!]!) < t.condition[n]! ? t.left[n]! : t.right[n]!;
  return t.condition[n]!;
}

/** Fits the booster: PARAMS.rounds × 3 trees, tree i belongs to class i % 3. */
export function fitIrisBooster(): Tree[] {
  const { x, y } = irisData();
  const k = PARAMS.numClass;
  const margin = x.map(() => new Array<number>(k).fill(PARAMS.baseScore));
  const trees: Tree[] = [];
  for (let round = 0; round < PARAMS.rounds; round++) {
    const p = margin.map((m) => {
      const top = Math.max(...m);
      const e = m.map((v) => Math.exp(v - top));
      const s = e.reduce((a, b) => a + b, 0);
      return e.map((v) => v / s);
    });
    const roundTrees: Tree[] = [];
    for (let c = 0; c < k; c++) {
      const g = p.map((pi, i) => pi[c]! - (y[i] === c ? 1 : 0));
      const h = p.map((pi) => Math.max(2 * pi[c]! * (1 - pi[c]!), 1e-16));
      roundTrees.push(fitTree(x, g, h));
    }
    // Margins accumulate in float32, tree by tree, as XGBoost's predictor does.
    roundTrees.forEach((t, c) => x.forEach((r, i) => (margin[i]![c] = f32(margin[i]![c]! + walk(t, r)))));
    trees.push(...roundTrees);
  }
  return trees;
}

/**
 * The shortest decimal that reads back as the same float32, as XGBoost writes floats, marked so
 * irisXgboostModel() can unquote it. XGBoost's reader rejects an integer where it expects a float
 * ("Invalid cast, from Integer to Number"), so 0 is written 0.0.
 */
function float(v: number): string {
  let out = String(v);
  for (let p = 1; p < 10; p++) {
    const s = Number(v.toPrecision(p));
    if (f32(s) === v) {
      out = String(s);
      break;
    }
  }
  return `${FLOAT_MARK}${/[.e]/.test(out) ? out : `${out}.0`}`;
}
const FLOAT_MARK = '@float:';

const treeJson = (t: Tree, id: number): Record<string, unknown> => {
  const n = t.left.length;
  return {
    base_weights: t.weight.map(float),
    categories: [], categories_nodes: [], categories_segments: [], categories_sizes: [],
    default_left: new Array<number>(n).fill(0),
    id,
    left_children: t.left,
    loss_changes: t.gain.map(float),
    parents: t.parent,
    right_children: t.right,
    split_conditions: t.condition.map(float),
    split_indices: t.feature,
    split_type: new Array<number>(n).fill(0),
    sum_hessian: t.hess.map(float),
    tree_param: { num_deleted: '0', num_feature: String(NUM_FEATURE), num_nodes: String(n), size_leaf_vector: '0' },
  };
};

/** The model file's text: XGBoost 1.7's JSON schema, keys in XGBoost's (sorted) order, one line. */
export function irisXgboostModel(): string {
  const trees = fitIrisBooster();
  const k = String(PARAMS.numClass);
  const doc = {
    learner: {
      attributes: {},
      feature_names: [],
      feature_types: [],
      gradient_booster: {
        model: {
          gbtree_model_param: { num_parallel_tree: '1', num_trees: String(trees.length), size_leaf_vector: '0' },
          tree_info: trees.map((_, i) => i % PARAMS.numClass),
          trees: trees.map(treeJson),
        },
        name: 'gbtree',
      },
      learner_model_param: { base_score: '5E-1', boost_from_average: '1', num_class: k, num_feature: String(NUM_FEATURE), num_target: '1' },
      objective: { name: 'multi:softprob', softmax_multiclass_param: { num_class: k } },
    },
    version: [1, 7, 4],
  };
  return JSON.stringify(doc).replace(new RegExp(`"${FLOAT_MARK}([^"]+)"`, 'g'), '$1');
}

export const EXAMPLE_XGBOOST_PATH = join(dirname(fileURLToPath(import.meta.url)), '..', 'examples', 'models', 'iris-xgboost', 'model.json');

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  mkdirSync(dirname(EXAMPLE_XGBOOST_PATH), { recursive: true });
  writeFileSync(EXAMPLE_XGBOOST_PATH, irisXgboostModel());
  console.log(`wrote ${EXAMPLE_XGBOOST_PATH}`);
}
