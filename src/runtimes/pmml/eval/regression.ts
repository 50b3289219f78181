/**
 * RegressionModel: one linear predictor per RegressionTable, then the normalization. For
 * classification, softmax/simplemax spread over all tables; the link functions (logit, probit,
 * ...) apply to each table but the last, whose probability is 1 − Σ others (the binary case:
 * y = 0.2 with logit gives p = 0.5498 and 0.4502 for the reference category).
 */
import type { RegressionModel, RegressionNormalization, RegressionTable } from '../doc/types.ts';
import { type ModelResult, NO_PREDICTION, argmax } from './result.ts';
import type { FieldScope } from './scope.ts';
import { sameValue, toNumber } from './values.ts';

function linear(t: RegressionTable, scope: FieldScope): number | null {
  let y = t.intercept;
  for (const p of t.numeric) {
    const x = toNumber(scope.get(p.field));
    if (x === undefined) return null;
    y += p.coefficient * (p.exponent === 1 ? x : Math.pow(x, p.exponent));
  }
  for (const p of t.categorical) {
    const v = scope.get(p.field);
    if (v === null) return null;
    if (sameValue(v, p.value)) y += p.coefficient;
  }
  return y;
}

/** Standard normal CDF (Abramowitz–Stegun 7.1.26 is too coarse; this uses erfc via a series-free rational fit). */
function phi(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}

/** erfc with relative error < 1.2e-7 (Numerical Recipes erfcc). */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? r : 2 - r;
}

function link(method: RegressionNormalization, y: number): number {
  switch (method) {
    case 'logit':
      return 1 / (1 + Math.exp(-y));
    case 'probit':
      return phi(y);
    case 'cloglog':
      return 1 - Math.exp(-Math.exp(y));
    case 'loglog':
      return Math.exp(-Math.exp(-y));
    case 'cauchit':
      return 0.5 + Math.atan(y) / Math.PI;
    case 'exp':
      return Math.exp(y);
    default:
      return y;
  }
}

export function evalRegression(model: RegressionModel, scope: FieldScope): ModelResult {
  const ys: number[] = [];
  for (const t of model.tables) {
    const y = linear(t, scope);
    if (y === null) return NO_PREDICTION;
    ys.push(y);
  }
  const m = model.normalizationMethod;
  if (model.functionName !== 'classification') {
    const y = ys[0] as number;
    return { value: m === 'softmax' ? 1 / (1 + Math.exp(-y)) : link(m, y) };
  }
  let ps: number[];
  if (m === 'softmax') {
    const top = Math.max(...ys);
    const e = ys.map((y) => Math.exp(y - top));
    const s = e.reduce((a, b) => a + b, 0);
    ps = e.map((x) => x / s);
  } else if (m === 'simplemax') {
    const s = ys.reduce((a, b) => a + b, 0);
    ps = ys.map((y) => y / s);
  } else {
    ps = ys.slice(0, -1).map((y) => link(m, y));
    ps.push(1 - ps.reduce((a, b) => a + b, 0));
  }
  const probs = new Map<string, number>();
  model.tables.forEach((t, i) => probs.set(t.targetCategory ?? String(i), ps[i] as number));
  return { value: argmax(probs), probs };
}
