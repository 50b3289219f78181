/**
 * `kserve-ts wait --for=condition=Ready isvc/NAME [--timeout=60s]`: watches the object until the
 * condition is True (`--for=delete`: until it is gone). It fails at once when an InferenceService's model ended in FailedToLoad (or
 * its spec is invalid), and on timeout names the last state: the condition's reason and message
 * and modelStatus.lastFailureInfo. Progress lines show model state, replicas and conditions.
 */
import type { ResourceKind } from '../api/index.ts';
import { parseArgs, parseDurationMs } from './args.ts';
import { lines, type ApiClient } from './client.ts';
import { CliError, isNotFound, usageError } from './errors.ts';
import { createProgress, isvcProgressLine, type Progress } from './progress.ts';
import { kindRef, resourcePath, splitKindName } from './resources.ts';
import { waitGone } from './delete.ts';
import { CONNECTION_FLAGS, connect, type CliIo } from './session.ts';

type Obj = Record<string, unknown> & {
  metadata: { name: string; resourceVersion?: string };
  status?: {
    conditions?: { type: string; status: string; reason?: string; message?: string }[];
    modelStatus?: { transitionStatus?: string; states?: { activeModelState?: string; targetModelState?: string }; lastFailureInfo?: { reason?: string; message?: string } };
  };
};

export interface WaitTarget {
  kind: ResourceKind;
  namespace?: string;
  name: string;
  /** Condition type, e.g. `Ready`. */
  condition: string;
  timeoutMs: number;
}

function conditionTrue(obj: Obj, type: string): boolean {
  return (obj.status?.conditions ?? []).some((c) => c.type.toLowerCase() === type.toLowerCase() && c.status === 'True');
}

/** Why the object is not there yet: the condition's reason/message and the model's last failure. */
export function whyNot(obj: Obj | undefined, type: string): string {
  if (!obj) return 'the object was never read';
  const c = (obj.status?.conditions ?? []).find((x) => x.type.toLowerCase() === type.toLowerCase());
  const parts = [c ? `${c.type}=${c.status}${c.reason ? `, reason: ${c.reason}` : ''}${c.message ? `, message: ${c.message}` : ''}` : `no ${type} condition yet`];
  const f = obj.status?.modelStatus?.lastFailureInfo;
  if (f && (f.reason || f.message)) parts.push(`lastFailureInfo: ${[f.reason, f.message].filter(Boolean).join(': ')}`);
  return parts.join('; ');
}

/** A model that will not become Ready without a change: FailedToLoad or an invalid spec. */
function failedModel(obj: Obj): string | undefined {
  const ms = obj.status?.modelStatus;
  if (!ms) return undefined;
  if (ms.states?.activeModelState === 'FailedToLoad' || ms.states?.targetModelState === 'FailedToLoad' || ms.transitionStatus === 'BlockedByFailedLoad' || ms.transitionStatus === 'InvalidSpec') {
    const f = ms.lastFailureInfo;
    return `the model failed to load (${ms.transitionStatus ?? 'FailedToLoad'})${f ? `: ${[f.reason, f.message].filter(Boolean).join(': ')}` : ''}`;
  }
  return undefined;
}

/**
 * Waits until `condition` is True; resolves with the object. Rejects with a CliError on timeout,
 * deletion, or (InferenceServices, condition Ready) a model that failed to load.
 */
export async function waitForCondition(client: ApiClient, t: WaitTarget, progress?: Progress): Promise<Obj> {
  const path = resourcePath(t.kind, t.namespace, t.name);
  const collection = resourcePath(t.kind, t.namespace);
  const label = `${kindRef(t.kind)}/${t.name}`;
  const isIsvc = t.kind.kind === 'InferenceService';
  const deadline = Date.now() + t.timeoutMs;
  let last: Obj | undefined;
  const check = (obj: Obj): boolean => {
    last = obj;
    if (isIsvc) progress?.update(isvcProgressLine(obj, t.condition));
    if (conditionTrue(obj, t.condition)) return true;
    const failed = isIsvc && t.condition.toLowerCase() === 'ready' ? failedModel(obj) : undefined;
    if (failed) throw new CliError(`${label} will not become ${t.condition}: ${failed}`);
    return false;
  };
  try {
    for (;;) {
      const obj = await client.json<Obj>('GET', path).catch((err: unknown) => {
        if (isNotFound(err) && last) throw new CliError(`${label} was deleted while waiting for condition ${t.condition}`);
        throw err;
      });
      if (check(obj)) return obj;
      const remainingMs = deadline - Date.now();
      if (remainingMs <= 0) break;
      const abort = new AbortController();
      const timer = setTimeout(() => abort.abort(), remainingMs);
      try {
        const res = await client.send('GET', collection, {
          query: { watch: '1', fieldSelector: `metadata.name=${t.name}`, resourceVersion: obj.metadata.resourceVersion, timeoutSeconds: String(Math.ceil(remainingMs / 1000)) },
          signal: abort.signal,
        });
        for await (const line of lines(res)) {
          if (line.trim() === '') continue;
          const ev = JSON.parse(line) as { type: string; object: Obj };
          if (ev.type === 'DELETED') throw new CliError(`${label} was deleted while waiting for condition ${t.condition}`);
          if (ev.type === 'ERROR') break; // e.g. 410 Expired: read the object again
          if ((ev.type === 'ADDED' || ev.type === 'MODIFIED') && check(ev.object)) return ev.object;
        }
      } catch (err) {
        if ((err as Error).name !== 'AbortError') throw err;
      } finally {
        clearTimeout(timer);
      }
      if (Date.now() >= deadline) break;
    }
  } finally {
    progress?.done();
  }
  throw new CliError(`timed out after ${t.timeoutMs / 1000}s waiting for condition ${t.condition} on ${label}: ${whyNot(last, t.condition)}`);
}

export async function waitCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, { ...CONNECTION_FLAGS, for: { type: 'string' }, timeout: { type: 'string' } });
  const forFlag = args.flags.for as string | undefined;
  const m = /^condition=([A-Za-z][\w.-]*)(=True)?$/.exec(forFlag ?? '');
  if (!m && forFlag !== 'delete') throw usageError('--for', forFlag ?? '', 'condition=TYPE or delete, e.g. --for=condition=Ready');
  const timeoutMs = parseDurationMs('--timeout', (args.flags.timeout as string | undefined) ?? '30s');
  const { kind, names } = splitKindName(args.positionals);
  if (names.length === 0) throw new CliError('wait needs an object: e.g. kserve-ts wait --for=condition=Ready isvc/iris', 2);
  const s = await connect(args, io);
  for (const name of names) {
    if (!m) {
      await waitGone(s.client, { kind, namespace: kind.namespaced ? s.namespace : undefined, name }, timeoutMs);
      io.stdout.write(`${kindRef(kind)}/${name} condition met\n`);
      continue;
    }
    await waitForCondition(s.client, { kind, namespace: s.namespace, name, condition: m[1]!, timeoutMs }, createProgress(io.stderr));
    io.stdout.write(`${kindRef(kind)}/${name} condition met\n`);
  }
  return 0;
}
