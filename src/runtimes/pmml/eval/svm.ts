/**
 * SupportVectorMachineModel: each machine computes f(x) = Σ α_i K(x, x_i) + b. Regression: f of
 * the single machine. OneAgainstOne: f < threshold votes targetCategory, else the alternate
 * (reversed when maxWins); probabilities are vote shares (3 machines voting a, a, c → a = 2/3,
 * c = 1/3), ties go to the first category in DataDictionary order. OneAgainstAll: the machine
 * with the lowest f (highest when maxWins) names the class.
 */
import type { SupportVectorMachineModel, SvmKernel } from '../doc/types.ts';
import { type ModelResult, NO_PREDICTION, argmax } from './result.ts';
import type { FieldScope } from './scope.ts';
import { toNumber } from './values.ts';

function k(kernel: SvmKernel, x: Float64Array, y: Float64Array): number {
  if (kernel.kind === 'radialBasis') {
    let d = 0;
    for (let i = 0; i < x.length; i++) d += ((x[i] as number) - (y[i] as number)) ** 2;
    return Math.exp(-kernel.gamma * d);
  }
  let dot = 0;
  for (let i = 0; i < x.length; i++) dot += (x[i] as number) * (y[i] as number);
  switch (kernel.kind) {
    case 'linear': return dot;
    case 'polynomial': return Math.pow(kernel.gamma * dot + kernel.coef0, kernel.degree);
    case 'sigmoid': return Math.tanh(kernel.gamma * dot + kernel.coef0);
  }
}

export function evalSvm(model: SupportVectorMachineModel, scope: FieldScope, categories: readonly string[]): ModelResult {
  const x = new Float64Array(model.fields.length);
  for (let i = 0; i < model.fields.length; i++) {
    const v = toNumber(scope.get(model.fields[i] as string));
    if (v === undefined) return NO_PREDICTION;
    x[i] = v;
  }
  const fs = model.machines.map((m) => m.vectors.reduce((s, v) => s + v.alpha * k(model.kernel, x, v.x), m.intercept));
  if (model.functionName === 'regression') return { value: fs[0] ?? null };
  if (model.method === 'OneAgainstAll') {
    let best = 0;
    fs.forEach((f, i) => {
      const b = fs[best] as number;
      if (model.maxWins ? f > b : f < b) best = i;
    });
    return { value: model.machines[best]?.targetCategory ?? null };
  }
  const votes = new Map<string, number>(categories.map((c) => [c, 0]));
  model.machines.forEach((m, i) => {
    const below = (fs[i] as number) < (m.threshold ?? model.threshold);
    const pick = below !== model.maxWins ? m.targetCategory : m.alternateTargetCategory;
    if (pick !== undefined) votes.set(pick, (votes.get(pick) ?? 0) + 1);
  });
  const probs = new Map([...votes].map(([c, n]) => [c, n / model.machines.length]));
  return { value: argmax(probs), probs };
}
