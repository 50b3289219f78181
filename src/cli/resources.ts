/**
 * Resource names on the command line, resolved as kubectl does (plural, singular, short name or
 * kind, case-insensitive, optionally `.group`: `isvc`, `inferenceservices`,
 * `servingruntime.serving.kserve.io`) against the kinds of src/api, and the REST paths and
 * printed names that go with them.
 */
import { ALL_KINDS, kindByKind, kindByName, storageVersion, type ResourceKind } from '../api/index.ts';
import { CliError } from './errors.ts';

/** The kind a command-line name means; exit 1 with kubectl's message when none. */
export function resolveKind(name: string): ResourceKind {
  const kind = kindByName(ALL_KINDS, name);
  if (!kind) {
    const known = ALL_KINDS.map((k) => (k.shortNames.length > 0 ? `${k.plural} (${k.shortNames.join(', ')})` : k.plural)).join(', ');
    throw new CliError(`the server doesn't have a resource type ${JSON.stringify(name)}; known: ${known}`);
  }
  return kind;
}

/** The kind of a manifest from its apiVersion and kind. */
export function kindOfManifest(apiVersion: unknown, kind: unknown): ResourceKind {
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') throw new CliError(`a manifest needs apiVersion and kind (got apiVersion ${JSON.stringify(apiVersion)}, kind ${JSON.stringify(kind)})`);
  const slash = apiVersion.lastIndexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  const version = apiVersion.slice(slash + 1);
  const k = kindByKind(ALL_KINDS, group, kind);
  if (!k || !k.versions.some((v) => v.name === version && v.served)) throw new CliError(`resource mapping not found for kind ${JSON.stringify(kind)} in version ${JSON.stringify(apiVersion)}: ensure the kind is one kserve-ts serves`);
  return k;
}

/** The collection path (`namespace` ignored for cluster-scoped kinds; undefined: all namespaces), or an object's path. */
export function resourcePath(kind: ResourceKind, namespace: string | undefined, name?: string, subresource?: string): string {
  const base = kind.group === '' ? `/api/${storageVersion(kind)}` : `/apis/${kind.group}/${storageVersion(kind)}`;
  const ns = kind.namespaced && namespace !== undefined ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  const obj = name === undefined ? '' : `/${encodeURIComponent(name)}`;
  return `${base}${ns}/${kind.plural}${obj}${subresource ? `/${subresource}` : ''}`;
}

/** How kubectl names a kind in output: `inferenceservice.serving.kserve.io` (core: `namespace`). */
export function kindRef(kind: ResourceKind): string {
  return kind.group === '' ? kind.singular : `${kind.singular}.${kind.group}`;
}

/** `kubectl get` argument forms: `KIND NAME...`, `KIND/NAME`, or `KIND`. */
export function splitKindName(args: readonly string[]): { kind: ResourceKind; names: string[] } {
  const [first, ...rest] = args;
  if (first === undefined) throw new CliError('you must specify the type of resource, e.g. isvc, inferenceservice, servingruntime', 2);
  const slash = first.indexOf('/');
  if (slash >= 0) {
    if (rest.length > 0) throw new CliError(`there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (got ${JSON.stringify(first)} and ${JSON.stringify(rest[0])})`, 2);
    return { kind: resolveKind(first.slice(0, slash)), names: [first.slice(slash + 1)] };
  }
  return { kind: resolveKind(first), names: rest };
}
