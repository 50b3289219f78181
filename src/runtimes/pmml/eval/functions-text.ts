/**
 * PMML's regex and formatting built-ins: replace, matches, formatNumber. PMML specifies
 * Perl-compatible regular expressions; JPMML (what KServe's pmmlserver runs) uses Java's. We
 * compile them as JavaScript RegExps, which agree on the common syntax (classes, quantifiers,
 * groups, alternation, anchors, lookahead and lookbehind, \d \w \s \b) and differ on: possessive
 * quantifiers (a++), atomic groups (?>...), \A \Z \z, inline flags (?i), \p{...} without the u
 * flag, and POSIX classes [[:alpha:]] — a pattern using them fails to compile (refused) or, for
 * the last, means something else. A pattern that does not compile is refused at load when it is a
 * Constant, else when the row is evaluated. matches is true when the pattern matches anywhere in
 * the input (Java's Matcher.find, as JPMML). replace replaces every match; its replacement follows
 * Java's replaceAll: $n and ${name} insert groups, a backslash makes the next character literal.
 */
import { invalidRequest } from '../../../core/errors.ts';
import type { Value } from '../doc/types.ts';
import { formatNumber, parseFormat } from './format-number.ts';
import { toNumber } from './values.ts';

const regexes = new Map<string, RegExp | string>();

/** The compiled pattern, or the compiler's message; a bounded cache (most patterns are Constants). */
function compile(pattern: string): RegExp | string {
  let r = regexes.get(pattern);
  if (r === undefined) {
    try {
      r = new RegExp(pattern, 'g');
    } catch (e) {
      r = `regular expression "${pattern}" does not compile in JavaScript: ${(e as Error).message}`;
    }
    if (regexes.size < 256) regexes.set(pattern, r);
  }
  return r;
}

function regex(pattern: string): RegExp {
  const r = compile(pattern);
  if (typeof r === 'string') throw invalidRequest(`function matches/replace: ${r}`);
  r.lastIndex = 0;
  return r;
}

/** Java's replaceAll replacement: "$1", "${name}", "\\$" for a literal dollar; else an error. */
function expand(replacement: string, groups: (string | undefined)[], named: Record<string, string | undefined> | undefined): string {
  let out = '';
  for (let i = 0; i < replacement.length; i++) {
    const c = replacement[i] ?? '';
    if (c === '\\') {
      out += replacement[++i] ?? '';
    } else if (c === '$') {
      const name = /^\{(\w+)\}/.exec(replacement.slice(i + 1));
      const num = /^\d/.exec(replacement.slice(i + 1));
      if (name?.[1] !== undefined && named && name[1] in named) {
        out += named[name[1]] ?? '';
        i += name[0].length;
      } else if (num && Number(num[0]) < groups.length) {
        out += groups[Number(num[0])] ?? '';
        i += 1;
      } else {
        throw invalidRequest(`function replace: replacement "${replacement}" refers to a group the pattern does not have (write \\$ for a literal $)`);
      }
    } else {
      out += c;
    }
  }
  return out;
}

const text = (v: Value | undefined): string | undefined => (typeof v === 'string' ? v : v === undefined || v === null ? undefined : String(v));

export const TEXT_FUNCTIONS: Record<string, (args: Value[]) => Value | undefined> = {
  matches: ([input, pattern]) => {
    const s = text(input);
    const p = text(pattern);
    return s === undefined || p === undefined ? undefined : regex(p).test(s);
  },
  replace: ([input, pattern, replacement]) => {
    const [s, p, r] = [text(input), text(pattern), text(replacement)];
    if (s === undefined || p === undefined || r === undefined) return undefined;
    return s.replace(regex(p), (...m: unknown[]) => {
      const last = m[m.length - 1];
      const named = typeof last === 'object' && last !== null ? (last as Record<string, string | undefined>) : undefined;
      const groups = m.slice(0, named ? -3 : -2) as (string | undefined)[];
      return expand(r, groups, named);
    });
  },
  formatNumber: ([input, pattern]) => {
    const x = toNumber(input ?? null);
    const p = text(pattern);
    if (x === undefined || p === undefined) return undefined;
    const parsed = parseFormat(p);
    if (typeof parsed === 'string') throw invalidRequest(`function formatNumber: ${parsed}`);
    return formatNumber(x, p);
  },
};

/** Load-time check of a built-in's Constant arguments (null where an argument is not a Constant). */
export function checkConstantArgs(fn: string, constants: (string | null)[]): string | undefined {
  const pattern = constants[1];
  if (pattern === null || pattern === undefined) return undefined;
  if (fn === 'formatNumber') {
    const parsed = parseFormat(pattern);
    return typeof parsed === 'string' ? parsed : undefined;
  }
  if (fn === 'matches' || fn === 'replace') {
    const r = compile(pattern);
    return typeof r === 'string' ? r : undefined;
  }
  return undefined;
}
