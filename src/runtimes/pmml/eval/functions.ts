/**
 * PMML built-in functions (PMML 4.4 "Built-in functions"), evaluated natively. A function not in
 * this table is refused at load time, so an Apply never meets an unknown name at run time.
 * `if`, `isMissing` and friends need missing arguments and are handled by the expression
 * evaluator; every function here returns missing when any argument is missing.
 */
import type { Value } from '../doc/types.ts';
import { DATE_FUNCTIONS } from './functions-date.ts';
import { TEXT_FUNCTIONS } from './functions-text.ts';
import { toNumber } from './values.ts';

type Fn = (args: Value[]) => Value | undefined;

function nums(args: Value[]): number[] | undefined {
  const out: number[] = [];
  for (const a of args) {
    const n = toNumber(a);
    if (n === undefined) return undefined;
    out.push(n);
  }
  return out;
}

function numeric(f: (xs: number[]) => number, arity?: number): Fn {
  return (args) => {
    if (arity !== undefined && args.length !== arity) return undefined;
    const xs = nums(args);
    return xs === undefined ? undefined : f(xs);
  };
}

const at = (xs: number[], i: number): number => xs[i] ?? NaN;
const str = (v: Value): string => (typeof v === 'string' ? v : String(v));
const cmp = (f: (c: number) => boolean): Fn => (args) => {
  const [a, b] = args;
  if (a === undefined || b === undefined || a === null || b === null) return undefined;
  const x = toNumber(a);
  const y = toNumber(b);
  if (typeof a !== 'string' && x !== undefined && y !== undefined) return f(x - y);
  const s = str(a);
  const t = str(b);
  return f(s < t ? -1 : s > t ? 1 : 0);
};
const bools = (args: Value[]): boolean[] | undefined => (args.every((a) => typeof a === 'boolean') ? (args) : undefined);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? at(s, m) : (at(s, m - 1) + at(s, m)) / 2;
}

const TABLE: Record<string, Fn> = {
  '+': numeric((x) => at(x, 0) + at(x, 1), 2),
  '-': numeric((x) => at(x, 0) - at(x, 1), 2),
  '*': numeric((x) => at(x, 0) * at(x, 1), 2),
  '/': numeric((x) => at(x, 0) / at(x, 1), 2),
  min: numeric((x) => Math.min(...x)),
  max: numeric((x) => Math.max(...x)),
  sum: numeric((x) => x.reduce((a, b) => a + b, 0)),
  avg: numeric((x) => x.reduce((a, b) => a + b, 0) / x.length),
  product: numeric((x) => x.reduce((a, b) => a * b, 1)),
  median: numeric(median),
  log10: numeric((x) => Math.log10(at(x, 0)), 1),
  ln: numeric((x) => Math.log(at(x, 0)), 1),
  exp: numeric((x) => Math.exp(at(x, 0)), 1),
  sqrt: numeric((x) => Math.sqrt(at(x, 0)), 1),
  abs: numeric((x) => Math.abs(at(x, 0)), 1),
  pow: numeric((x) => Math.pow(at(x, 0), at(x, 1)), 2),
  threshold: numeric((x) => (at(x, 0) > at(x, 1) ? 1 : 0), 2),
  floor: numeric((x) => Math.floor(at(x, 0)), 1),
  ceil: numeric((x) => Math.ceil(at(x, 0)), 1),
  // PMML's round is half away from zero; Math.round is half up.
  round: numeric((x) => Math.sign(at(x, 0)) * Math.round(Math.abs(at(x, 0))), 1),
  modulo: numeric((x) => at(x, 0) - at(x, 1) * Math.floor(at(x, 0) / at(x, 1)), 2),
  expm1: numeric((x) => Math.expm1(at(x, 0)), 1),
  ln1p: numeric((x) => Math.log1p(at(x, 0)), 1),
  hypot: numeric((x) => Math.hypot(at(x, 0), at(x, 1)), 2),
  sin: numeric((x) => Math.sin(at(x, 0)), 1),
  cos: numeric((x) => Math.cos(at(x, 0)), 1),
  tan: numeric((x) => Math.tan(at(x, 0)), 1),
  atan: numeric((x) => Math.atan(at(x, 0)), 1),
  tanh: numeric((x) => Math.tanh(at(x, 0)), 1),
  equal: cmp((c) => c === 0),
  notEqual: cmp((c) => c !== 0),
  lessThan: cmp((c) => c < 0),
  lessOrEqual: cmp((c) => c <= 0),
  greaterThan: cmp((c) => c > 0),
  greaterOrEqual: cmp((c) => c >= 0),
  and: (a) => bools(a)?.every(Boolean),
  or: (a) => bools(a)?.some(Boolean),
  not: (a) => (typeof a[0] === 'boolean' && a.length === 1 ? !a[0] : undefined),
  isIn: (a) => a.slice(1).some((v) => cmp((c) => c === 0)([a[0] ?? null, v]) === true),
  isNotIn: (a) => !a.slice(1).some((v) => cmp((c) => c === 0)([a[0] ?? null, v]) === true),
  uppercase: (a) => str(a[0] ?? '').toUpperCase(),
  lowercase: (a) => str(a[0] ?? '').toLowerCase(),
  trimBlanks: (a) => str(a[0] ?? '').trim(),
  concat: (a) => a.map(str).join(''),
  stringLength: (a) => str(a[0] ?? '').length,
  substring: (a) => {
    const [s, p, l] = a;
    const pos = toNumber(p ?? null);
    const len = toNumber(l ?? null);
    return pos === undefined || len === undefined ? undefined : str(s ?? '').substr(pos - 1, len);
  },
  ...TEXT_FUNCTIONS,
  ...DATE_FUNCTIONS,
};

/** Functions that see missing arguments; the expression evaluator implements them. */
export const MISSING_AWARE = new Set(['if', 'isMissing', 'isNotMissing']);

/** Every built-in name an Apply may use. */
export const BUILTIN_FUNCTIONS: ReadonlySet<string> = new Set([...Object.keys(TABLE), ...MISSING_AWARE]);

/** Applies a built-in to non-missing arguments; `undefined` means an invalid argument. */
export function applyBuiltin(name: string, args: Value[]): Value | undefined {
  const f = TABLE[name];
  return f ? f(args) : undefined;
}
