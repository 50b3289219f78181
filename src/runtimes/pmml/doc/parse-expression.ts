/** Reads PMML expressions (DerivedField content) and predicates into the typed model. */
import { IGNORABLE, arrayTokens, enumAttr, kid, kids, numAttr, optAttr, reqAttr, reqKid } from './access.ts';
import { invalid, unsupported } from './errors.ts';
import type { DataType, Expression, Interval, Predicate, SimpleOperator } from './types.ts';
import type { XmlElement } from './xml.ts';

const DATA_TYPES: readonly DataType[] = ['string', 'integer', 'float', 'double', 'boolean'];
const OUTLIERS = ['asIs', 'asMissingValues', 'asExtremeValues'] as const;

/** Reads an optional dataType attribute; date/time types are refused (not yet supported). */
export function dataTypeAttr(el: XmlElement, name = 'dataType'): DataType | undefined {
  const v = optAttr(el, name);
  if (v === undefined) return undefined;
  if (!(DATA_TYPES as readonly string[]).includes(v)) throw unsupported(el, `dataType="${v}"`);
  return v as DataType;
}

export function parseInterval(el: XmlElement): Interval {
  const closure = enumAttr(el, 'closure', ['openClosed', 'openOpen', 'closedOpen', 'closedClosed'] as const, 'closedClosed');
  return { closure, left: numAttr(el, 'leftMargin', -Infinity), right: numAttr(el, 'rightMargin', Infinity) };
}

export const EXPRESSION_ELEMENTS = ['Constant', 'FieldRef', 'NormContinuous', 'NormDiscrete', 'Discretize', 'MapValues', 'Apply', 'TextIndex', 'Aggregate', 'Lag'];
const EXPRESSIONS = new Set(EXPRESSION_ELEMENTS);

/** The single expression child of an element (DerivedField, OutputField, Apply argument...). */
export function findExpression(el: XmlElement): XmlElement | undefined {
  return el.children.find((c) => EXPRESSIONS.has(c.name));
}

function withMissing(el: XmlElement): { mapMissingTo?: string } {
  const m = optAttr(el, 'mapMissingTo');
  return m === undefined ? {} : { mapMissingTo: m };
}

function opt<K extends string, V>(key: K, v: V | undefined): Partial<Record<K, V>> {
  return v === undefined ? {} : ({ [key]: v } as Record<K, V>);
}

export function parseExpression(el: XmlElement): Expression {
  switch (el.name) {
    case 'Constant': {
      const missing = optAttr(el, 'missing') === 'true';
      return { kind: 'constant', value: missing ? null : el.text.trim(), ...opt('dataType', dataTypeAttr(el)) };
    }
    case 'FieldRef':
      return { kind: 'fieldRef', field: reqAttr(el, 'field'), ...withMissing(el) };
    case 'NormContinuous': {
      const points = kids(el, 'LinearNorm').map((p): [number, number] => [numAttr(p, 'orig'), numAttr(p, 'norm')]);
      if (points.length < 2) throw invalid(el, 'needs at least two LinearNorm elements');
      const outliers = enumAttr(el, 'outliers', OUTLIERS, 'asIs');
      return { kind: 'normContinuous', field: reqAttr(el, 'field'), points, outliers, ...withMissing(el) };
    }
    case 'NormDiscrete':
      return { kind: 'normDiscrete', field: reqAttr(el, 'field'), value: reqAttr(el, 'value'), ...withMissing(el) };
    case 'Discretize': {
      const bins = kids(el, 'DiscretizeBin').map((b) => ({ interval: parseInterval(reqKid(b, 'Interval')), binValue: reqAttr(b, 'binValue') }));
      return {
        kind: 'discretize', field: reqAttr(el, 'field'), bins, ...withMissing(el),
        ...opt('defaultValue', optAttr(el, 'defaultValue')), ...opt('dataType', dataTypeAttr(el, 'dataType')),
      };
    }
    case 'MapValues':
      return parseMapValues(el);
    case 'Apply': {
      const fn = reqAttr(el, 'function');
      const args = el.children.filter((c) => !IGNORABLE.has(c.name)).map(parseExpression);
      const ivt = enumAttr(el, 'invalidValueTreatment', ['returnInvalid', 'asMissing', 'asIs'] as const, 'returnInvalid');
      return {
        kind: 'apply', fn, args, line: el.line, invalidValueTreatment: ivt === 'asIs' ? 'returnInvalid' : ivt,
        ...withMissing(el), ...opt('defaultValue', optAttr(el, 'defaultValue')),
      };
    }
    default:
      throw unsupported(el, 'expression');
  }
}

function parseMapValues(el: XmlElement): Expression {
  // Row cells are read by local name (xml.ts drops prefixes), so column names drop theirs too:
  // JPMML writes `column="data:input"` over `<data:input>` cells.
  const local = (n: string): string => n.slice(n.indexOf(':') + 1);
  const columns = kids(el, 'FieldColumnPair').map((p) => ({ field: reqAttr(p, 'field'), column: local(reqAttr(p, 'column')) }));
  const table = kid(el, 'InlineTable');
  if (!table) throw unsupported(kid(el, 'TableLocator') ?? el, 'MapValues needs an InlineTable');
  const rows = kids(table, 'row').map((r) => {
    const row: Record<string, string> = {};
    for (const c of r.children) row[c.name] = c.text.trim();
    return row;
  });
  return {
    kind: 'mapValues', columns, outputColumn: local(reqAttr(el, 'outputColumn')), rows, ...withMissing(el),
    ...opt('defaultValue', optAttr(el, 'defaultValue')), ...opt('dataType', dataTypeAttr(el, 'dataType')),
  };
}

const OPERATORS: readonly SimpleOperator[] = ['equal', 'notEqual', 'lessThan', 'lessOrEqual', 'greaterThan', 'greaterOrEqual', 'isMissing', 'isNotMissing'];
const PREDICATES = new Set(['True', 'False', 'SimplePredicate', 'SimpleSetPredicate', 'CompoundPredicate']);

/** The predicate child of a Node, Segment or CompoundPredicate; absent is invalid. */
export function findPredicate(el: XmlElement): XmlElement {
  const p = el.children.find((c) => PREDICATES.has(c.name));
  if (!p) throw invalid(el, 'a predicate (True, False, SimplePredicate, ...) is required');
  return p;
}

export function parsePredicate(el: XmlElement): Predicate {
  switch (el.name) {
    case 'True':
      return { kind: 'true' };
    case 'False':
      return { kind: 'false' };
    case 'SimplePredicate': {
      const op = enumAttr(el, 'operator', OPERATORS, 'equal');
      if (optAttr(el, 'operator') === undefined) throw invalid(el, 'attribute operator is required');
      const value = optAttr(el, 'value');
      if (value === undefined && op !== 'isMissing' && op !== 'isNotMissing') throw invalid(el, `operator ${op} needs a value`);
      return { kind: 'simple', field: reqAttr(el, 'field'), op, ...opt('value', value) };
    }
    case 'SimpleSetPredicate': {
      const op = enumAttr(el, 'booleanOperator', ['isIn', 'isNotIn'] as const, 'isIn');
      return { kind: 'set', field: reqAttr(el, 'field'), isIn: op === 'isIn', values: arrayTokens(reqKid(el, 'Array')) };
    }
    case 'CompoundPredicate': {
      const op = enumAttr(el, 'booleanOperator', ['and', 'or', 'xor', 'surrogate'] as const, 'and');
      const preds = el.children.filter((c) => PREDICATES.has(c.name)).map(parsePredicate);
      if (preds.length < 2) throw invalid(el, 'needs at least two predicates');
      return { kind: 'compound', op, preds };
    }
    default:
      throw unsupported(el, 'predicate');
  }
}
