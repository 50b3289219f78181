/**
 * The apply and update-tracking functions bound to a set of kinds, in the shape the API server
 * calls them (../context.ts `ServerSideApplyFn`): the kind, its schema and whether it has a
 * status subresource are looked up from the object's own `apiVersion` and `kind`, which the
 * server has already checked against the URL.
 */
import type { KindVersion, ResourceKind } from '../../../api/registry.ts';
import { serverSideApply, trackUpdate, type ApplyConflict } from './apply.ts';

interface Bound {
  version: KindVersion;
  apiVersion: string;
}

function bind(kinds: readonly ResourceKind[], obj: object): Bound {
  const { apiVersion, kind } = obj as { apiVersion?: unknown; kind?: unknown };
  for (const k of kinds) {
    if (k.kind !== kind) continue;
    for (const v of k.versions) {
      const av = k.group === '' ? v.name : `${k.group}/${v.name}`;
      if (av === apiVersion && v.served) return { version: v, apiVersion: av };
    }
  }
  throw new Error(`apiVersion/kind: ${JSON.stringify(apiVersion)}/${JSON.stringify(kind)} is not a served kind (expected one of ${kinds.map((k) => k.kind).join(', ')})`);
}

/** `serverSideApply` for the API server's `serverSideApply` option. `now` is RFC 3339. */
export function applyFunctionFor(kinds: readonly ResourceKind[]) {
  return (
    live: object | undefined,
    applied: object,
    opts: { manager: string; force: boolean; now: string; subresource?: 'status' },
  ): { object: object; changed: boolean } | { conflicts: ApplyConflict[]; message: string } => {
    const { version, apiVersion } = bind(kinds, applied);
    return serverSideApply(live as Record<string, unknown> | undefined, applied as Record<string, unknown>, {
      manager: opts.manager,
      force: opts.force,
      now: new Date(opts.now),
      apiVersion,
      schema: version.schema,
      statusSubresource: version.statusSubresource,
      subresource: opts.subresource,
    });
  };
}

/** `trackUpdate` for every other write (create, update, patch, status), bound the same way. */
export function updateTrackerFor(kinds: readonly ResourceKind[]) {
  return (live: object | undefined, updated: object, opts: { manager: string; now: string; subresource?: 'status' }): object => {
    const { version, apiVersion } = bind(kinds, updated);
    return trackUpdate(live as Record<string, unknown> | undefined, updated as Record<string, unknown>, {
      manager: opts.manager,
      now: new Date(opts.now),
      apiVersion,
      schema: version.schema,
      statusSubresource: version.statusSubresource,
      subresource: opts.subresource,
    });
  };
}
