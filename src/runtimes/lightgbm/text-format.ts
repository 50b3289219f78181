/**
 * Lexing helpers for LightGBM's text model format: `key=value` lines, and number lists as
 * LightGBM writes them (`%.17g` doubles, so parseFloat recovers each double exactly; C's
 * `inf`/`nan` spellings are accepted too). Every failure names the 1-based line.
 */

/** A malformed model file; `line` is 1-based (0 when the problem is not one line). */
export class LightgbmFormatError extends Error {
  readonly line: number;
  constructor(line: number, message: string) {
    super(line > 0 ? `line ${line}: ${message}` : message);
    this.name = 'LightgbmFormatError';
    this.line = line;
  }
}

/** One `key=value` line (value is everything after the first '='; undefined when no '='). */
export interface Entry {
  key: string;
  value: string | undefined;
  line: number;
}

/** Splits a line into key and value. */
export function entryOf(text: string, line: number): Entry {
  const eq = text.indexOf('=');
  if (eq < 0) return { key: text.trim(), value: undefined, line };
  return { key: text.slice(0, eq).trim(), value: text.slice(eq + 1).trim(), line };
}

const C_SPELLINGS: Readonly<Record<string, number>> = {
  inf: Infinity, '+inf': Infinity, '-inf': -Infinity, infinity: Infinity, '-infinity': -Infinity, nan: NaN, '-nan': NaN,
};

/** A double as C's strtod reads it; throws on anything else (Number('') would be 0). */
export function parseDouble(token: string, e: Entry): number {
  const c = C_SPELLINGS[token.toLowerCase()];
  if (c !== undefined) return c;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(token)) {
    throw new LightgbmFormatError(e.line, `${e.key}: ${JSON.stringify(token)} is not a number`);
  }
  return Number(token);
}

/** A 32-bit integer token. */
export function parseInt32(token: string, e: Entry): number {
  if (!/^[+-]?\d+$/.test(token)) throw new LightgbmFormatError(e.line, `${e.key}: ${JSON.stringify(token)} is not an integer`);
  const n = Number(token);
  if (n < -(2 ** 31) || n >= 2 ** 32) throw new LightgbmFormatError(e.line, `${e.key}: ${token} is out of range`);
  return n;
}

/** Whitespace-separated tokens of a value ('' gives none). */
export function tokens(e: Entry): string[] {
  const v = e.value ?? '';
  return v === '' ? [] : v.split(/\s+/);
}

function checkCount(e: Entry, got: number, want: number | undefined): void {
  if (want !== undefined && got !== want) {
    throw new LightgbmFormatError(e.line, `${e.key}: ${got} values, expected ${want}`);
  }
}

/** Parses every token of a value into a new typed array, checking the count when given. */
function numbers<A extends Float64Array | Int32Array>(e: Entry, want: number | undefined, make: (n: number) => A, parse: (t: string, e: Entry) => number): A {
  const t = tokens(e);
  checkCount(e, t.length, want);
  const out = make(t.length);
  for (let i = 0; i < t.length; i++) out[i] = parse(t[i]!, e);
  return out;
}

export function doubles(e: Entry, want?: number): Float64Array {
  return numbers(e, want, (n) => new Float64Array(n), parseDouble);
}

export function int32s(e: Entry, want?: number): Int32Array {
  return numbers(e, want, (n) => new Int32Array(n), parseInt32);
}

/** A single integer value within [min, max]. */
export function intIn(e: Entry, min: number, max: number): number {
  const t = tokens(e);
  if (t.length !== 1) throw new LightgbmFormatError(e.line, `${e.key}: expected one integer, got ${JSON.stringify(e.value ?? '')}`);
  const n = parseInt32(t[0]!, e);
  if (n < min || n > max) throw new LightgbmFormatError(e.line, `${e.key}: ${n} is outside [${min}, ${max}]`);
  return n;
}
