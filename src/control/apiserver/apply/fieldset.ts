/**
 * A set of field paths, as structured-merge-diff's `fieldpath.Set`, stored as the trie that
 * Kubernetes' FieldsV1 encoding spells out: each child is keyed by its path element
 * (`f:<field>`, `k:<json keys>` for an item of a map-list, `v:<json value>` for an item of a
 * set-list, `i:<index>`), and a node is a *member* when the path itself is in the set; FieldsV1
 * writes that as `".": {}` when the node also has children.
 *
 * Example: the paths `.spec.predictor.minReplicas` and `.metadata.labels.app` are
 * `{"f:metadata":{"f:labels":{"f:app":{}}},"f:spec":{"f:predictor":{"f:minReplicas":{}}}}`.
 */

/** One node of the trie: whether its own path is in the set, and its children. */
export interface FieldSet {
  member: boolean;
  children: Map<string, FieldSet>;
}

/** A path: the element strings from the root, e.g. `['f:spec', 'f:predictor']`. */
export type FieldPath = readonly string[];

export function emptySet(): FieldSet {
  return { member: false, children: new Map() };
}

/** Adds `path` to `set` (in place). */
export function insert(set: FieldSet, path: FieldPath): void {
  let node = set;
  for (const el of path) {
    let next = node.children.get(el);
    if (next === undefined) {
      next = emptySet();
      node.children.set(el, next);
    }
    node = next;
  }
  node.member = true;
}

/** The node at `path`, if any path at or below it is in the set. */
export function nodeAt(set: FieldSet, path: FieldPath): FieldSet | undefined {
  let node: FieldSet | undefined = set;
  for (const el of path) {
    node = node.children.get(el);
    if (node === undefined) return undefined;
  }
  return isEmpty(node) ? undefined : node;
}

export function has(set: FieldSet, path: FieldPath): boolean {
  return nodeAt(set, path)?.member === true;
}

export function isEmpty(set: FieldSet): boolean {
  if (set.member) return false;
  for (const child of set.children.values()) if (!isEmpty(child)) return false;
  return true;
}

export function union(a: FieldSet, b: FieldSet): FieldSet {
  const out: FieldSet = { member: a.member || b.member, children: new Map() };
  for (const key of new Set([...a.children.keys(), ...b.children.keys()])) {
    const x = a.children.get(key);
    const y = b.children.get(key);
    out.children.set(key, x === undefined ? clone(y!) : y === undefined ? clone(x) : union(x, y));
  }
  return prune(out);
}

/** Paths in `a` that are not in `b`. */
export function difference(a: FieldSet, b: FieldSet): FieldSet {
  const out: FieldSet = { member: a.member && !b.member, children: new Map() };
  for (const [key, x] of a.children) {
    const y = b.children.get(key);
    out.children.set(key, y === undefined ? clone(x) : difference(x, y));
  }
  return prune(out);
}

/** Paths in both `a` and `b`. */
export function intersection(a: FieldSet, b: FieldSet): FieldSet {
  const out: FieldSet = { member: a.member && b.member, children: new Map() };
  for (const [key, x] of a.children) {
    const y = b.children.get(key);
    if (y !== undefined) out.children.set(key, intersection(x, y));
  }
  return prune(out);
}

/** Every path in the set, depth first in element order. */
export function members(set: FieldSet, prefix: FieldPath = []): FieldPath[] {
  const out: FieldPath[] = set.member ? [prefix] : [];
  for (const key of sortedKeys(set)) out.push(...members(set.children.get(key)!, [...prefix, key]));
  return out;
}

/** The FieldsV1 JSON of a set: `.` first, then the elements in structured-merge-diff's order. */
export function toFieldsV1(set: FieldSet): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (set.member && set.children.size > 0) out['.'] = {};
  for (const key of sortedKeys(set)) out[key] = toFieldsV1(set.children.get(key)!);
  return out;
}

/** Reads FieldsV1 JSON; throws naming the bad element when it is not FieldsV1. */
export function fromFieldsV1(json: unknown, where = 'fieldsV1'): FieldSet {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new Error(`${where}: expected an object of path elements, got ${JSON.stringify(json)}`);
  const entries = Object.entries(json as Record<string, unknown>);
  const set: FieldSet = { member: entries.length === 0, children: new Map() };
  for (const [key, value] of entries) {
    if (key === '.') {
      set.member = true;
      continue;
    }
    if (!/^[fkvi]:/.test(key)) throw new Error(`${where}: path element ${JSON.stringify(key)} is not one of f:, k:, v:, i:`);
    set.children.set(key, fromFieldsV1(value, `${where}.${key}`));
  }
  return set;
}

/**
 * A path as Kubernetes prints it in conflict messages: `.spec.predictor.model.storageUri`,
 * `.spec.containers[name="kserve-container"]`, `.metadata.finalizers[="x"]`, `.items[0]`.
 */
export function pathString(path: FieldPath): string {
  return path
    .map((el) => {
      const body = el.slice(2);
      switch (el[0]) {
        case 'f':
          return `.${body}`;
        case 'k': {
          const keys = JSON.parse(body) as Record<string, unknown>;
          return `[${Object.entries(keys).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',')}]`;
        }
        case 'v':
          return `[=${body}]`;
        default:
          return `[${body}]`;
      }
    })
    .join('');
}

/** Element order of structured-merge-diff: field names, then keys, then values, then indexes; each sorted. */
function sortedKeys(set: FieldSet): string[] {
  const rank = (k: string): number => 'fkvi'.indexOf(k[0]!);
  return [...set.children.keys()].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}

function clone(set: FieldSet): FieldSet {
  return { member: set.member, children: new Map([...set.children].map(([k, v]) => [k, clone(v)])) };
}

function prune(set: FieldSet): FieldSet {
  for (const [key, child] of set.children) if (isEmpty(child)) set.children.delete(key);
  return set;
}
