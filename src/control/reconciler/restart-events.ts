/**
 * Replica restarts as Events on their InferenceService. The driver restarts a crashed replica by
 * itself (with backoff) and reports it as `restarts` +1 and `lastExit`; without an Event the crash
 * would be invisible once the replica is Ready again (a KServe user on Kubernetes sees the pod's
 * restart count and kubelet's BackOff events). One Warning `ReplicaExited` per exit, aggregated
 * by the event correlator when the same replica keeps exiting the same way (its `count` grows).
 */
import type { ReplicaStatus } from '../drivers/driver.ts';
import type { Store } from '../store/store.ts';
import type { EventRecorder } from './events.ts';
import { parseRevisionId } from './observe.ts';

const ISVC = { group: 'serving.kserve.io', resource: 'inferenceservices' } as const;

/** The message of a replica's exit: who, how (code or signal, reason), and the last log line. */
export function exitMessage(r: ReplicaStatus): string {
  const e = r.lastExit;
  const revision = r.revision.split('/').at(-1) ?? r.revision;
  const how = e === undefined ? 'exited' : e.signal ? `was killed by signal ${e.signal}` : `exited with code ${String(e.code)}`;
  const lastLine = e?.logTail.trim().split('\n').at(-1)?.trim();
  return `Replica ${r.name} of revision "${revision}" ${how} (reason ${e?.reason ?? 'Error'}); restarting it after a backoff${lastLine ? `. Last log line: ${lastLine}` : ''}`;
}

/** Remembers each replica's restart count and records an Event when it grows. */
export class RestartEvents {
  readonly #seen = new Map<string, number>();

  constructor(
    private readonly store: Store,
    private readonly events: EventRecorder,
  ) {}

  /**
   * Compares a revision's replicas with what was seen before and records one Event per new exit.
   * Replicas the driver no longer has are forgotten, so memory follows the live replicas.
   */
  async observe(revision: string, replicas: readonly ReplicaStatus[]): Promise<void> {
    const exited = newExits(this.#seen, revision, replicas);
    if (exited.length === 0) return;
    const p = parseRevisionId(revision);
    if (!p) return;
    const obj = await this.store.get({ ...ISVC, namespace: p.namespace, name: p.name });
    if (!obj) return;
    for (const r of exited) await this.events.record(obj, 'Warning', 'ReplicaExited', exitMessage(r));
  }
}

/**
 * The replicas whose restart count grew since the last call (updating `seen`, keyed
 * `revision#replica`). A replica seen for the first time with restarts > 0 counts too: it exited
 * before anyone looked. Entries of replicas the revision no longer has are removed.
 */
export function newExits(seen: Map<string, number>, revision: string, replicas: readonly ReplicaStatus[]): ReplicaStatus[] {
  const out: ReplicaStatus[] = [];
  const live = new Set<string>();
  for (const r of replicas) {
    const key = `${revision}#${r.name}`;
    live.add(key);
    if (r.restarts > (seen.get(key) ?? 0) && r.lastExit !== undefined) out.push(r);
    seen.set(key, r.restarts);
  }
  for (const key of seen.keys()) if (key.startsWith(`${revision}#`) && !live.has(key)) seen.delete(key);
  return out;
}
