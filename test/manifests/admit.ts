/**
 * The admission path of the API server, as far as src/api defines it, for the manifest tests:
 * kind lookup, unknown fields (strict), defaulting, schema validation, ObjectMeta rules, the
 * kind's validating webhook. ctx.list sees only the runtimes given (a store not seeded with the
 * built-ins: the kinds must account for those themselves).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import {
  ALL_KINDS,
  findUnknownFields,
  kindByKind,
  NAME_RULES,
  validateAgainstSchema,
  validateObjectMeta,
  type AdmissionContext,
  type FieldError,
  type ResourceKind,
} from '../../src/api/index.ts';

export type Obj = Record<string, any>;

/** One parsed manifest document with its file and the `# expect:` line of the file, if any. */
export interface Manifest {
  file: string;
  obj: Obj;
  expect?: { field: string; fragment: string };
}

/** Every document of every YAML file in `dir`. */
export function loadManifests(dir: string): Manifest[] {
  const out: Manifest[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()) {
    const text = readFileSync(join(dir, file), 'utf8');
    const line = /^# expect: (\S+): (.+)$/m.exec(text);
    for (const doc of parseAllDocuments(text)) {
      if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0]!.message}`);
      const m: Manifest = { file, obj: doc.toJS() as Obj };
      if (line) m.expect = { field: line[1]!, fragment: line[2]! };
      out.push(m);
    }
  }
  return out;
}

/** The kind of a manifest from its apiVersion and kind. */
export function kindOf(obj: Obj): ResourceKind {
  const api = String(obj.apiVersion);
  const group = api.includes('/') ? api.slice(0, api.indexOf('/')) : '';
  const kind = kindByKind(ALL_KINDS, group, String(obj.kind));
  if (!kind) throw new Error(`no kind ${String(obj.kind)} in ${api}`);
  return kind;
}

/** An AdmissionContext over `runtimes` (ServingRuntimes by namespace, ClusterServingRuntimes). */
export function context(runtimes: Obj[] = []): AdmissionContext {
  return {
    async list(group, resource, namespace) {
      if (group !== 'serving.kserve.io') return [];
      if (resource === 'clusterservingruntimes') return runtimes.filter((r) => r.kind === 'ClusterServingRuntime');
      if (resource === 'servingruntimes') return runtimes.filter((r) => r.kind === 'ServingRuntime' && r.metadata?.namespace === namespace);
      return [];
    },
  };
}

/** Admits `obj` in place (namespace filled, defaults applied); returns every error. */
export async function admit(obj: Obj, ctx: AdmissionContext = context()): Promise<FieldError[]> {
  const kind = kindOf(obj);
  const schema = kind.versions.find((v) => v.storage)!.schema;
  if (kind.namespaced) obj.metadata = { namespace: 'default', ...obj.metadata };
  const unknown = findUnknownFields(obj, schema).map((field): FieldError => ({ type: 'FieldValueNotFound', field, message: 'unknown field' }));
  if (unknown.length > 0) return unknown;
  await kind.default?.(obj, ctx);
  const errors = validateAgainstSchema(obj, schema);
  errors.push(...validateObjectMeta(obj.metadata, { namespaced: kind.namespaced, nameRule: NAME_RULES[kind.kind] ?? 'dns1123Subdomain' }).filter((e) => !errors.some((x) => x.field === e.field)));
  if (errors.length > 0) return errors;
  return (await kind.validate?.(obj, undefined, ctx)) ?? [];
}
