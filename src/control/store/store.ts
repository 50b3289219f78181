/**
 * The control plane's durable object store: versioned objects, optimistic concurrency and watch,
 * with Kubernetes semantics (what etcd gives kube-apiserver), and nothing about resource kinds.
 *
 * - `resourceVersion` is one global, monotonic counter over every write (create, update, delete).
 *   Objects carry it as the decimal string `metadata.resourceVersion`, as Kubernetes does.
 * - An update or delete with `expectedVersion` fails with Conflict unless the stored object still
 *   has that version (optimistic concurrency).
 * - `watch(fromVersion)` replays every event after `fromVersion` from a bounded history, then
 *   streams new ones; a version older than the history fails with Gone (HTTP 410, as Kubernetes).
 * - A write is acknowledged (its promise resolves) only once it is durable.
 *
 * Generation, defaulting, status-subresource rules and field validation belong to the API server
 * (../apiserver), not the store. Implementations: SqliteStore (durable, default) and MemoryStore
 * (unit tests); store-conformance.ts is the suite every implementation must pass.
 */

/** A stored object: a Kubernetes object with at least `metadata.name`. */
export interface StoredObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  ownerReferences?: unknown[];
  managedFields?: unknown[];
  [field: string]: unknown;
}

/** A resource type: API group ('' for core) and plural resource name, e.g. serving.kserve.io/inferenceservices. */
export interface ResourceType {
  group: string;
  resource: string;
}

/** One object's identity. `namespace` is undefined for cluster-scoped resources. */
export interface ObjectKey extends ResourceType {
  namespace?: string;
  name: string;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface WatchEvent {
  type: WatchEventType;
  /** The object after the write (for DELETED: as it was, with the delete's resourceVersion). */
  object: StoredObject;
  /** The write's resourceVersion. */
  resourceVersion: number;
}

export interface ListResult {
  items: StoredObject[];
  /** The store's version when the list was taken: a watch from here misses nothing. */
  resourceVersion: number;
}

export interface WatchOptions {
  /** Only this namespace (undefined: all). */
  namespace?: string;
  /** Replay events with resourceVersion > fromVersion first (undefined: only new events). */
  fromVersion?: number;
}

export interface Watch {
  /** Stops delivery; idempotent. */
  close(): void;
  /**
   * Settles when delivery ends: `undefined` after `close()`, or the error that ended it (a
   * StoreError with reason Gone when the watcher fell behind the retained history: the client
   * must list again, as after a Kubernetes 410).
   */
  readonly done: Promise<StoreError | Error | undefined>;
}

export type StoreErrorReason = 'NotFound' | 'AlreadyExists' | 'Conflict' | 'Gone' | 'Invalid';

/** A store failure with the Kubernetes reason it maps to (the API server turns it into a Status). */
export class StoreError extends Error {
  constructor(
    readonly reason: StoreErrorReason,
    message: string,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}

export interface Store {
  /** The version of the newest write (0 for an empty store). */
  currentVersion(): Promise<number>;

  get(key: ObjectKey): Promise<StoredObject | undefined>;

  /** Every object of a type (optionally one namespace), sorted by namespace then name. */
  list(type: ResourceType, opts?: { namespace?: string }): Promise<ListResult>;

  /**
   * Stores a new object. Sets `metadata.uid` (when absent), `creationTimestamp` (when absent) and
   * `resourceVersion`; returns the stored object. AlreadyExists if the key is taken.
   */
  create(key: ObjectKey, obj: StoredObject): Promise<StoredObject>;

  /**
   * Replaces an object. Conflict when `expectedVersion` is given and differs from the stored one;
   * NotFound when absent. Keeps `uid` and `creationTimestamp`; sets `resourceVersion`.
   */
  update(key: ObjectKey, obj: StoredObject, opts?: { expectedVersion?: number }): Promise<StoredObject>;

  /** Removes an object; returns it with the delete's resourceVersion. NotFound / Conflict as update. */
  delete(key: ObjectKey, opts?: { expectedVersion?: number }): Promise<StoredObject>;

  /**
   * Delivers events of one type in resourceVersion order. Gone (thrown synchronously or from the
   * promise) when `fromVersion` is older than the retained history. When `onEvent` returns a
   * promise, the next event waits for it (backpressure; writers never wait).
   */
  watch(type: ResourceType, opts: WatchOptions, onEvent: (e: WatchEvent) => void | Promise<void>): Promise<Watch>;

  /** Flushes and closes; later calls fail. */
  close(): Promise<void>;
}
