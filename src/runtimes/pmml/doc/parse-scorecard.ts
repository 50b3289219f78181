/** Reads Scorecard: Characteristics of Attributes (predicate → partial score) and reason codes. */
import { boolAttr, enumAttr, kid, kids, numAttr, only, optAttr, presentAttrs, presentNumAttrs, reqKid } from './access.ts';
import { invalid } from './errors.ts';
import { findExpression, findPredicate, parseExpression, parsePredicate } from './parse-expression.ts';
import type { ModelBase, Scorecard } from './types.ts';
import type { XmlElement } from './xml.ts';

export function parseScorecard(el: XmlElement, base: ModelBase): Scorecard {
  if (base.functionName !== 'regression') throw invalid(el, 'a Scorecard has functionName="regression"');
  const useReasonCodes = boolAttr(el, 'useReasonCodes', true);
  const modelBaseline = optAttr(el, 'baselineScore');
  const chars = reqKid(el, 'Characteristics');
  only(chars, ['Characteristic']);
  const characteristics = kids(chars, 'Characteristic').map((c) => {
    only(c, ['Attribute']);
    const out: Scorecard['characteristics'][number] = {
      ...presentAttrs(c, ['reasonCode']), ...presentNumAttrs(c, ['baselineScore']),
      attributes: kids(c, 'Attribute').map((a) => {
        only(a, ['True', 'False', 'SimplePredicate', 'SimpleSetPredicate', 'CompoundPredicate', 'ComplexPartialScore']);
        const cps = kid(a, 'ComplexPartialScore');
        const expr = cps ? findExpression(cps) : undefined;
        if (cps && !expr) throw invalid(cps, 'an expression is required');
        if (!cps && optAttr(a, 'partialScore') === undefined) throw invalid(a, 'partialScore or ComplexPartialScore is required');
        return { predicate: parsePredicate(findPredicate(a)), ...presentAttrs(a, ['reasonCode']), ...presentNumAttrs(a, ['partialScore']), ...(expr ? { complex: parseExpression(expr) } : {}) };
      }),
    };
    if (out.baselineScore === undefined && modelBaseline !== undefined) out.baselineScore = numAttr(el, 'baselineScore');
    if (useReasonCodes && out.baselineScore === undefined) throw invalid(c, 'useReasonCodes needs a baselineScore (here or on the Scorecard)');
    return out;
  });
  return {
    ...base, kind: 'scorecard', initialScore: numAttr(el, 'initialScore', 0), useReasonCodes,
    pointsBelow: enumAttr(el, 'reasonCodeAlgorithm', ['pointsAbove', 'pointsBelow'] as const, 'pointsBelow') === 'pointsBelow',
    characteristics,
  };
}
