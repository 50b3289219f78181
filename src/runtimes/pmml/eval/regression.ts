/**
 * RegressionModel: one linear predictor per RegressionTable, then the normalization. For
 * classification, softmax/simplemax spread over all tables; the link functions (logit, probit,
 * ...) apply to each table but the last, whose probability is 1 − Σ others (the binary case:
 * y = 0.2 with logit gives p = 0.5498 and 0.4502 for the reference category).
 */
import type { RegressionModel, RegressionNormalization, RegressionTable } from '../doc/types.ts';
import { inverseLink } from './links.ts';
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
  for (const term of t.terms) {
    let x = term.coefficient;
    for (const f of term.fields) {
      const v = toNumber(scope.get(f));
      if (v === undefined) return null;
      x *= v;
    }
    y += x;
  }
  for (const p of t.categorical) {
    const v = scope.get(p.field);
    if (v === null) return null;
    if (sameValue(v, p.value)) y += p.coefficient;
  }
  return y;
}

function link(method: RegressionNormalization, y: number): number {
  return method === 'none' || method === 'softmax' || method === 'simplemax' ? y : inverseLink(method, y);
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
