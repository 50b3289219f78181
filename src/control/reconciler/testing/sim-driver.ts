/**
 * A Driver for reconciler tests: it runs nothing, it records what it is asked and lets the test set
 * each replica's phase, firing onChange as a real driver does. The driver sits outside the
 * reconciler under test; the process driver has its own tests.
 */
import type { Driver, ReplicaExit, ReplicaPhase, ReplicaSpec, ReplicaStatus } from '../../drivers/driver.ts';

export class SimDriver implements Driver {
  readonly specs = new Map<string, ReplicaSpec>();
  readonly #replicas = new Map<string, ReplicaStatus[]>();
  readonly #listeners = new Set<(revision: string) => void>();
  /** Every call, in order, e.g. `apply default/iris/predictor/iris-predictor-00001 1`. */
  readonly calls: string[] = [];
  #port = 40000;

  apply(spec: ReplicaSpec, replicas: number): Promise<void> {
    this.calls.push(`apply ${spec.revision} ${replicas}`);
    this.specs.set(spec.revision, spec);
    const list = this.#replicas.get(spec.revision) ?? [];
    while (list.length < replicas) list.push({ name: `${spec.revision.split('/')[3] ?? ''}-${list.length + 1}`, revision: spec.revision, phase: 'Starting', restarts: 0 });
    list.length = replicas;
    this.#replicas.set(spec.revision, list);
    return Promise.resolve();
  }

  replicas(revision: string): ReplicaStatus[] {
    return (this.#replicas.get(revision) ?? []).map((r) => ({ ...r }));
  }

  revisions(): string[] {
    return [...this.#replicas.keys()].sort();
  }

  delete(revision: string): Promise<void> {
    this.calls.push(`delete ${revision}`);
    this.#replicas.delete(revision);
    this.specs.delete(revision);
    return Promise.resolve();
  }

  onChange(listener: (revision: string) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  close(): Promise<void> {
    this.#replicas.clear();
    return Promise.resolve();
  }

  /** Sets every replica of the revision to `phase` (Ready gets an endpoint) and notifies. */
  setPhase(revision: string, phase: ReplicaPhase, exit?: ReplicaExit): void {
    const list = this.#replicas.get(revision);
    if (!list) throw new Error(`sim driver: no revision ${revision}`);
    for (const r of list) {
      r.phase = phase;
      if (phase === 'Ready') r.endpoint = { http: `http://127.0.0.1:${this.#port++}` };
      if (exit) r.lastExit = exit;
    }
    for (const l of this.#listeners) l(revision);
  }

  /** A revision the driver runs without any resource wanting it (as after a crash). */
  adopt(revision: string): void {
    this.#replicas.set(revision, [{ name: `${revision}-1`, revision, phase: 'Ready', restarts: 0 }]);
  }
}
