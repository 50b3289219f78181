/**
 * LightGBM objectives → the output transform of each `ObjectiveFunction::ConvertOutput`, applied
 * to one row's raw scores. The model file saves the objective as its ToString(): a name and
 * `key:value` options, e.g. `binary sigmoid:1`, `multiclassova num_class:3 sigmoid:1`,
 * `regression sqrt` (reg_sqrt: predictions are sign(x)·x², undoing the square root the labels
 * were trained on).
 */

/** How a row's raw scores become predictions. */
export interface Objective {
  /** The objective's name as saved ('custom' when the file has none). */
  readonly name: string;
  /** True for classifiers, whose predictions are probabilities. */
  readonly classifier: boolean;
  /** Converts `k` raw scores at `out[at..at+k)` in place; undefined = identity. */
  readonly convert: ((out: Float64Array, at: number, k: number) => void) | undefined;
}

const REGRESSION = ['regression', 'regression_l1', 'huber', 'fair', 'quantile', 'mape'];
const EXP_LINK = ['poisson', 'gamma', 'tweedie'];
const RANKING = ['lambdarank', 'rank_xendcg'];

/** Every objective name the evaluator accepts. */
export const SUPPORTED_OBJECTIVES: readonly string[] = [
  ...REGRESSION, ...EXP_LINK, 'binary', 'cross_entropy', 'cross_entropy_lambda', 'multiclass', 'multiclassova', ...RANKING,
];

/** An objective LightGBM can save that this evaluator does not know. */
export class UnsupportedObjectiveError extends Error {}

/** Parses the saved objective line (undefined: a custom objective, raw scores out). */
export function objectiveOf(saved: string | undefined): Objective {
  if (saved === undefined) return { name: 'custom', classifier: false, convert: undefined };
  const [name = '', ...rest] = saved.split(/\s+/);
  const opts = new Map(rest.map((t) => [t.split(':')[0]!, t.split(':')[1] ?? '']));
  // LightGBM's sigmoid parameter; a bad value is a bad file, not a silent default.
  const sigmoid = Number(opts.get('sigmoid') ?? '1');
  if (!Number.isFinite(sigmoid) || sigmoid <= 0) throw new UnsupportedObjectiveError(`objective ${saved}: sigmoid must be a positive number`);
  if (REGRESSION.includes(name)) {
    return { name, classifier: false, convert: opts.has('sqrt') ? signedSquare : undefined };
  }
  if (EXP_LINK.includes(name)) return { name, classifier: false, convert: exp };
  if (RANKING.includes(name)) return { name, classifier: false, convert: undefined };
  switch (name) {
    case 'binary':
    case 'multiclassova':
      return { name, classifier: true, convert: sigmoidOf(sigmoid) };
    case 'cross_entropy':
      return { name, classifier: true, convert: sigmoidOf(1) };
    case 'cross_entropy_lambda':
      return { name, classifier: false, convert: softplus };
    case 'multiclass':
      return { name, classifier: true, convert: softmax };
    default:
      throw new UnsupportedObjectiveError(`objective ${JSON.stringify(name)} is not supported (supported: ${SUPPORTED_OBJECTIVES.join(', ')})`);
  }
}

function signedSquare(out: Float64Array, at: number, k: number): void {
  for (let i = at; i < at + k; i++) out[i] = Math.sign(out[i]!) * out[i]! * out[i]!;
}

function exp(out: Float64Array, at: number, k: number): void {
  for (let i = at; i < at + k; i++) out[i] = Math.exp(out[i]!);
}

/** LightGBM: 1 / (1 + exp(-sigmoid · x)), per score (binary, multiclassova, cross_entropy). */
function sigmoidOf(sigmoid: number): (out: Float64Array, at: number, k: number) => void {
  return (out, at, k) => {
    for (let i = at; i < at + k; i++) out[i] = 1 / (1 + Math.exp(-sigmoid * out[i]!));
  };
}

/** cross_entropy_lambda's ConvertOutput: log(1 + exp(x)). */
function softplus(out: Float64Array, at: number, k: number): void {
  for (let i = at; i < at + k; i++) out[i] = Math.log1p(Math.exp(out[i]!));
}

/**
 * Common::Softmax, in its order of operations (max-shifted, then normalised), so results match
 * LightGBM to the last bit or two. Example: raw [6.284, -4.905, -7.560] → max 6.284 →
 * exp [1, 1.38e-5, 9.7e-7] → sum 1.0000147 → [0.999985, 1.38e-5, 9.7e-7].
 */
function softmax(out: Float64Array, at: number, k: number): void {
  let max = out[at]!;
  for (let i = at + 1; i < at + k; i++) if (out[i]! > max) max = out[i]!;
  let sum = 0;
  for (let i = at; i < at + k; i++) {
    out[i] = Math.exp(out[i]! - max);
    sum += out[i]!;
  }
  for (let i = at; i < at + k; i++) out[i] = out[i]! / sum;
}
