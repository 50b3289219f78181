/** Evaluates PMML expressions over a FieldScope. */
import { invalidInput } from '../../../core/errors.ts';
import type { DataType, DefinedFunction, Expression, Interval, Value } from '../doc/types.ts';
import { applyBuiltin } from './functions.ts';
import { type FieldReader, convert, sameValue, toNumber } from './values.ts';

/** A FieldReader, plus how deep in DefineFunction calls the evaluation is. */
type Scope = FieldReader & { readonly callDepth?: number };

export function inInterval(x: number, iv: Interval): boolean {
  const leftOk = iv.closure.startsWith('closed') ? x >= iv.left : x > iv.left;
  const rightOk = iv.closure.endsWith('Closed') ? x <= iv.right : x < iv.right;
  return leftOk && rightOk;
}

function typed(v: string | undefined, dataType: DataType | undefined): Value {
  if (v === undefined) return null;
  if (!dataType) return v;
  return convert(v, dataType) ?? null;
}

/**
 * NormContinuous: piecewise linear through the LinearNorm points. Worked example: points
 * (0→0), (10→1) map 2.5 to 0.25; outside the points, asIs extrapolates the end segment,
 * asExtremeValues clamps to the end norms, asMissingValues gives missing.
 */
function normContinuous(x: number, points: readonly [number, number][], outliers: string): Value {
  const first = points[0] as [number, number];
  const last = points[points.length - 1] as [number, number];
  if (x < first[0] || x > last[0]) {
    if (outliers === 'asMissingValues') return null;
    if (outliers === 'asExtremeValues') return x < first[0] ? first[1] : last[1];
  }
  return interpolate(x, points, 0);
}

/**
 * Piecewise-linear map through `points` from coordinate `from` (0: orig, 1: norm) to the other,
 * extrapolating the end segments. `from` = 1 is the inverse NormContinuous (NeuralNetwork outputs).
 */
export function interpolate(x: number, points: readonly [number, number][], from: 0 | 1): number {
  const to = from === 0 ? 1 : 0;
  let i = 1;
  while (i < points.length - 1 && x > (points[i] as [number, number])[from]) i++;
  const a = points[i - 1] as [number, number];
  const b = points[i] as [number, number];
  return a[to] + ((x - a[from]) / (b[from] - a[from])) * (b[to] - a[to]);
}

/**
 * Calls a DefineFunction: arguments bind to ParameterFields by position (converted to their
 * types); the body sees only them, and may call other DefineFunctions. Recursion is bounded so a
 * self-calling function fails instead of overflowing the stack.
 */
function callDefined(f: DefinedFunction, args: Value[], outer: Scope): Value {
  if (args.length !== f.params.length) throw invalidInput(`function ${f.name}`, `${args.length} arguments`, `${f.params.length}`);
  const callDepth = (outer.callDepth ?? 0) + 1;
  if (callDepth > 64) throw invalidInput(`function ${f.name}`, 'calls nested over 64 deep', 'a non-recursive DefineFunction');
  const bound = new Map(f.params.map((p, i) => [p.name, p.dataType ? (convert(args[i] ?? null, p.dataType) ?? null) : (args[i] ?? null)]));
  const inner: Scope = { get: (name) => bound.get(name) ?? null, functionNamed: (name) => outer.functionNamed?.(name), callDepth };
  const out = evalExpression(f.expr, inner);
  return f.dataType ? (convert(out, f.dataType) ?? null) : out;
}

export function evalExpression(e: Expression, scope: Scope): Value {
  switch (e.kind) {
    case 'constant':
      return e.value === null ? null : e.dataType ? (convert(e.value, e.dataType) ?? null) : (toNumber(e.value) ?? e.value);
    case 'fieldRef': {
      const v = scope.get(e.field);
      return v === null ? (e.mapMissingTo ?? null) : v;
    }
    case 'normContinuous': {
      const x = toNumber(scope.get(e.field));
      if (x === undefined) return e.mapMissingTo === undefined ? null : Number(e.mapMissingTo);
      return normContinuous(x, e.points, e.outliers);
    }
    case 'normDiscrete': {
      const v = scope.get(e.field);
      if (v === null) return e.mapMissingTo === undefined ? null : Number(e.mapMissingTo);
      return sameValue(v, e.value) ? 1 : 0;
    }
    case 'discretize': {
      const v = scope.get(e.field);
      if (v === null) return typed(e.mapMissingTo, e.dataType);
      const x = toNumber(v);
      const bin = x === undefined ? undefined : e.bins.find((b) => inInterval(x, b.interval));
      return bin ? typed(bin.binValue, e.dataType) : typed(e.defaultValue, e.dataType);
    }
    case 'mapValues': {
      const keys = e.columns.map((c) => scope.get(c.field));
      if (keys.some((k) => k === null)) return typed(e.mapMissingTo, e.dataType);
      const row = e.rows.find((r) => e.columns.every((c, i) => r[c.column] !== undefined && sameValue(keys[i] ?? null, r[c.column] as string)));
      return typed(row ? row[e.outputColumn] : e.defaultValue, e.dataType);
    }
    case 'apply':
      return evalApply(e, scope);
  }
}

function evalApply(e: Extract<Expression, { kind: 'apply' }>, scope: Scope): Value {
  if (e.fn === 'if') {
    const cond = e.args[0] ? evalExpression(e.args[0], scope) : null;
    if (cond === null) return e.mapMissingTo ?? null;
    const branch = cond === true ? e.args[1] : e.args[2];
    return branch ? evalExpression(branch, scope) : null;
  }
  const args = e.args.map((a) => evalExpression(a, scope));
  if (e.fn === 'isMissing') return args[0] === null;
  if (e.fn === 'isNotMissing') return args[0] !== null;
  const udf = scope.functionNamed?.(e.fn);
  if (udf) return callDefined(udf, args, scope);
  if (args.some((a) => a === null)) return e.mapMissingTo ?? null;
  const out = applyBuiltin(e.fn, args);
  if (out === undefined || (typeof out === 'number' && Number.isNaN(out))) {
    if (e.defaultValue !== undefined) return e.defaultValue;
    if (e.invalidValueTreatment === 'asMissing') return null;
    throw invalidInput(`function ${e.fn}`, args, 'arguments it accepts');
  }
  return out;
}
