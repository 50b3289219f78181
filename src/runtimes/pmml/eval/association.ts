/**
 * AssociationModel: matches every rule against the transaction's items; Output ruleValue fields
 * then pick the rank-th rule (by rankBasis, ties in document order) among those their algorithm
 * admits:
 * - recommendation: the antecedent is in the transaction;
 * - exclusiveRecommendation: the antecedent is in it and no consequent item is;
 * - ruleAssociation: antecedent and consequent are both in it.
 * Example: items {beer, frozenmeal} and rule {beer, frozenmeal} → {cannedveg} is an exclusive
 * recommendation; with cannedveg bought too, it is a rule association instead.
 */
import type { AssociationModel, OutputField, Value } from '../doc/types.ts';
import type { ModelResult } from './result.ts';

export function evalAssociation(model: AssociationModel, items: ReadonlySet<string>): ModelResult {
  const rules = model.rules.map((rule) => ({
    rule,
    antecedentIn: rule.antecedent.every((i) => items.has(i)),
    consequentIn: rule.consequent.every((i) => items.has(i)),
    consequentOut: rule.consequent.every((i) => !items.has(i)),
  }));
  return { value: null, rules };
}

/** The value of one ruleValue OutputField, or null when fewer rules qualify than its rank. */
export function ruleValue(res: ModelResult, f: OutputField): Value {
  const spec = f.rule;
  if (!spec || !res.rules) return null;
  const admitted = res.rules.filter((r) =>
    spec.algorithm === 'recommendation' ? r.antecedentIn : spec.algorithm === 'exclusiveRecommendation' ? r.antecedentIn && r.consequentOut : r.antecedentIn && r.consequentIn,
  );
  const key = (r: (typeof admitted)[number]): number => r.rule[spec.rankBasis] ?? NaN;
  const ranked = admitted.map((r, i) => ({ r, i })).sort((a, b) => (spec.ascending ? key(a.r) - key(b.r) : key(b.r) - key(a.r)) || a.i - b.i);
  const hit = ranked[f.rank - 1]?.r.rule;
  if (!hit) return null;
  switch (spec.feature) {
    case 'ruleId': return hit.id;
    case 'antecedent': return hit.antecedent.join(',');
    case 'consequent': return hit.consequent.join(',');
    case 'rule': return `{${hit.antecedent.join(',')}}->{${hit.consequent.join(',')}}`;
    default: return hit[spec.feature] ?? null;
  }
}
