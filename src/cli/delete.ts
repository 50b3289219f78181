/**
 * `kserve-ts delete KIND NAME... | KIND/NAME | -f FILE [--wait=true] [--timeout=60s]
 * [--ignore-not-found]`: deletes, then (by default, as kubectl) waits until each object is gone,
 * finalizers included, so a following apply starts fresh.
 */
import type { ResourceKind } from '../api/index.ts';
import { parseArgs, parseDurationMs } from './args.ts';
import type { ApiClient } from './client.ts';
import { CliError, isNotFound } from './errors.ts';
import { readManifests } from './manifests.ts';
import { kindOfManifest, kindRef, resourcePath, splitKindName } from './resources.ts';
import { CONNECTION_FLAGS, connect, type CliIo } from './session.ts';

interface Target {
  kind: ResourceKind;
  namespace?: string;
  name: string;
}

/** Polls until the object is gone (a watch would need the object's resourceVersion; deletes are rare). */
export async function waitGone(client: ApiClient, t: Target, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const there = await client.json('GET', resourcePath(t.kind, t.namespace, t.name)).then(
      () => true,
      (err: unknown) => {
        if (isNotFound(err)) return false;
        throw err;
      },
    );
    if (!there) return;
    if (Date.now() >= deadline) throw new CliError(`timed out after ${timeoutMs / 1000}s waiting for ${kindRef(t.kind)}/${t.name} to be deleted`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export async function deleteCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, { ...CONNECTION_FLAGS, filename: { type: 'list', short: 'f' }, wait: { type: 'bool' }, timeout: { type: 'string' }, 'ignore-not-found': { type: 'bool' } });
  const timeoutMs = parseDurationMs('--timeout', (args.flags.timeout as string | undefined) ?? '60s');
  const files = (args.flags.filename as string[] | undefined) ?? [];
  const s = await connect(args, io);
  const targets: Target[] = [];
  if (files.length > 0) {
    if (args.positionals.length > 0) throw new CliError('delete takes either -f FILE or KIND NAME, not both', 2);
    for (const m of await readManifests(files, io.stdin)) {
      const kind = kindOfManifest(m.object.apiVersion, m.object.kind);
      const meta = (m.object.metadata ?? {}) as { name?: string; namespace?: string };
      if (!meta.name) throw new CliError(`${m.source}: ${kind.kind} has no metadata.name`);
      targets.push({ kind, namespace: kind.namespaced ? (meta.namespace ?? s.namespace) : undefined, name: meta.name });
    }
  } else {
    const { kind, names } = splitKindName(args.positionals);
    if (names.length === 0) throw new CliError(`delete needs a name: kserve-ts delete ${kind.singular} NAME`, 2);
    for (const name of names) targets.push({ kind, namespace: kind.namespaced ? s.namespace : undefined, name });
  }
  const deleted: Target[] = [];
  for (const t of targets) {
    try {
      await s.client.json('DELETE', resourcePath(t.kind, t.namespace, t.name), { body: JSON.stringify({ kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background' }), contentType: 'application/json' });
    } catch (err) {
      if (isNotFound(err) && args.flags['ignore-not-found'] === true) continue;
      throw err;
    }
    io.stdout.write(`${kindRef(t.kind)} "${t.name}" deleted\n`);
    deleted.push(t);
  }
  if (args.flags.wait !== false) for (const t of deleted) await waitGone(s.client, t, timeoutMs);
  return 0;
}
