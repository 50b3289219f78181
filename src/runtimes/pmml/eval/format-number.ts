/**
 * PMML's formatNumber(input, pattern): a C printf-style pattern applied to one number. The common
 * subset: conversions d, i (the value truncated toward zero, as C's (int) cast), f, e, E, s, and
 * %% for a literal percent sign; flags - (left-justify), 0 (zero-pad), + (always a sign), space
 * (a space for non-negative numbers); a width and a .precision. Anything else (x, o, g, a, c, *,
 * length modifiers, more than one conversion) is refused with a message saying what is supported:
 * at load when the pattern is a Constant (parse-document.ts), else when the row is evaluated.
 * Worked examples: "%5.2f" of 3.14159 → " 3.14"; "%03d" of 7.9 → "007"; "%+.1e" of 12345 →
 * "+1.2e+04"; "%-4d|" of 42 → "42  |"; "%.3s" of 3.14159 → "3.1".
 */
import { numberText } from './values.ts';

interface Spec {
  flags: string;
  width: number;
  precision?: number;
  conversion: string;
}
type Piece = string | Spec;

const SPEC = /%([-0+ ]*)(\d+)?(?:\.(\d+))?([a-zA-Z%*]?)/g;
const SUPPORTED = 'a printf pattern with at most one conversion among %d %i %f %e %E %s (flags - 0 + space, width, .precision) and %% for "%"';
const cache = new Map<string, Piece[]>();

/** The pattern parsed, or an error message naming what is not supported. */
export function parseFormat(pattern: string): Piece[] | string {
  const hit = cache.get(pattern);
  if (hit) return hit;
  const pieces: Piece[] = [];
  let last = 0;
  let conversions = 0;
  for (const m of pattern.matchAll(SPEC)) {
    const [all, flags = '', width, precision, conversion = ''] = m;
    const at = m.index;
    pieces.push(pattern.slice(last, at));
    last = at + all.length;
    if (conversion === '%' && all === '%%') {
      pieces.push('%');
      continue;
    }
    if (conversion === '' || !'diefEs'.includes(conversion)) return `"${all}" in "${pattern}" is not supported; expected ${SUPPORTED}`;
    if (++conversions > 1) return `"${pattern}" has more than one conversion; formatNumber formats one number, expected ${SUPPORTED}`;
    const p = precision === undefined ? undefined : Number(precision);
    if (p !== undefined && p > 100) return `precision ${p} in "${pattern}" is over 100`;
    pieces.push({ flags, width: width === undefined ? 0 : Number(width), ...(p === undefined ? {} : { precision: p }), conversion });
  }
  pieces.push(pattern.slice(last));
  if (cache.size < 256) cache.set(pattern, pieces);
  return pieces;
}

function digits(abs: number, s: Spec): string {
  if (!Number.isFinite(abs)) return 'Infinity';
  switch (s.conversion) {
    case 'd':
    case 'i': {
      const t = BigInt(Math.trunc(abs)).toString();
      return s.precision !== undefined && t.length < s.precision ? t.padStart(s.precision, '0') : t;
    }
    case 'f':
      return abs.toFixed(s.precision ?? 6);
    default: {
      // C prints at least two exponent digits: 1.5e+2 → 1.5e+02.
      const e = abs.toExponential(s.precision ?? 6).replace(/e([+-])(\d)$/, 'e$10$2');
      return s.conversion === 'E' ? e.toUpperCase() : e;
    }
  }
}

function formatOne(value: number, s: Spec): string {
  // %d of -0.5 is "0", as C's (int) cast gives 0.
  const x = 'di'.includes(s.conversion) && Number.isFinite(value) ? Math.trunc(value) + 0 : value;
  if (s.conversion === 's') {
    const text = numberText(x);
    const cut = s.precision === undefined ? text : text.slice(0, s.precision);
    return s.flags.includes('-') ? cut.padEnd(s.width) : cut.padStart(s.width);
  }
  const negative = x < 0 || Object.is(x, -0);
  const sign = negative ? '-' : s.flags.includes('+') ? '+' : s.flags.includes(' ') ? ' ' : '';
  const body = digits(Math.abs(x), s);
  if (s.flags.includes('-')) return (sign + body).padEnd(s.width);
  // C ignores 0 for an integer conversion with a precision, and for infinities.
  const zeroPad = s.flags.includes('0') && Number.isFinite(x) && !('di'.includes(s.conversion) && s.precision !== undefined);
  return zeroPad ? sign + body.padStart(s.width - sign.length, '0') : (sign + body).padStart(s.width);
}

/** formatNumber of a number; throws the parse message when the pattern is not supported. */
export function formatNumber(x: number, pattern: string): string {
  const pieces = parseFormat(pattern);
  if (typeof pieces === 'string') throw new Error(pieces);
  return pieces.map((p) => (typeof p === 'string' ? p : formatOne(x, p))).join('');
}
