/**
 * A small flag parser with kubectl's spellings: `--name value`, `--name=value`, `-n value`,
 * boolean `--wait`, `--wait=false`, `-A`, repeatable flags (`-f a.yaml -f b.yaml`). Every flag a
 * verb accepts is declared; anything else is a usage error (exit 2) naming it.
 */
import { CliError, usageError } from './errors.ts';

export interface FlagDef {
  type: 'string' | 'bool' | 'list';
  /** One-letter alias, e.g. `n` for `--namespace`. */
  short?: string;
}

export type FlagSpec = Record<string, FlagDef>;

export interface ParsedArgs {
  flags: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

/** Parses `argv` against `spec`; `--` ends flags. */
export function parseArgs(argv: readonly string[], spec: FlagSpec): ParsedArgs {
  const flags: ParsedArgs['flags'] = {};
  const positionals: string[] = [];
  const byShort = new Map(Object.entries(spec).flatMap(([name, d]) => (d.short ? [[d.short, name] as const] : [])));
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!a.startsWith('-') || a === '-') {
      positionals.push(a);
      continue;
    }
    let name: string | undefined;
    let inline: string | undefined;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      name = eq < 0 ? a.slice(2) : a.slice(2, eq);
      inline = eq < 0 ? undefined : a.slice(eq + 1);
    } else {
      const eq = a.indexOf('=');
      const short = a.slice(1, eq < 0 ? 2 : eq);
      name = byShort.get(short);
      inline = eq >= 0 ? a.slice(eq + 1) : a.length > 2 ? a.slice(2) : undefined;
    }
    const def = name === undefined ? undefined : spec[name];
    if (name === undefined || def === undefined) {
      const known = Object.entries(spec).map(([n, d]) => (d.short ? `-${d.short}/--${n}` : `--${n}`));
      throw new CliError(`unknown flag ${JSON.stringify(a.split('=')[0])}; this command accepts ${known.join(', ') || 'no flags'}`, 2);
    }
    if (def.type === 'bool') {
      if (inline === undefined) flags[name] = true;
      else if (inline === 'true' || inline === 'false') flags[name] = inline === 'true';
      else throw usageError(`--${name}`, inline, 'true or false');
      continue;
    }
    let value = inline;
    if (value === undefined) {
      if (i + 1 >= argv.length) throw new CliError(`flag --${name} needs a value`, 2);
      value = argv[++i]!;
    }
    if (def.type === 'list') flags[name] = [...((flags[name] as string[] | undefined) ?? []), value];
    else flags[name] = value;
  }
  return { flags, positionals };
}

/** A duration flag as kubectl writes them (`60s`, `2m`, `1m30s`, `500ms`, bare seconds) in ms. */
export function parseDurationMs(flag: string, raw: string): number {
  if (/^\d+(\.\d+)?$/.test(raw)) return Number(raw) * 1000;
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/gy;
  let total = 0;
  let m: RegExpExecArray | null;
  let end = 0;
  while ((m = re.exec(raw)) !== null) {
    total += Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
    end = re.lastIndex;
  }
  if (raw === '' || end !== raw.length) throw usageError(flag, raw, 'a duration such as 30s, 2m or 1m30s');
  return total;
}

/** A non-negative integer flag. */
export function parseCount(flag: string, raw: string): number {
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(n) || n < 0) throw usageError(flag, raw, 'a non-negative integer');
  return n;
}
