/**
 * KServe's file filters (`STORAGE_ALLOW_PATTERNS`, `STORAGE_IGNORE_PATTERNS`): a JSON array or a
 * comma-separated list of globs matched against each file's path relative to the model root, with
 * Python `fnmatch` semantics as huggingface_hub uses them: `*` also crosses `/`, `?` is one
 * character, `[seq]` / `[!seq]` are classes. `*.json` therefore matches `sub/config.json`.
 */

/** A parsed filter: undefined lists mean "no filter". */
export interface FileFilter {
  readonly allow?: readonly string[];
  readonly ignore?: readonly string[];
}

/** Parses one env value as KServe does: JSON array first, else comma-separated; blank → undefined. */
export function parsePatterns(value: string | undefined): string[] | undefined {
  const v = (value ?? '').trim();
  if (v === '') return undefined;
  let items: string[];
  try {
    const parsed: unknown = JSON.parse(v);
    items = Array.isArray(parsed) ? parsed.map((p) => String(p)) : [String(parsed)];
  } catch {
    items = v.split(',');
  }
  const out = items.map((p) => p.trim()).filter((p) => p !== '');
  return out.length > 0 ? out : undefined;
}

/** The filter named by the env (KServe's names). */
export function filterFromEnv(env: Readonly<Record<string, string | undefined>>): FileFilter {
  return { allow: parsePatterns(env.STORAGE_ALLOW_PATTERNS), ignore: parsePatterns(env.STORAGE_IGNORE_PATTERNS) };
}

const cache = new Map<string, RegExp>();

/** Python's fnmatch.translate, enough for file globs. */
function toRegExp(pattern: string): RegExp {
  const hit = cache.get(pattern);
  if (hit) return hit;
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) re += '\\[';
      else {
        let body = pattern.slice(i + 1, end).replace(/\\/g, '\\\\');
        if (body.startsWith('!')) body = `^${body.slice(1)}`;
        re += `[${body}]`;
        i = end;
      }
    } else re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  const compiled = new RegExp(`^${re}$`, 's');
  if (cache.size < 256) cache.set(pattern, compiled);
  return compiled;
}

export function fnmatch(path: string, pattern: string): boolean {
  return toRegExp(pattern).test(path);
}

/** KServe's `_should_download`: in at least one allow pattern (when any), in no ignore pattern. */
export function shouldDownload(relativePath: string, filter: FileFilter): boolean {
  if (filter.allow && filter.allow.length > 0 && !filter.allow.some((p) => fnmatch(relativePath, p))) return false;
  if (filter.ignore && filter.ignore.some((p) => fnmatch(relativePath, p))) return false;
  return true;
}
