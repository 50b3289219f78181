/**
 * Strategic merge patch, for the built-in (core) kinds only, as kube-apiserver accepts it there
 * and not for custom resources. kubectl sends it when it knows the Go type: `kubectl apply` and
 * `kubectl edit` of a Namespace. Like a merge patch, except for the directives
 * (`$patch: replace|delete`, `$retainKeys`, `$deleteFromPrimitiveList/<list>`,
 * `$setElementOrder/<list>`) and the lists whose Go fields say `patchStrategy:"merge"`: in
 * ObjectMeta, `finalizers` (a set of strings) and `ownerReferences` (merged by `uid`). Every other
 * list is replaced, as its patch strategy is "replace".
 */
import { badRequest } from './errors.ts';
import { isObject, type Obj } from './meta.ts';

/** Merge lists by dotted path: `true` for a primitive set, a string for the merge key. */
const MERGE_LISTS: Readonly<Record<string, true | string>> = {
  'metadata.finalizers': true,
  'metadata.ownerReferences': 'uid',
};

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function mergeList(live: unknown, patch: unknown[], how: true | string, path: string): unknown[] {
  const out = Array.isArray(live) ? [...live] : [];
  if (how === true) {
    for (const v of patch) if (!out.includes(v)) out.push(v);
    return out;
  }
  for (const item of patch) {
    if (!isObject(item) || item[how] === undefined) throw badRequest(`strategic merge patch: ${path}: every item needs its merge key "${how}"`);
    const at = out.findIndex((x) => isObject(x) && x[how] === item[how]);
    if (item.$patch === 'delete') {
      if (at >= 0) out.splice(at, 1);
    } else if (at >= 0) out[at] = patchObject(out[at], item, path);
    else out.push(patchObject(undefined, item, path));
  }
  return out;
}

function patchObject(live: unknown, patch: Obj, path: string): unknown {
  const directive = patch.$patch;
  if (directive === 'delete') return undefined;
  if (directive !== undefined && directive !== 'replace' && directive !== 'merge') throw badRequest(`strategic merge patch: ${path || 'the patch'}: unknown $patch directive ${JSON.stringify(directive)}`);
  const out: Obj = directive === 'replace' || !isObject(live) ? {} : { ...live };
  for (const [key, value] of Object.entries(patch)) {
    if (key === '$patch' || key === '$retainKeys' || key.startsWith('$setElementOrder/')) continue;
    if (key.startsWith('$deleteFromPrimitiveList/')) {
      const list = key.slice('$deleteFromPrimitiveList/'.length);
      if (Array.isArray(out[list]) && Array.isArray(value)) out[list] = (out[list] as unknown[]).filter((x) => !value.includes(x));
      continue;
    }
    const p = join(path, key);
    const how = MERGE_LISTS[p];
    if (value === null) delete out[key];
    else if (Array.isArray(value) && how !== undefined) out[key] = mergeList(out[key], value, how, p);
    else if (isObject(value)) {
      const merged = patchObject(out[key], value, p);
      if (merged === undefined) delete out[key];
      else out[key] = merged;
    } else out[key] = structuredClone(value);
  }
  if (Array.isArray(patch.$retainKeys)) {
    const keep = new Set(patch.$retainKeys as unknown[]);
    for (const key of Object.keys(out)) if (!keep.has(key)) delete out[key];
  }
  return out;
}

/** Applies a strategic merge patch to a core-kind object; 400 when the patch is not an object. */
export function strategicMergePatch(live: unknown, patch: unknown): unknown {
  if (!isObject(patch)) throw badRequest('strategic merge patch: the body must be a JSON object');
  return patchObject(live, patch, '') ?? {};
}
