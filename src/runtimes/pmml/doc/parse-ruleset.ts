/** Reads RuleSetModel: the RuleSet, its selection method, and Simple/Compound rules. */
import { enumAttr, kid, kids, numAttr, only, optAttr, parseDistribution, presentAttrs, reqAttr, reqKid } from './access.ts';
import { invalid, unsupported } from './errors.ts';
import { findPredicate, parsePredicate } from './parse-expression.ts';
import type { ModelBase, Rule, RuleSetModel } from './types.ts';
import type { XmlElement } from './xml.ts';

const PREDICATES = ['True', 'False', 'SimplePredicate', 'SimpleSetPredicate', 'CompoundPredicate'];

function parseRules(el: XmlElement): Rule[] {
  return el.children.filter((c) => c.name === 'SimpleRule' || c.name === 'CompoundRule').map((r): Rule => {
    if (r.name === 'CompoundRule') {
      only(r, [...PREDICATES, 'SimpleRule', 'CompoundRule']);
      return { kind: 'compound', predicate: parsePredicate(findPredicate(r)), rules: parseRules(r) };
    }
    only(r, [...PREDICATES, 'ScoreDistribution']);
    return {
      kind: 'simple', score: reqAttr(r, 'score'), confidence: numAttr(r, 'confidence', 1), weight: numAttr(r, 'weight', 1),
      predicate: parsePredicate(findPredicate(r)), distribution: parseDistribution(r), ...presentAttrs(r, ['id']),
    };
  });
}

export function parseRuleSet(el: XmlElement, base: ModelBase): RuleSetModel {
  if (base.functionName !== 'classification') throw unsupported(el, `functionName="${base.functionName}" for a RuleSetModel`);
  const set = reqKid(el, 'RuleSet');
  only(set, ['RuleSelectionMethod', 'ScoreDistribution', 'SimpleRule', 'CompoundRule']);
  if (kid(set, 'ScoreDistribution')) throw unsupported(kid(set, 'ScoreDistribution') as XmlElement, 'on a RuleSet');
  const method = kids(set, 'RuleSelectionMethod')[0];
  if (!method) throw invalid(set, 'a RuleSelectionMethod is required');
  // A RuleSet may list several methods; the first is the one scoring uses (PMML 4.4 §RuleSet).
  const criterion = enumAttr(method, 'criterion', ['firstHit', 'weightedSum', 'weightedMax'] as const, 'firstHit');
  if (optAttr(method, 'criterion') === undefined) throw invalid(method, 'attribute criterion is required');
  return {
    ...base, kind: 'ruleset', criterion, rules: parseRules(set), defaultConfidence: numAttr(set, 'defaultConfidence', 0),
    ...presentAttrs(set, ['defaultScore']),
  };
}
