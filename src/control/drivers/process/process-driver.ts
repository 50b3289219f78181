/**
 * The process driver (embedded mode): each replica of a revision is a child process on this
 * machine. See ./README.md for the lifecycle, the files it keeps and why leftovers are replaced
 * rather than adopted.
 */
import { mkdir } from 'node:fs/promises';
import { once } from '../../../core/lifecycle.ts';
import type { Driver, ReplicaSpec, ReplicaStatus } from '../driver.ts';
import { resolveOptions, type ProcessDriverOptions, type ResolvedOptions } from './options.ts';
import { PortPicker } from './ports.ts';
import { reapOrphans } from './records.ts';
import { Replica } from './replica.ts';
import { canonicalSpec, validateSpec } from './spec.ts';

export type { ProcessDriverOptions } from './options.ts';

export interface ProcessDriverInit extends ProcessDriverOptions {
  /**
   * Environment every replica starts from, before the spec's env and PORT (default: empty). The
   * composition root passes `process.env` when replicas should see PATH, HOME and credentials.
   */
  baseEnv?: Readonly<Record<string, string | undefined>>;
}

interface Revision {
  spec: ReplicaSpec;
  canonical: string;
  /** By index (1-based); the replica named `<last revision segment>-<index>`. */
  replicas: Map<number, Replica>;
}

export class ProcessDriver implements Driver {
  private readonly opts: ResolvedOptions;
  private readonly baseEnv: Readonly<Record<string, string>>;
  private readonly revs = new Map<string, Revision>();
  private readonly listeners = new Set<(revision: string) => void>();
  /** Shared by all replicas, so two starting at once never get the same port. */
  private readonly ports = new PortPicker();
  /**
   * apply/delete of one revision run one at a time (each reads and changes that revision's entry
   * across awaits); different revisions proceed in parallel, so one replica draining for its
   * whole grace period never holds up another InferenceService.
   */
  private readonly queues = new Map<string, Promise<unknown>>();
  private closed = false;
  /** Reaps leftovers once, before the first replica starts (open() does it eagerly). */
  readonly init = once(async () => {
    await mkdir(this.opts.dataDir, { recursive: true });
    await reapOrphans(this.opts.dataDir, this.opts.log);
  });

  /** Prefer `ProcessDriver.open`, which also kills replicas left by a previous driver before returning. */
  constructor(init: ProcessDriverInit) {
    this.opts = resolveOptions(init);
    this.baseEnv = Object.freeze(Object.fromEntries(Object.entries(init.baseEnv ?? {}).filter((e): e is [string, string] => typeof e[1] === 'string')));
  }

  /** Makes a driver and kills every process a previous driver over the same data dir left running. */
  static async open(init: ProcessDriverInit): Promise<ProcessDriver> {
    const d = new ProcessDriver(init);
    await d.init();
    return d;
  }

  /**
   * Validates, then (one call at a time) starts missing replicas and stops excess ones. Resolves
   * once new children are spawned (not ready: watch `onChange`) and removed ones have exited.
   */
  apply(spec: ReplicaSpec, replicas: number): Promise<void> {
    try {
      validateSpec(spec, replicas);
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
    return this.serial(spec.revision, async () => {
      if (this.closed) throw new Error(`ProcessDriver is closed: cannot apply revision ${spec.revision}`);
      await this.init();
      const canonical = canonicalSpec(spec);
      let rev = this.revs.get(spec.revision);
      if (rev && rev.canonical !== canonical) {
        throw new Error(`revision ${spec.revision} already runs a different spec; a changed spec must be a new revision`);
      }
      if (!rev) {
        rev = { spec: structuredClone(spec), canonical, replicas: new Map() };
        this.revs.set(spec.revision, rev);
      }
      // Scale down from the highest index, as a StatefulSet does, so names stay 1..n.
      const excess = [...rev.replicas].sort(([a], [b]) => b - a).slice(0, Math.max(0, rev.replicas.size - replicas));
      const stops = excess.map(([i, r]) => this.stopReplica(rev, i, r));
      const starts: Promise<void>[] = [];
      for (let i = 1; rev.replicas.size < replicas; i++) {
        if (rev.replicas.has(i)) continue;
        const r = new Replica(rev.spec, i, this.opts, this.baseEnv, () => this.emit(spec.revision), this.ports);
        rev.replicas.set(i, r);
        starts.push(r.start());
      }
      await Promise.all([...stops, ...starts]);
    });
  }

  replicas(revision: string): ReplicaStatus[] {
    const rev = this.revs.get(revision);
    if (!rev) return [];
    return [...rev.replicas].sort(([a], [b]) => a - b).map(([, r]) => r.status());
  }

  revisions(): string[] {
    return [...this.revs.keys()].sort();
  }

  /** The pid of a running replica, for tests and `kserve-ts` diagnostics. */
  pidOf(revision: string, replica: string): number | undefined {
    for (const r of this.revs.get(revision)?.replicas.values() ?? []) if (r.name === replica) return r.pid();
    return undefined;
  }

  delete(revision: string): Promise<void> {
    return this.serial(revision, async () => {
      const rev = this.revs.get(revision);
      if (!rev) return;
      await Promise.all([...rev.replicas].map(([i, r]) => this.stopReplica(rev, i, r)));
      this.revs.delete(revision);
    });
  }

  onChange(listener: (revision: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Stops every replica (graceful, then SIGKILL after each grace period). Idempotent. */
  readonly close = once(async () => {
    this.closed = true;
    // Every apply/delete already queued finishes first (new ones are refused: closed).
    await Promise.all([...this.queues.values()].map((q) => q.catch(() => undefined)));
    await Promise.all([...this.revs].flatMap(([, rev]) => [...rev.replicas].map(([i, r]) => this.stopReplica(rev, i, r))));
    this.revs.clear();
  });

  /** Stops the replica, then removes it: while it drains it still shows as Terminating. */
  private async stopReplica(rev: Revision, index: number, r: Replica): Promise<void> {
    await r.stop();
    if (rev.replicas.get(index) === r) rev.replicas.delete(index);
    this.emit(rev.spec.revision);
  }

  private serial<T>(revision: string, fn: () => Promise<T>): Promise<T> {
    const p = (this.queues.get(revision) ?? Promise.resolve()).then(fn);
    const tail = p.catch(() => undefined);
    this.queues.set(revision, tail);
    void tail.then(() => {
      if (this.queues.get(revision) === tail) this.queues.delete(revision);
    });
    return p;
  }

  private emit(revision: string): void {
    for (const l of this.listeners) {
      try {
        l(revision);
      } catch (err) {
        this.opts.log.error('driver onChange listener threw', { revision, err });
      }
    }
  }
}
