/**
 * The driver: the one interface between the reconciler and where replicas run. The reconciler says
 * "revision R wants N replicas of this server spec"; the driver makes it so and reports each
 * replica's state and endpoint. Embedded mode has a process driver (./process, a replica is a child
 * process on this machine); cluster mode will have a Kubernetes driver (Deployments and Services).
 * Both run the same conformance suite.
 */

/** What one replica of a revision runs. Arguments and env may use the tokens below. */
export interface ReplicaSpec {
  /**
   * The revision's stable id, unique across the control plane, e.g.
   * `default/iris/predictor/iris-predictor-00001`. A changed spec is a new revision.
   */
  revision: string;
  /** Executable (e.g. the kserve-ts launcher); args already templated by the reconciler (`{{.Name}}`). */
  command: string;
  /**
   * Arguments and env. The driver replaces the tokens `$(KSERVE_TS_HTTP_PORT)` and
   * `$(KSERVE_TS_GRPC_PORT)` in them once it has chosen the replica's ports, and sets env `PORT`
   * to the HTTP port (KServe's custom-container convention).
   */
  args: string[];
  env: Record<string, string>;
  /**
   * HTTP path answering 2xx/3xx when the replica is ready (e.g. `/v2/health/ready`); absent: the
   * replica is ready once its HTTP port accepts a TCP connection (Knative's default probe for a
   * user container without a readinessProbe).
   */
  readinessPath?: string;
  /** HTTP path answering 200 while the replica is alive (e.g. `/v2/health/live`). */
  livenessPath?: string;
  /** Resident memory above which the replica is stopped with reason OOMKilled (bytes). */
  memoryLimitBytes?: number;
  /** Working directory (default: the driver's). */
  cwd?: string;
  /** How long a stop waits after SIGTERM before SIGKILL (default 30 s, as Kubernetes). */
  terminationGracePeriodMs?: number;
}

export type ReplicaPhase = 'Starting' | 'Ready' | 'Failed' | 'CrashLoopBackOff' | 'Terminating';

export interface ReplicaExit {
  code: number | null;
  signal: string | null;
  /** `Error`, `OOMKilled`, `Completed` (as Kubernetes' container termination reasons). */
  reason: string;
  /** The last lines the replica wrote (stdout and stderr), for status messages. */
  logTail: string;
  at: string;
}

export interface ReplicaStatus {
  /** Stable within the revision, e.g. `iris-predictor-00001-1`. */
  name: string;
  revision: string;
  phase: ReplicaPhase;
  /** Where the replica serves, once started: `http://127.0.0.1:PORT` (and gRPC host:port). */
  endpoint?: { http: string; grpc?: string };
  restarts: number;
  lastExit?: ReplicaExit;
  /** The replica's log file (read by `kserve-ts logs`). */
  logFile?: string;
}

export interface Driver {
  /** Makes the revision run `replicas` copies of `spec` (0 stops them but keeps the revision known). Idempotent. */
  apply(spec: ReplicaSpec, replicas: number): Promise<void>;
  /** The revision's replicas now. Unknown revision: []. */
  replicas(revision: string): ReplicaStatus[];
  /** Every revision the driver runs (the reconciler deletes those no resource wants: no orphans). */
  revisions(): string[];
  /** Stops every replica of the revision gracefully and forgets it. Idempotent. */
  delete(revision: string): Promise<void>;
  /** Called with the revision whenever one of its replicas changes phase; returns an unsubscribe. */
  onChange(listener: (revision: string) => void): () => void;
  /** Stops everything it started (graceful, then SIGKILL after the grace period); idempotent. */
  close(): Promise<void>;
}
