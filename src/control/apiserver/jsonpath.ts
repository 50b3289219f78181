/**
 * The JSONPath subset that CRD printer columns use (Kubernetes allows only "simple" paths there):
 * `.a.b`, `.a[0]`, `.a[*].b`, `.a['dotted.key']`, and filters such as
 * `.status.conditions[?(@.type=='Ready')].status` (==, !=, <, <=, >, >= against a quoted string,
 * a number, true or false; `[?(@.x)]` tests presence).
 *
 * Example: on `{status:{conditions:[{type:'Ready',status:'True'},{type:'X',status:'False'}]}}`,
 * `.status.conditions[?(@.type=='Ready')].status` evaluates to `['True']`.
 */

type Literal = string | number | boolean;
type Step = { t: 'key'; key: string } | { t: 'index'; index: number } | { t: 'all' } | { t: 'filter'; path: Step[]; op?: string; value?: Literal };

/** A parsed path; `evaluate` returns every match (empty when nothing matches). */
export interface JsonPath {
  readonly source: string;
  evaluate(root: unknown): unknown[];
}

/** Parses a printer-column JSONPath; throws Error naming the path and position when it cannot. */
export function compileJsonPath(source: string): JsonPath {
  const text = source.trim().replace(/^\{(.*)\}$/s, '$1');
  const steps = parseSteps(text, source);
  return { source, evaluate: (root) => run(steps, [root]) };
}

function parseSteps(text: string, source: string): Step[] {
  const steps: Step[] = [];
  let i = text.startsWith('$') ? 1 : text.startsWith('@') ? 1 : 0;
  const fail = (why: string): never => {
    throw new Error(`JSONPath ${JSON.stringify(source)}: ${why} at offset ${i}`);
  };
  while (i < text.length) {
    const c = text[i];
    if (c === '.') {
      i++;
      let key = '';
      while (i < text.length && text[i] !== '.' && text[i] !== '[') {
        if (text[i] === '\\' && i + 1 < text.length) i++;
        key += text[i++];
      }
      if (key === '*') steps.push({ t: 'all' });
      else if (key !== '') steps.push({ t: 'key', key });
    } else if (c === '[') {
      const close = matchBracket(text, i);
      if (close < 0) fail('unclosed [');
      const inner = text.slice(i + 1, close).trim();
      i = close + 1;
      if (inner === '*') steps.push({ t: 'all' });
      else if (/^-?\d+$/.test(inner)) steps.push({ t: 'index', index: Number(inner) });
      else if (/^'[^']*'$|^"[^"]*"$/.test(inner)) steps.push({ t: 'key', key: inner.slice(1, -1) });
      else if (inner.startsWith('?(') && inner.endsWith(')')) steps.push(parseFilter(inner.slice(2, -1).trim(), source));
      else fail(`unsupported subscript [${inner}]`);
    } else fail(`unexpected ${JSON.stringify(c)}`);
  }
  return steps;
}

function matchBracket(text: string, open: number): number {
  let quote: string | undefined;
  let depth = 0;
  for (let j = open; j < text.length; j++) {
    const ch = text[j]!;
    if (quote) {
      if (ch === quote) quote = undefined;
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '[') depth++;
    else if (ch === ']' && --depth === 0) return j;
  }
  return -1;
}

function parseFilter(expr: string, source: string): Step {
  const m = /^(@[^=!<>\s]*)\s*(==|!=|<=|>=|<|>)\s*(.+)$/.exec(expr);
  if (!m) {
    if (!expr.startsWith('@')) throw new Error(`JSONPath ${JSON.stringify(source)}: unsupported filter ${expr}`);
    return { t: 'filter', path: parseSteps(expr, source) };
  }
  const raw = m[3]!.trim();
  let value: Literal;
  if (/^'.*'$|^".*"$/.test(raw)) value = raw.slice(1, -1);
  else if (raw === 'true' || raw === 'false') value = raw === 'true';
  else if (raw !== '' && !Number.isNaN(Number(raw))) value = Number(raw);
  else throw new Error(`JSONPath ${JSON.stringify(source)}: filter value ${raw} must be a quoted string, a number, true or false`);
  return { t: 'filter', path: parseSteps(m[1]!, source), op: m[2], value };
}

function compare(a: unknown, op: string, b: Literal): boolean {
  if (typeof a !== typeof b) return op === '!=';
  if (typeof b === 'boolean') return op === '==' ? a === b : op === '!=' ? a !== b : false;
  const x = a as string | number;
  switch (op) {
    case '==':
      return x === b;
    case '!=':
      return x !== b;
    case '<':
      return x < b;
    case '<=':
      return x <= b;
    case '>':
      return x > b;
    default:
      return x >= b;
  }
}

function children(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (v !== null && typeof v === 'object') return Object.values(v);
  return [];
}

function run(steps: Step[], start: unknown[]): unknown[] {
  let cur = start;
  for (const step of steps) {
    const next: unknown[] = [];
    for (const v of cur) {
      if (step.t === 'key') {
        if (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.hasOwn(v, step.key)) next.push((v as Record<string, unknown>)[step.key]);
      } else if (step.t === 'index') {
        if (Array.isArray(v)) {
          const idx = step.index < 0 ? v.length + step.index : step.index;
          if (idx >= 0 && idx < v.length) next.push(v[idx]);
        }
      } else if (step.t === 'all') next.push(...children(v));
      else {
        for (const el of children(v)) {
          const found = run(step.path, [el]);
          if (step.op === undefined ? found.length > 0 : found.some((f) => compare(f, step.op!, step.value!))) next.push(el);
        }
      }
    }
    cur = next;
  }
  return cur;
}
