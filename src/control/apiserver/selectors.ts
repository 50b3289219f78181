/**
 * Label and field selectors, with Kubernetes' syntax and semantics:
 *
 *   labelSelector: `app=x`, `app==x`, `app!=x`, `tier in (a,b)`, `tier notin (a)`, `app`, `!app`
 *   fieldSelector: `metadata.name=x`, `metadata.namespace!=y` (and `==`), over the fields a
 *                  resource allows (every kind: metadata.name and metadata.namespace; core Events
 *                  add involvedObject.*, reason, type, source, as kube-apiserver's Event strategy).
 *
 * Requirements are ANDed. `!=` and `notin` match objects without the key, as in Kubernetes.
 */
import { badRequest } from './errors.ts';

type Op = '=' | '!=' | 'in' | 'notin' | 'exists' | '!';

interface Requirement {
  key: string;
  op: Op;
  values: string[];
}

/** A parsed selector: `matches(getter)` where getter reads a label or field by key. */
export interface Selector {
  readonly empty: boolean;
  matches(get: (key: string) => string | undefined): boolean;
}

const EVERYTHING: Selector = { empty: true, matches: () => true };

function build(reqs: Requirement[]): Selector {
  if (reqs.length === 0) return EVERYTHING;
  return {
    empty: false,
    matches: (get) =>
      reqs.every((r) => {
        const v = get(r.key);
        switch (r.op) {
          case '=':
            return v === r.values[0];
          case '!=':
            return v !== r.values[0];
          case 'in':
            return v !== undefined && r.values.includes(v);
          case 'notin':
            return v === undefined || !r.values.includes(v);
          case 'exists':
            return v !== undefined;
          case '!':
            return v === undefined;
        }
      }),
  };
}

/** Splits on commas that are not inside parentheses. */
function splitTerms(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map((t) => t.trim()).filter((t) => t !== '');
}

const LABEL_KEY = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;

function checkLabel(selector: string, key: string, values: string[]): void {
  if (!LABEL_KEY.test(key) || key.length > 317) throw badRequest(`unable to parse requirement: invalid label key "${key}" in labelSelector "${selector}": must be a qualified name`);
  for (const v of values) {
    if (!LABEL_VALUE.test(v) || v.length > 63) throw badRequest(`unable to parse requirement: invalid label value "${v}" in labelSelector "${selector}": must be 63 characters or less, alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric`);
  }
}

/** Parses `labelSelector`; 400 naming the selector when it does not parse. */
export function parseLabelSelector(selector: string | null): Selector {
  if (!selector) return EVERYTHING;
  const reqs: Requirement[] = [];
  for (const term of splitTerms(selector)) {
    const set = /^(\S+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(term);
    let req: Requirement;
    if (set) req = { key: set[1]!, op: set[2] as Op, values: set[3]!.split(',').map((v) => v.trim()) };
    else {
      const eq = /^([^!=\s]+)\s*(==|!=|=)\s*(\S*)$/.exec(term);
      if (eq) req = { key: eq[1]!, op: eq[2] === '!=' ? '!=' : '=', values: [eq[3]!] };
      else if (/^![^\s!=()]+$/.test(term)) req = { key: term.slice(1), op: '!', values: [] };
      else if (/^[^\s!=()]+$/.test(term)) req = { key: term, op: 'exists', values: [] };
      else throw badRequest(`unable to parse requirement: "${term}" in labelSelector "${selector}": expected key, !key, key=value, key!=value, key in (a,b) or key notin (a,b)`);
    }
    checkLabel(selector, req.key, req.values);
    reqs.push(req);
  }
  return build(reqs);
}

/** Field selectors each resource supports beyond metadata.name / metadata.namespace, keyed by `group/plural`. */
const EXTRA_FIELDS: Readonly<Record<string, readonly string[]>> = {
  '/events': [
    'involvedObject.kind',
    'involvedObject.namespace',
    'involvedObject.name',
    'involvedObject.uid',
    'involvedObject.apiVersion',
    'involvedObject.resourceVersion',
    'involvedObject.fieldPath',
    'reason',
    'reportingComponent',
    'source',
    'type',
  ],
  '/namespaces': ['status.phase'],
};

/** The field selector keys a resource supports. */
export function selectableFields(group: string, plural: string): readonly string[] {
  return ['metadata.name', 'metadata.namespace', ...(EXTRA_FIELDS[`${group}/${plural}`] ?? [])];
}

/** Parses `fieldSelector` for one resource; 400 for an unsupported field, as kube-apiserver. */
export function parseFieldSelector(selector: string | null, group: string, plural: string): Selector {
  if (!selector) return EVERYTHING;
  const allowed = selectableFields(group, plural);
  const reqs: Requirement[] = [];
  for (const term of splitTerms(selector)) {
    const m = /^([^!=\s]+)\s*(==|!=|=)\s*(.*)$/.exec(term);
    if (!m) throw badRequest(`invalid selector: '${selector}'; can't understand '${term}'`);
    if (!allowed.includes(m[1]!)) throw badRequest(`field label not supported: ${m[1]}`);
    reqs.push({ key: m[1]!, op: m[2] === '!=' ? '!=' : '=', values: [m[3]!] });
  }
  return build(reqs);
}

/** Reads a dotted field (`involvedObject.name`, `source` = source.component) as a string. */
export function fieldValue(obj: Record<string, unknown>, key: string): string {
  const path = key === 'source' ? 'source.component' : key;
  let cur: unknown = obj;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return '';
    cur = (cur as Record<string, unknown>)[part];
  }
  if (cur === undefined || cur === null) return ''; // a missing field reads as empty, as Kubernetes' field sets
  return typeof cur === 'string' ? cur : JSON.stringify(cur);
}

/** Whether an object passes both selectors. */
export function objectMatches(obj: Record<string, unknown>, labels: Selector, fields: Selector): boolean {
  if (!labels.empty) {
    const l = ((obj.metadata as Record<string, unknown> | undefined)?.labels ?? {}) as Record<string, string>;
    if (!labels.matches((k) => (Object.hasOwn(l, k) ? l[k] : undefined))) return false;
  }
  return fields.empty || fields.matches((k) => fieldValue(obj, k));
}
