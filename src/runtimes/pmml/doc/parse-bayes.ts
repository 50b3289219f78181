/** Reads NaiveBayesModel: BayesInputs (PairCounts or TargetValueStats) and the BayesOutput priors. */
import { kid, kids, numAttr, only, reqAttr, reqKid } from './access.ts';
import { invalid, unsupported } from './errors.ts';
import { parseDerivedField } from './parse-fields.ts';
import type { BayesInput, ModelBase, NaiveBayesModel } from './types.ts';
import type { XmlElement } from './xml.ts';

export const BAYES_CHILDREN = ['BayesInputs', 'BayesOutput'];

function counts(el: XmlElement): Map<string, number> {
  return new Map(kids(el, 'TargetValueCount').map((c) => [reqAttr(c, 'value'), numAttr(c, 'count')]));
}

function parseInput(el: XmlElement): BayesInput {
  only(el, ['DerivedField', 'PairCounts', 'TargetValueStats']);
  const input: BayesInput = { field: reqAttr(el, 'fieldName') };
  const d = kid(el, 'DerivedField');
  if (d) input.derived = parseDerivedField(d);
  const stats = kid(el, 'TargetValueStats');
  if (stats) {
    input.stats = new Map();
    for (const s of kids(stats, 'TargetValueStat')) {
      const g = kid(s, 'GaussianDistribution');
      const p = kid(s, 'PoissonDistribution');
      if (g) input.stats.set(reqAttr(s, 'value'), { kind: 'gaussian', mean: numAttr(g, 'mean'), variance: numAttr(g, 'variance') });
      else if (p) input.stats.set(reqAttr(s, 'value'), { kind: 'poisson', mean: numAttr(p, 'mean') });
      else throw unsupported(s.children[0] ?? s, 'distribution');
    }
    return input;
  }
  input.pairs = new Map(kids(el, 'PairCounts').map((p) => [reqAttr(p, 'value'), counts(reqKid(p, 'TargetValueCounts'))]));
  if (input.pairs.size === 0) throw invalid(el, 'PairCounts or TargetValueStats is required');
  return input;
}

export function parseBayes(el: XmlElement, base: ModelBase): NaiveBayesModel {
  if (base.functionName !== 'classification') throw invalid(el, 'a NaiveBayesModel classifies');
  const inputs = reqKid(el, 'BayesInputs');
  only(inputs, ['BayesInput']);
  const out = reqKid(el, 'BayesOutput');
  return {
    ...base, kind: 'bayes', threshold: numAttr(el, 'threshold'),
    inputs: kids(inputs, 'BayesInput').map(parseInput),
    priors: counts(reqKid(out, 'TargetValueCounts')),
  };
}
