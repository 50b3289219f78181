/**
 * PMML predicates in three-valued logic: true, false, or unknown (`null`) when a field they read
 * is missing. Tree missing-value strategies act on the unknowns.
 */
import type { Predicate } from '../doc/types.ts';
import { type FieldReader, compareTo, sameValue } from './values.ts';

export type Truth = boolean | null;

export function evalPredicate(p: Predicate, scope: FieldReader): Truth {
  switch (p.kind) {
    case 'true':
      return true;
    case 'false':
      return false;
    case 'simple': {
      const v = scope.get(p.field);
      if (p.op === 'isMissing') return v === null;
      if (p.op === 'isNotMissing') return v !== null;
      if (v === null) return null;
      const lit = p.value ?? '';
      if (p.op === 'equal') return sameValue(v, lit);
      if (p.op === 'notEqual') return !sameValue(v, lit);
      const c = compareTo(v, lit);
      if (c === undefined) return null;
      if (p.op === 'lessThan') return c < 0;
      if (p.op === 'lessOrEqual') return c <= 0;
      if (p.op === 'greaterThan') return c > 0;
      return c >= 0;
    }
    case 'set': {
      const v = scope.get(p.field);
      if (v === null) return null;
      const found = p.values.some((lit) => sameValue(v, lit));
      return p.isIn ? found : !found;
    }
    case 'compound':
      return compound(p.op, p.preds, scope);
  }
}

function compound(op: 'and' | 'or' | 'xor' | 'surrogate', preds: Predicate[], scope: FieldReader): Truth {
  if (op === 'surrogate') {
    // The first predicate that is not unknown decides.
    for (const q of preds) {
      const t = evalPredicate(q, scope);
      if (t !== null) return t;
    }
    return null;
  }
  let acc: Truth = op === 'and' ? true : false;
  for (const q of preds) {
    const t = evalPredicate(q, scope);
    if (op === 'and') {
      if (t === false) return false;
      if (t === null) acc = null;
    } else if (op === 'or') {
      if (t === true) return true;
      if (t === null) acc = null;
    } else {
      if (t === null || acc === null) acc = null;
      else acc = acc !== t;
    }
  }
  return acc;
}
