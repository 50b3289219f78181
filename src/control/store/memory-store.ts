/**
 * Store in memory, for unit tests of other components (the API server, the reconciler). Same
 * semantics as SqliteStore — both pass store-conformance.ts — but nothing survives the process.
 * Writes apply synchronously and resolve at once; watch delivery is asynchronous (watch-hub.ts).
 */
import { alreadyExists, conflict, notFound, preconditionFailed, storeClosed } from './errors.ts';
import { MemoryHistory } from './memory-history.ts';
import {
  checkExpectedVersion, checkKey, checkType, parseStored, stampCreate, stampDelete, stampUpdate, storedNamespace,
} from './object-prep.ts';
import { resolveStoreOptions, type ResolvedStoreOptions, type StoreOptions } from './options.ts';
import type {
  ListResult, ObjectKey, ResourceType, Store, StoredObject, WatchEvent, WatchEventType, WatchOptions,
} from './store.ts';
import { WatchHub, type StoreWatch } from './watch-hub.ts';

interface Row {
  rv: number;
  json: string;
}

const typeKey = (t: ResourceType): string => `${t.group}/${t.resource}`;
/** Sorts by namespace then name: '\u0000' is below every character a Kubernetes name may hold. */
const objKey = (ns: string, name: string): string => `${ns}\u0000${name}`;

export class MemoryStore implements Store {
  private readonly opts: ResolvedStoreOptions;
  private readonly objects = new Map<string, Map<string, Row>>();
  private readonly history: MemoryHistory;
  private readonly hub: WatchHub;
  private rv = 0;
  private closed = false;

  constructor(options: StoreOptions = {}) {
    this.opts = resolveStoreOptions(options);
    this.history = new MemoryHistory(this.opts.historySize);
    this.hub = new WatchHub(
      {
        oldestRetained: () => this.history.oldest(this.rv),
        readHistory: (t, ns, after, upto, limit) => this.history.read(typeKey(t), ns, after, upto, limit),
      },
      { maxQueuedEvents: this.opts.maxQueuedEvents, replayPageSize: this.opts.replayPageSize },
    );
  }

  private open(): void {
    if (this.closed) throw storeClosed();
  }

  private table(t: ResourceType): Map<string, Row> {
    const k = typeKey(t);
    let m = this.objects.get(k);
    if (m === undefined) this.objects.set(k, (m = new Map()));
    return m;
  }

  private record(t: ResourceType, type: WatchEventType, ns: string, json: string): void {
    const e = { type, resourceVersion: this.rv, namespace: ns, json };
    this.history.append(typeKey(t), e);
    this.hub.publish(t, e);
  }

  async currentVersion(): Promise<number> {
    this.open();
    return this.rv;
  }

  async get(key: ObjectKey): Promise<StoredObject | undefined> {
    this.open();
    checkKey(key);
    return parseStored(this.objects.get(typeKey(key))?.get(objKey(storedNamespace(key), key.name))?.json);
  }

  async list(type: ResourceType, opts: { namespace?: string } = {}): Promise<ListResult> {
    this.open();
    checkType(type);
    const ns = opts.namespace;
    const rows = [...(this.objects.get(typeKey(type)) ?? new Map<string, Row>()).entries()]
      .filter(([k]) => ns === undefined || k.startsWith(`${ns}\u0000`))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return { items: rows.map(([, r]) => JSON.parse(r.json) as StoredObject), resourceVersion: this.rv };
  }

  async create(key: ObjectKey, obj: StoredObject): Promise<StoredObject> {
    this.open();
    checkKey(key);
    const t = this.table(key);
    const k = objKey(storedNamespace(key), key.name);
    if (t.has(k)) throw alreadyExists(key, key.name);
    const json = stampCreate(key, obj, this.rv + 1, this.opts.clock.nowMs(), this.opts.newUid);
    this.rv++;
    t.set(k, { rv: this.rv, json });
    this.record(key, 'ADDED', storedNamespace(key), json);
    return JSON.parse(json) as StoredObject;
  }

  /** The stored row an update or delete replaces: NotFound when absent, `stale` when not at `expected`. */
  private existing(key: ObjectKey, expected: number | undefined, stale: (want: number, have: number) => Error): { t: Map<string, Row>; k: string; prev: Row } {
    this.open();
    checkKey(key);
    checkExpectedVersion(expected);
    const t = this.table(key);
    const k = objKey(storedNamespace(key), key.name);
    const prev = t.get(k);
    if (prev === undefined) throw notFound(key, key.name);
    if (expected !== undefined && expected !== prev.rv) throw stale(expected, prev.rv);
    return { t, k, prev };
  }

  async update(key: ObjectKey, obj: StoredObject, opts: { expectedVersion?: number } = {}): Promise<StoredObject> {
    const { t, k, prev } = this.existing(key, opts.expectedVersion, () => conflict(key, key.name));
    const json = stampUpdate(key, obj, JSON.parse(prev.json) as StoredObject, this.rv + 1);
    this.rv++;
    t.set(k, { rv: this.rv, json });
    this.record(key, 'MODIFIED', storedNamespace(key), json);
    return JSON.parse(json) as StoredObject;
  }

  async delete(key: ObjectKey, opts: { expectedVersion?: number } = {}): Promise<StoredObject> {
    const { t, k, prev } = this.existing(key, opts.expectedVersion, (want, have) => preconditionFailed(key, key.name, want, have));
    const json = stampDelete(JSON.parse(prev.json) as StoredObject, this.rv + 1);
    this.rv++;
    t.delete(k);
    this.record(key, 'DELETED', storedNamespace(key), json);
    return JSON.parse(json) as StoredObject;
  }

  async watch(type: ResourceType, opts: WatchOptions, onEvent: (e: WatchEvent) => unknown): Promise<StoreWatch> {
    this.open();
    return this.hub.watch(type, opts.namespace, opts.fromVersion, this.rv, onEvent);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.hub.closeAll();
  }
}
