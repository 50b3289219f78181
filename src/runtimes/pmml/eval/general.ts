/**
 * GeneralRegressionModel: η = offset + Σ_p β_p · x_p, where a parameter's x_p is the product of
 * its PPCells (covariate c with value k contributes c^k; factor f with value v contributes 1 when
 * f = v, else 0; a parameter without cells, the intercept, is 1). Regression: the inverse link of
 * η. Binomial classification: p = link⁻¹(η) for the category with betas, 1 − p for the other.
 * multinomialLogistic: P(k) = e^{η_k} / (1 + Σ e^{η_j}), the reference category taking 1 / (…).
 */
import type { GeneralRegressionModel } from '../doc/types.ts';
import { type InverseLink, inverseLink } from './links.ts';
import { type ModelResult, NO_PREDICTION, argmax } from './result.ts';
import type { FieldScope } from './scope.ts';
import { sameValue, toNumber } from './values.ts';

function eta(model: GeneralRegressionModel, betas: ReadonlyMap<string, number>, scope: FieldScope): number | null {
  let sum = model.offsetValue;
  for (const [param, beta] of betas) {
    let x = 1;
    for (const c of model.cells.get(param) ?? []) {
      const v = scope.get(c.predictor);
      if (v === null) return null;
      if (c.factor) {
        if (!sameValue(v, c.value)) x = 0;
      } else {
        const n = toNumber(v);
        if (n === undefined) return null;
        const k = Number(c.value);
        x *= k === 1 ? n : Math.pow(n, k);
      }
    }
    sum += beta * x;
  }
  return sum;
}

/** `categories`: the target's values in DataDictionary order (classification only). */
export function evalGeneral(model: GeneralRegressionModel, scope: FieldScope, categories: readonly string[]): ModelResult {
  const link = model.link as InverseLink;
  if (model.functionName === 'regression') {
    const betas = model.betas.get('') ?? [...model.betas.values()][0] ?? new Map<string, number>();
    const e = eta(model, betas, scope);
    return e === null ? NO_PREDICTION : { value: inverseLink(link, e, model.linkParameter) };
  }
  const etas = new Map<string, number>();
  for (const [cat, betas] of model.betas) {
    const e = eta(model, betas, scope);
    if (e === null) return NO_PREDICTION;
    etas.set(cat, e);
  }
  const cats = categories.length > 0 ? categories : [...etas.keys(), ...(model.targetReferenceCategory === undefined ? [] : [model.targetReferenceCategory])];
  const probs = new Map<string, number>();
  if (model.modelType === 'multinomialLogistic') {
    let denom = 1;
    for (const e of etas.values()) denom += Math.exp(e);
    for (const c of cats) probs.set(c, etas.has(c) ? Math.exp(etas.get(c) as number) / denom : 1 / denom);
  } else {
    // Binomial: one category has betas; the other gets the complement.
    let p = 0;
    for (const [c, e] of etas) {
      const v = inverseLink(link, e, model.linkParameter);
      probs.set(c, v);
      p += v;
    }
    for (const c of cats) if (!probs.has(c)) probs.set(c, 1 - p);
  }
  const ordered = new Map(cats.map((c) => [c, probs.get(c) ?? 0]));
  return { value: argmax(ordered), probs: ordered };
}
