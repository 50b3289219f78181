/**
 * `kserve-ts apply -f FILE|DIR|-`: server-side apply of every object (PATCH
 * `application/apply-patch+yaml`, fieldManager `kserve-ts`), printed as kubectl prints it:
 * `inferenceservice.serving.kserve.io/iris created|configured|unchanged`. Whether it changed is
 * read from generation, labels and annotations before and after, so re-applying the same file
 * says `unchanged`.
 */
import type { ResourceKind } from '../api/index.ts';
import { parseArgs } from './args.ts';
import type { ApiClient } from './client.ts';
import { CliError, isNotFound } from './errors.ts';
import { readManifests, type Manifest } from './manifests.ts';
import { kindOfManifest, kindRef, resourcePath } from './resources.ts';
import { CONNECTION_FLAGS, connect, type CliIo } from './session.ts';

export const FIELD_MANAGER = 'kserve-ts';

export interface Applied {
  kind: ResourceKind;
  namespace?: string;
  name: string;
  result: 'created' | 'configured' | 'unchanged';
  object: Record<string, unknown>;
}

interface Meta {
  name?: string;
  namespace?: string;
  resourceVersion?: string;
  generation?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/**
 * Whether an apply changed what the user owns: generation (the spec) or labels and annotations.
 * resourceVersion is no guide: the server rewrites managedFields' timestamp on every apply.
 */
function sameUserFields(a: Meta, b: Meta): boolean {
  const canon = (m: Record<string, string> | undefined): string => JSON.stringify(Object.entries(m ?? {}).sort(([x], [y]) => x.localeCompare(y)));
  return a.resourceVersion === b.resourceVersion || (a.generation === b.generation && canon(a.labels) === canon(b.labels) && canon(a.annotations) === canon(b.annotations));
}

/** Applies each manifest in order; writes one line per object to `out`. */
export async function applyManifests(client: ApiClient, manifests: readonly Manifest[], namespace: string, out: NodeJS.WritableStream, opts: { force?: boolean; explicitNamespace?: boolean } = {}): Promise<Applied[]> {
  const done: Applied[] = [];
  for (const m of manifests) {
    const kind = kindOfManifest(m.object.apiVersion, m.object.kind);
    const meta = (m.object.metadata ?? {}) as Meta;
    if (!meta.name) throw new CliError(`${m.source}: ${kind.kind} has no metadata.name`);
    if (kind.namespaced && opts.explicitNamespace && meta.namespace !== undefined && meta.namespace !== namespace) {
      throw new CliError(`${m.source}: the namespace from the provided object ${JSON.stringify(meta.namespace)} does not match the namespace ${JSON.stringify(namespace)}. You must pass '--namespace=${meta.namespace}' to perform this operation.`);
    }
    const ns = kind.namespaced ? (meta.namespace ?? namespace) : undefined;
    const path = resourcePath(kind, ns, meta.name);
    const before = await client.json<{ metadata: Meta }>('GET', path).catch((err: unknown) => {
      if (isNotFound(err)) return undefined;
      throw err;
    });
    const object = await client.json<Record<string, unknown> & { metadata: Meta }>('PATCH', path, {
      body: JSON.stringify(m.object),
      contentType: 'application/apply-patch+yaml',
      query: { fieldManager: FIELD_MANAGER, force: opts.force ? 'true' : undefined },
    });
    const result = before === undefined ? 'created' : sameUserFields(before.metadata, object.metadata) ? 'unchanged' : 'configured';
    out.write(`${kindRef(kind)}/${meta.name} ${result}\n`);
    done.push({ kind, namespace: ns, name: meta.name, result, object });
  }
  return done;
}

export async function applyCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, { ...CONNECTION_FLAGS, filename: { type: 'list', short: 'f' }, 'force-conflicts': { type: 'bool' } });
  const files = (args.flags.filename as string[] | undefined) ?? [];
  if (files.length === 0) throw new CliError('apply needs -f FILE (a file, a directory, or - for stdin)', 2);
  if (args.positionals.length > 0) throw new CliError(`apply takes no arguments besides flags (got ${JSON.stringify(args.positionals[0])})`, 2);
  const manifests = await readManifests(files, io.stdin);
  const s = await connect(args, io);
  await applyManifests(s.client, manifests, s.namespace, io.stdout, { force: args.flags['force-conflicts'] === true, explicitNamespace: args.flags.namespace !== undefined });
  return 0;
}
