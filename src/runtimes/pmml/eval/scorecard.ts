/**
 * Scorecard: score = initialScore + Σ per Characteristic the partial score of its first
 * Attribute whose predicate is true (no true Attribute: no prediction). Reason codes: each
 * characteristic contributes baseline − partial (pointsBelow) or partial − baseline (pointsAbove)
 * points to its code; codes are ranked by total points, highest first, ties in document order.
 * Example: baselines 10 and 20, partials 4 (code A) and 18 (code B), pointsBelow → A 6, B 2 → [A, B].
 */
import type { Scorecard } from '../doc/types.ts';
import { evalExpression } from './expression.ts';
import { evalPredicate } from './predicate.ts';
import { type ModelResult, NO_PREDICTION } from './result.ts';
import type { FieldScope } from './scope.ts';
import { toNumber } from './values.ts';

export function evalScorecard(model: Scorecard, scope: FieldScope): ModelResult {
  let score = model.initialScore;
  const points = new Map<string, number>();
  for (const c of model.characteristics) {
    const a = c.attributes.find((x) => evalPredicate(x.predicate, scope) === true);
    if (!a) return NO_PREDICTION;
    const partial = a.complex ? toNumber(evalExpression(a.complex, scope)) : a.partialScore;
    if (partial === undefined) return NO_PREDICTION;
    score += partial;
    const code = a.reasonCode ?? c.reasonCode;
    if (model.useReasonCodes && code !== undefined && c.baselineScore !== undefined) {
      const diff = model.pointsBelow ? c.baselineScore - partial : partial - c.baselineScore;
      points.set(code, (points.get(code) ?? 0) + diff);
    }
  }
  const ranked = [...points].map(([code, p], i) => ({ code, p, i })).sort((x, y) => y.p - x.p || x.i - y.i);
  return { value: score, reasonCodes: ranked.map((r) => r.code) };
}
