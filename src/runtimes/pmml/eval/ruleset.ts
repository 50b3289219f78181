/**
 * RuleSetModel. Fired rules are the SimpleRules whose predicate is true, inside CompoundRules
 * whose predicate is true, in document order.
 * - firstHit: the first fired rule gives score, confidence, id, and probabilities from its
 *   ScoreDistribution when it has one;
 * - weightedSum: per score, Σ weights of its fired rules; the highest total wins (ties: first
 *   fired); confidence = Σ confidence·weight of the winner's rules / number of fired rules;
 * - weightedMax: the fired rule with the highest weight (ties: first).
 * No fired rule: defaultScore with defaultConfidence, or no prediction.
 * Example (weightedSum): rules a(w 2, c 0.8), b(w 1, c 0.6), a(w 1, c 0.5) fire → a totals 3,
 * confidence (1.6 + 0.5) / 3 = 0.7.
 */
import type { Rule, RuleSetModel, SimpleRule } from '../doc/types.ts';
import { evalPredicate } from './predicate.ts';
import { type ModelResult, NO_PREDICTION } from './result.ts';
import type { FieldScope } from './scope.ts';

function fired(rules: readonly Rule[], scope: FieldScope, out: SimpleRule[], firstOnly: boolean): void {
  for (const r of rules) {
    if (firstOnly && out.length > 0) return;
    if (evalPredicate(r.predicate, scope) !== true) continue;
    if (r.kind === 'compound') fired(r.rules, scope, out, firstOnly);
    else out.push(r);
  }
}

function fromRule(r: SimpleRule, confidence = r.confidence): ModelResult {
  const res: ModelResult = { value: r.score, confidence };
  if (r.id !== undefined) res.entityId = r.id;
  if (r.distribution.length > 0) {
    const total = r.distribution.reduce((a, d) => a + d.recordCount, 0);
    res.probs = new Map(r.distribution.map((d) => [d.value, d.probability ?? (total > 0 ? d.recordCount / total : 0)]));
  }
  return res;
}

export function evalRuleSet(model: RuleSetModel, scope: FieldScope): ModelResult {
  const hits: SimpleRule[] = [];
  fired(model.rules, scope, hits, model.criterion === 'firstHit');
  if (hits.length === 0) {
    return model.defaultScore === undefined ? NO_PREDICTION : { value: model.defaultScore, confidence: model.defaultConfidence };
  }
  if (model.criterion === 'firstHit') return fromRule(hits[0] as SimpleRule);
  if (model.criterion === 'weightedMax') {
    const best = hits.reduce((a, b) => (b.weight > a.weight ? b : a));
    return fromRule(best);
  }
  const totals = new Map<string, { w: number; cw: number }>();
  for (const r of hits) {
    const t = totals.get(r.score) ?? { w: 0, cw: 0 };
    t.w += r.weight;
    t.cw += r.confidence * r.weight;
    totals.set(r.score, t);
  }
  let best: [string, { w: number; cw: number }] | undefined;
  for (const e of totals) if (!best || e[1].w > best[1].w) best = e;
  if (!best) return NO_PREDICTION;
  return { value: best[0], confidence: best[1].cw / hits.length };
}
