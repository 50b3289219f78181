/**
 * One `Tree=N` section of a LightGBM text model → a checked TreeSpec. The checks are what keep a
 * hostile or truncated file from crashing or hanging evaluation: every child index is in range,
 * every split feature exists, categorical bitset ranges lie inside cat_threshold, and the nodes
 * form a tree (each internal node reached once from the root, so a walk always ends at a leaf).
 */
import { CATEGORICAL_MASK, type LinearLeaves, type TreeSpec } from './spec.ts';
import { type Entry, LightgbmFormatError, doubles, int32s, intIn, parseDouble, parseInt32, tokens } from './text-format.ts';

/** Most leaves one tree may declare (LightGBM's own num_leaves limit is 131072). */
const MAX_LEAVES = 1 << 20;

/** Parses the entries of the tree section that starts at `headerLine`. */
export function parseTree(entries: ReadonlyMap<string, Entry>, headerLine: number, maxFeatureIdx: number): TreeSpec {
  const need = (key: string): Entry => {
    const e = entries.get(key);
    if (!e) throw new LightgbmFormatError(headerLine, `tree section has no ${key}= line (truncated file?)`);
    return e;
  };
  const numLeaves = intIn(need('num_leaves'), 1, MAX_LEAVES);
  const numCat = entries.has('num_cat') ? intIn(need('num_cat'), 0, MAX_LEAVES) : 0;
  const inner = numLeaves - 1;
  const innerKeys = ['split_feature', 'threshold', 'decision_type', 'left_child', 'right_child'];
  // A one-leaf tree may omit its (empty) internal-node arrays.
  const arr = (key: string): Entry => (inner === 0 && !entries.has(key) ? { key, value: '', line: headerLine } : need(key));
  const [sf, th, dt, lc, rc] = innerKeys.map(arr) as [Entry, Entry, Entry, Entry, Entry];
  const tree: TreeSpec = {
    numLeaves,
    numCat,
    splitFeature: int32s(sf, inner),
    threshold: doubles(th, inner),
    decisionType: decisionTypes(dt, inner),
    leftChild: int32s(lc, inner),
    rightChild: int32s(rc, inner),
    leafValue: doubles(need('leaf_value'), numLeaves),
    catBoundaries: numCat > 0 ? int32s(need('cat_boundaries'), numCat + 1) : new Int32Array(0),
    catThreshold: numCat > 0 ? uint32s(need('cat_threshold')) : new Uint32Array(0),
    linear: undefined,
    shrinkage: entries.has('shrinkage') ? parseDouble(tokens(need('shrinkage'))[0] ?? '', need('shrinkage')) : 1,
  };
  const isLinear = entries.get('is_linear');
  if (isLinear && intIn(isLinear, 0, 1) === 1) tree.linear = parseLinear(need, numLeaves, maxFeatureIdx);
  checkNodes(tree, { sf, th, lc, rc, dt }, maxFeatureIdx);
  return tree;
}

function decisionTypes(e: Entry, n: number): Uint8Array {
  const raw = int32s(e, n);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const d = raw[i]!;
    // Bits: 0 categorical, 1 default-left, 2-3 missing type (0 None, 1 Zero, 2 NaN; 3 is unused).
    if (d < 0 || d > 15 || (d >> 2) === 3) throw new LightgbmFormatError(e.line, `decision_type: ${d} (node ${i}) is not a valid decision type`);
    out[i] = d;
  }
  return out;
}

function uint32s(e: Entry): Uint32Array {
  const t = tokens(e);
  const out = new Uint32Array(t.length);
  for (let i = 0; i < t.length; i++) {
    const n = parseInt32(t[i]!, e);
    if (n < 0) throw new LightgbmFormatError(e.line, `${e.key}: ${n} is not an unsigned 32-bit word`);
    out[i] = n;
  }
  return out;
}

/**
 * Linear-tree leaves. LightGBM writes `num_features` per leaf, then all leaves' features (and
 * coefficients) on one line, each leaf's group followed by extra spaces; the counts split them.
 */
function parseLinear(need: (k: string) => Entry, numLeaves: number, maxFeatureIdx: number): LinearLeaves {
  const leafConst = doubles(need('leaf_const'), numLeaves);
  const counts = int32s(need('num_features'), numLeaves);
  const fe = need('leaf_features');
  const ce = need('leaf_coeff');
  const feats = int32s(fe);
  const coeffs = doubles(ce);
  const total = counts.reduce((a, b) => a + b, 0);
  if (counts.some((c) => c < 0) || feats.length !== total || coeffs.length !== total) {
    throw new LightgbmFormatError(fe.line, `leaf_features/leaf_coeff: ${feats.length}/${coeffs.length} values, num_features says ${total}`);
  }
  const leafFeatures: Int32Array[] = [];
  const leafCoeff: Float64Array[] = [];
  let at = 0;
  for (let l = 0; l < numLeaves; l++) {
    const n = counts[l]!;
    const f = feats.slice(at, at + n);
    const bad = f.find((x) => x < 0 || x > maxFeatureIdx);
    if (bad !== undefined) throw new LightgbmFormatError(fe.line, `leaf_features: feature ${bad} (leaf ${l}) is outside [0, ${maxFeatureIdx}]`);
    leafFeatures.push(f);
    leafCoeff.push(coeffs.slice(at, at + n));
    at += n;
  }
  return { leafConst, leafFeatures, leafCoeff };
}

interface Lines {
  sf: Entry;
  th: Entry;
  lc: Entry;
  rc: Entry;
  dt: Entry;
}

function checkNodes(t: TreeSpec, at: Lines, maxFeatureIdx: number): void {
  const inner = t.numLeaves - 1;
  const b = t.catBoundaries;
  for (let i = 1; i < b.length; i++) {
    if (b[0] !== 0 || b[i]! < b[i - 1]! || b[b.length - 1] !== t.catThreshold.length) {
      throw new LightgbmFormatError(at.dt.line, `cat_boundaries do not partition the ${t.catThreshold.length} cat_threshold words`);
    }
  }
  for (let n = 0; n < inner; n++) {
    const f = t.splitFeature[n]!;
    if (f < 0 || f > maxFeatureIdx) throw new LightgbmFormatError(at.sf.line, `split_feature: feature ${f} (node ${n}) is outside [0, ${maxFeatureIdx}] (max_feature_idx)`);
    if ((t.decisionType[n]! & CATEGORICAL_MASK) !== 0) {
      const c = t.threshold[n]!;
      if (!Number.isInteger(c) || c < 0 || c >= t.numCat) {
        throw new LightgbmFormatError(at.th.line, `threshold: categorical node ${n} names bitset ${c}, expected an integer in [0, ${t.numCat})`);
      }
    }
  }
  // Walk from the root: every child in range and reached once, so evaluation cannot loop.
  if (inner === 0) return;
  const seen = new Uint8Array(inner);
  const stack = [0];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (seen[n] === 1) throw new LightgbmFormatError(at.lc.line, `node ${n} is reached twice: left_child/right_child do not form a tree`);
    seen[n] = 1;
    for (const [child, e] of [[t.leftChild[n]!, at.lc], [t.rightChild[n]!, at.rc]] as const) {
      if (child >= inner || ~child >= t.numLeaves) {
        throw new LightgbmFormatError(e.line, `${e.key}: ${child} (node ${n}) is out of range for ${t.numLeaves} leaves`);
      }
      if (child >= 0) stack.push(child);
    }
  }
}
