/**
 * The two patch formats Kubernetes accepts for custom resources besides server-side apply:
 * JSON merge patch (RFC 7386: objects merge recursively, `null` deletes, anything else replaces)
 * and JSON patch (RFC 6902: add, remove, replace, move, copy, test over JSON pointers). Both are
 * pure and never mutate their inputs.
 */
import { badRequest, unprocessable } from './errors.ts';
import { deepEqual, isObject } from './meta.ts';

type Json = unknown;

/** RFC 7386 merge patch. */
export function mergePatch(target: Json, patch: Json): Json {
  if (!isObject(patch)) return structuredClone(patch);
  const out: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

interface Op {
  op: string;
  path: string;
  from?: string;
  value?: unknown;
}

/** Splits a JSON pointer ("/spec/a~1b/0") into unescaped tokens. */
function pointer(p: unknown, field: string): string[] {
  if (typeof p !== 'string' || (p !== '' && !p.startsWith('/'))) throw badRequest(`json patch: ${field}: got ${JSON.stringify(p)}, expected a JSON pointer such as "/spec/predictor"`);
  return p === '' ? [] : p.slice(1).split('/').map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function decodeOps(patch: Json): Op[] {
  if (!Array.isArray(patch)) throw badRequest('json patch: the body must be a JSON array of operations');
  return patch.map((raw, i) => {
    if (!isObject(raw)) throw badRequest(`json patch: operation ${i} must be an object`);
    const op = raw.op;
    if (!['add', 'remove', 'replace', 'move', 'copy', 'test'].includes(op as string)) throw badRequest(`json patch: operation ${i}: unknown op ${JSON.stringify(op)}, expected add, remove, replace, move, copy or test`);
    if ((op === 'add' || op === 'replace' || op === 'test') && !('value' in raw)) throw badRequest(`json patch: operation ${i} (${op as string}) is missing "value"`);
    return raw as unknown as Op;
  });
}

function parentOf(doc: Json, tokens: string[], path: string): { parent: Record<string, unknown> | unknown[]; last: string } {
  let cur: Json = doc;
  for (const t of tokens.slice(0, -1)) {
    if (Array.isArray(cur)) cur = cur[Number(t)];
    else if (isObject(cur)) cur = cur[t];
    else cur = undefined;
    if (cur === undefined) throw unprocessable(`json patch: path ${path}: ${t} does not exist`);
  }
  if (!Array.isArray(cur) && !isObject(cur)) throw unprocessable(`json patch: path ${path}: parent is not an object or array`);
  return { parent: cur, last: tokens[tokens.length - 1]! };
}

function arrayIndex(arr: unknown[], t: string, path: string, forAdd: boolean): number {
  if (forAdd && t === '-') return arr.length;
  const i = /^(0|[1-9]\d*)$/.test(t) ? Number(t) : NaN;
  if (Number.isNaN(i) || i > arr.length || (!forAdd && i === arr.length)) throw unprocessable(`json patch: path ${path}: index ${t} is out of bounds (array length ${arr.length})`);
  return i;
}

function get(doc: Json, tokens: string[], path: string): Json {
  if (tokens.length === 0) return doc;
  const { parent, last } = parentOf(doc, tokens, path);
  if (Array.isArray(parent)) return parent[arrayIndex(parent, last, path, false)];
  if (!Object.hasOwn(parent, last)) throw unprocessable(`json patch: path ${path} does not exist`);
  return parent[last];
}

function add(doc: Json, tokens: string[], path: string, value: Json): Json {
  if (tokens.length === 0) return value;
  const { parent, last } = parentOf(doc, tokens, path);
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, last, path, true), 0, value);
  else parent[last] = value;
  return doc;
}

function remove(doc: Json, tokens: string[], path: string): Json {
  if (tokens.length === 0) return undefined;
  const { parent, last } = parentOf(doc, tokens, path);
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, last, path, false), 1);
  else {
    if (!Object.hasOwn(parent, last)) throw unprocessable(`json patch: remove ${path}: the path does not exist`);
    delete parent[last];
  }
  return doc;
}

/** RFC 6902 JSON patch: 400 for a malformed patch, 422 when an operation cannot apply (a failed `test`). */
export function jsonPatch(target: Json, patch: Json): Json {
  let doc = structuredClone(target);
  for (const op of decodeOps(patch)) {
    const tokens = pointer(op.path, 'path');
    switch (op.op) {
      case 'add':
        doc = add(doc, tokens, op.path, structuredClone(op.value));
        break;
      case 'remove':
        doc = remove(doc, tokens, op.path);
        break;
      case 'replace':
        get(doc, tokens, op.path);
        doc = add(remove(doc, tokens, op.path), tokens, op.path, structuredClone(op.value));
        break;
      case 'move': {
        const from = pointer(op.from, 'from');
        const v = get(doc, from, op.from!);
        doc = add(remove(doc, from, op.from!), tokens, op.path, v);
        break;
      }
      case 'copy': {
        const from = pointer(op.from, 'from');
        doc = add(doc, tokens, op.path, structuredClone(get(doc, from, op.from!)));
        break;
      }
      case 'test': {
        const actual = tokens.length === 0 ? doc : get(doc, tokens, op.path);
        if (!deepEqual(actual, op.value)) throw unprocessable(`testing value ${op.path} failed: test failed`);
        break;
      }
    }
  }
  return doc;
}
