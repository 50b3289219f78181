/**
 * NaiveBayesModel: L(k) = n_k · Π_i P(x_i | k), probabilities L(k) / Σ L. Discrete inputs:
 * P(x | k) = count(x, k) / Σ_x count(x, k); continuous inputs: the Gaussian (or Poisson)
 * density. A probability of 0 is replaced by `threshold`. Missing inputs, and discrete values with
 * no PairCounts, are left out of the product.
 * Example: n = {0: 1452, 1: 447}, Employment = Private with counts 1112 and 299 of sums 1452 and
 * 447 gives L = 1452·0.766 and 447·0.669.
 */
import type { BayesInput, NaiveBayesModel, Value } from '../doc/types.ts';
import { evalExpression } from './expression.ts';
import { type ModelResult, argmax } from './result.ts';
import type { FieldScope } from './scope.ts';
import { convert, numberText, toNumber } from './values.ts';

const sums = new WeakMap<BayesInput, Map<string, number>>();

function countSums(input: BayesInput): Map<string, number> {
  let s = sums.get(input);
  if (!s) {
    s = new Map();
    for (const byTarget of input.pairs?.values() ?? []) for (const [k, c] of byTarget) s.set(k, (s.get(k) ?? 0) + c);
    sums.set(input, s);
  }
  return s;
}

function logGamma1p(n: number): number {
  let s = 0;
  for (let i = 2; i <= n; i++) s += Math.log(i);
  return s;
}

function likelihood(input: BayesInput, v: Value, k: string): number | undefined {
  if (input.stats) {
    const d = input.stats.get(k);
    const x = toNumber(v);
    if (!d || x === undefined) return undefined;
    if (d.kind === 'gaussian') return Math.exp(-((x - d.mean) ** 2) / (2 * d.variance)) / Math.sqrt(2 * Math.PI * d.variance);
    return Math.exp(x * Math.log(d.mean) - d.mean - logGamma1p(x));
  }
  const key = typeof v === 'number' ? numberText(v) : String(v);
  const byTarget = input.pairs?.get(key);
  if (!byTarget) return undefined;
  const total = countSums(input).get(k) ?? 0;
  return total > 0 ? (byTarget.get(k) ?? 0) / total : 0;
}

export function evalBayes(model: NaiveBayesModel, scope: FieldScope): ModelResult {
  const ls = new Map(model.priors);
  for (const input of model.inputs) {
    let v = scope.get(input.field);
    if (input.derived && v !== null) v = convert(evalExpression(input.derived.expr, scope), input.derived.dataType) ?? null;
    if (v === null) continue;
    for (const k of model.priors.keys()) {
      const p = likelihood(input, v, k);
      if (p === undefined) continue;
      ls.set(k, (ls.get(k) ?? 0) * (p === 0 ? model.threshold : p));
    }
  }
  const total = [...ls.values()].reduce((a, b) => a + b, 0);
  const probs = new Map([...ls].map(([k, l]) => [k, total > 0 ? l / total : 0]));
  return { value: argmax(probs), probs };
}
