/**
 * XGBoost objectives as prediction needs them: how a saved base_score becomes a margin
 * (`ProbToMargin`) and how margins become the output `Booster.predict` returns (`PredTransform`).
 *
 * base_score is saved in output space by every XGBoost that writes JSON/UBJSON (1.0 … 2.x) and by
 * the legacy binary format: binary:logistic with base_score 0.5 adds logit(0.5) = 0 to the margin,
 * count:poisson with base_score 2 adds log(2) ≈ 0.693. The kserve-iris (2.0.3) and agaricus
 * (1.7.4) fixtures check this: their margins include base_score as mapped here.
 */

/** How margins become outputs, per row. */
export type Transform =
  | 'identity'
  | 'sigmoid'
  | 'exp'
  | 'hinge'
  /** multi:softprob: softmax over the class margins. */
  | 'softmax'
  /** multi:softmax: the index of the largest margin. */
  | 'argmax';

export interface Objective {
  name: string;
  transform: Transform;
  /** Maps a saved base_score to margin space. */
  toMargin(baseScore: number): number;
}

const identity = (x: number): number => x;
const logit = (p: number): number => -Math.log(1 / p - 1);

function make(transform: Transform, toMargin: (x: number) => number): Omit<Objective, 'name'> {
  return { transform, toMargin };
}

const OBJECTIVES: Readonly<Record<string, Omit<Objective, 'name'>>> = {
  'reg:squarederror': make('identity', identity),
  'reg:linear': make('identity', identity),
  'reg:squaredlogerror': make('identity', identity),
  'reg:pseudohubererror': make('identity', identity),
  'reg:absoluteerror': make('identity', identity),
  'reg:quantileerror': make('identity', identity),
  'reg:logistic': make('sigmoid', logit),
  'binary:logistic': make('sigmoid', logit),
  // logitraw: base_score is taken as a margin as it is (checked against XGBoost 1.7.4).
  'binary:logitraw': make('identity', identity),
  'binary:hinge': make('hinge', identity),
  'multi:softprob': make('softmax', identity),
  'multi:softmax': make('argmax', identity),
  'count:poisson': make('exp', Math.log),
  'reg:gamma': make('exp', Math.log),
  'reg:tweedie': make('exp', Math.log),
  'survival:cox': make('exp', Math.log),
  'survival:aft': make('exp', Math.log),
  'rank:pairwise': make('identity', identity),
  'rank:ndcg': make('identity', identity),
  'rank:map': make('identity', identity),
};

/** Names of every supported objective (for error messages and docs). */
export const SUPPORTED_OBJECTIVES: readonly string[] = Object.freeze(Object.keys(OBJECTIVES));

/** The objective by name, or undefined when it is not supported. */
export function objectiveByName(name: string): Objective | undefined {
  const o = Object.hasOwn(OBJECTIVES, name) ? OBJECTIVES[name] : undefined;
  return o && { name, ...o };
}

/**
 * Applies `transform` in place to row-major margins with `groups` columns and returns the
 * output: the same array, or for argmax a new array of N class ids. Computed in float32 as
 * XGBoost does (its predictions are float32), so outputs match `Booster.predict` to float32 ulps.
 */
export function applyTransform(transform: Transform, margins: Float32Array, groups: number): Float32Array {
  const n = margins.length;
  switch (transform) {
    case 'identity':
      return margins;
    case 'sigmoid':
      for (let i = 0; i < n; i++) margins[i] = 1 / (1 + Math.exp(-margins[i]!));
      return margins;
    case 'exp':
      for (let i = 0; i < n; i++) margins[i] = Math.exp(margins[i]!);
      return margins;
    case 'hinge':
      for (let i = 0; i < n; i++) margins[i] = margins[i]! > 0 ? 1 : 0;
      return margins;
    case 'softmax':
      for (let r = 0; r < n; r += groups) softmaxRow(margins, r, groups);
      return margins;
    case 'argmax': {
      const out = new Float32Array(n / groups);
      for (let r = 0, k = 0; r < n; r += groups, k++) {
        // First maximum wins, as XGBoost's FindMaxIndex (std::max_element).
        let best = 0;
        for (let g = 1; g < groups; g++) if (margins[r + g]! > margins[r + best]!) best = g;
        out[k] = best;
      }
      return out;
    }
  }
}

function softmaxRow(m: Float32Array, start: number, groups: number): void {
  let max = -Infinity;
  for (let g = 0; g < groups; g++) max = Math.max(max, m[start + g]!);
  let sum = 0;
  for (let g = 0; g < groups; g++) {
    const e = Math.fround(Math.exp(m[start + g]! - max));
    m[start + g] = e;
    sum += e;
  }
  for (let g = 0; g < groups; g++) m[start + g] = m[start + g]! / sum;
}
