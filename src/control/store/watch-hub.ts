/**
 * Watch delivery shared by every Store implementation: one watcher per `watch()` call, events in
 * resourceVersion order, writers never blocked by a slow consumer, memory bounded.
 *
 * Each watcher has a cursor (the last version it delivered) and a bounded queue of live events.
 * Delivery is asynchronous and one event at a time; when `onEvent` returns a promise the next event
 * waits for it, which is how the API server applies backpressure (await the HTTP response's drain).
 *
 * A write never waits for a watcher. When a watcher's live queue is full, the queue is dropped and
 * the watcher reads the missed events back from the store's retained history instead (the history
 * already holds them: events are published after they are stored). So a slow watcher costs no memory
 * beyond `maxQueuedEvents`, and loses nothing while the history still covers its cursor. Once the
 * history has been compacted past its cursor the watcher is closed with a Gone StoreError
 * (`too old resource version`), which the API server sends as a 410 ERROR event so the client lists
 * again — exactly what Kubernetes does when a watcher falls behind etcd's compaction.
 *
 * Example, history 10,000 events, queue 1,000: a consumer that stalls while 5,000 writes land has its
 * queue dropped at the 1,001st, then replays those 5,000 from history in pages and catches up; one
 * that stalls through 12,000 writes finds its cursor compacted away and gets Gone.
 */
import { tooOld } from './errors.ts';
import { checkExpectedVersion, checkType } from './object-prep.ts';
import type { ResourceType, StoreError, Watch, WatchEvent, WatchEventType } from './store.ts';

/** An event as stored: the object as JSON text, parsed afresh for each watcher that receives it. */
export interface RawEvent {
  type: WatchEventType;
  resourceVersion: number;
  /** '' for cluster-scoped objects. */
  namespace: string;
  json: string;
}

/** What the hub needs from a store: its retained history. */
export interface HistorySource {
  /** The version of the oldest retained event; `current + 1` when nothing is retained. */
  oldestRetained(): number;
  /** Events of `type` (and `namespace` when given) with afterRv < version ≤ uptoRv, oldest first, at most `limit`. */
  readHistory(type: ResourceType, namespace: string | undefined, afterRv: number, uptoRv: number, limit: number): RawEvent[];
}

/**
 * A watch as the stores return it: `Watch` plus `done`, which resolves when delivery stops — with
 * undefined after close() (or store close), or with the StoreError that ended it (Gone when the
 * watcher fell behind the retained history; the API server answers it with a 410 ERROR event).
 */
export interface StoreWatch extends Watch {
  readonly done: Promise<StoreError | Error | undefined>;
}

export interface WatchHubOptions {
  /** Live events queued per watcher before it switches to reading history. */
  maxQueuedEvents: number;
  /** Events read from history per page (between pages the watcher yields to the event loop). */
  replayPageSize: number;
}

const typeKey = (t: ResourceType): string => `${t.group}/${t.resource}`;

class Watcher implements StoreWatch {
  readonly done: Promise<StoreError | Error | undefined>;
  private resolveDone!: (e: StoreError | Error | undefined) => void;
  private queue: RawEvent[] = [];
  private closed = false;
  private pumping = false;

  constructor(
    private readonly hub: WatchHub,
    readonly type: ResourceType,
    readonly namespace: string | undefined,
    /** Last version delivered (or skipped as not ours). */
    private cursor: number,
    /** History must be read up to here before the live queue is delivered. */
    private replayUpTo: number,
    private readonly onEvent: (e: WatchEvent) => unknown,
  ) {
    this.done = new Promise((r) => (this.resolveDone = r));
  }

  /** Called by the hub for each stored event of this watcher's type, in version order. */
  offer(e: RawEvent): void {
    if (this.closed || (this.namespace !== undefined && e.namespace !== this.namespace)) return;
    if (this.queue.length >= this.hub.options.maxQueuedEvents) {
      // Not replaying: everything of ours before the first dropped event was delivered already, so
      // history is read from there (a cursor compacted away by other types' writes is no loss).
      const first = this.queue[0];
      if (first !== undefined && this.cursor >= this.replayUpTo) this.cursor = Math.max(this.cursor, first.resourceVersion - 1);
      this.queue = [];
      this.replayUpTo = e.resourceVersion;
    } else if (e.resourceVersion > this.replayUpTo) {
      this.queue.push(e);
    }
    this.pump();
  }

  pump(): void {
    if (this.pumping || this.closed) return;
    this.pumping = true;
    setImmediate(() => {
      this.run().then(
        () => {
          this.pumping = false;
          // An event offered after run() found the queue empty but before this callback ran.
          if (this.queue.length > 0 || this.cursor < this.replayUpTo) this.pump();
        },
        (err: unknown) => this.end(err instanceof Error ? err : new Error(String(err))),
      );
    });
  }

  private async deliver(e: RawEvent): Promise<void> {
    this.cursor = e.resourceVersion;
    const r = this.onEvent({ type: e.type, object: JSON.parse(e.json), resourceVersion: e.resourceVersion });
    if (r !== null && typeof r === 'object' && typeof (r as PromiseLike<unknown>).then === 'function') await (r as PromiseLike<unknown>);
  }

  private async run(): Promise<void> {
    const { source, options } = this.hub;
    while (!this.closed) {
      if (this.cursor < this.replayUpTo) {
        const oldest = source.oldestRetained();
        if (this.cursor < oldest - 1) throw tooOld(this.cursor, oldest);
        const upto = this.replayUpTo;
        const page = source.readHistory(this.type, this.namespace, this.cursor, upto, options.replayPageSize);
        for (const e of page) {
          if (this.closed) return;
          await this.deliver(e);
        }
        if (page.length < options.replayPageSize) this.cursor = Math.max(this.cursor, upto);
        // Let writers and other watchers run between pages of a long replay.
        if (page.length > 0) await new Promise<void>((r) => setImmediate(r));
        continue;
      }
      const e = this.queue.shift();
      if (e === undefined) return;
      if (e.resourceVersion > this.cursor) await this.deliver(e);
    }
  }

  /** Stops delivery and reports why; idempotent. */
  end(reason: StoreError | Error | undefined): void {
    if (this.closed) return;
    this.closed = true;
    this.queue = [];
    this.hub.remove(this);
    this.resolveDone(reason);
  }

  close(): void {
    this.end(undefined);
  }
}

/** The set of live watchers of one store. */
export class WatchHub {
  private readonly watchers = new Map<string, Set<Watcher>>();

  constructor(
    readonly source: HistorySource,
    readonly options: WatchHubOptions,
  ) {}

  /**
   * Starts a watch at store version `current`. Must be called in the same synchronous step that
   * reads `current`, so no event falls between the history replay and the live queue.
   * Throws Gone when `fromVersion` is older than the retained history, Invalid for a bad type or version.
   */
  watch(type: ResourceType, namespace: string | undefined, fromVersion: number | undefined, current: number, onEvent: (e: WatchEvent) => unknown): StoreWatch {
    checkType(type);
    checkExpectedVersion(fromVersion);
    const from = fromVersion ?? current;
    const oldest = this.source.oldestRetained();
    if (from < current && from < oldest - 1) throw tooOld(from, oldest);
    const w = new Watcher(this, type, namespace, from, Math.max(from, current), onEvent);
    const k = typeKey(type);
    let set = this.watchers.get(k);
    if (set === undefined) this.watchers.set(k, (set = new Set()));
    set.add(w);
    w.pump();
    return w;
  }

  /** Hands a stored event to the watchers of its type. Never blocks, never throws. */
  publish(type: ResourceType, e: RawEvent): void {
    const set = this.watchers.get(typeKey(type));
    if (set !== undefined) for (const w of set) w.offer(e);
  }

  remove(w: Watcher): void {
    const k = typeKey(w.type);
    const set = this.watchers.get(k);
    set?.delete(w);
    if (set?.size === 0) this.watchers.delete(k);
  }

  /** Ends every watcher (store close): their `done` resolves with undefined. */
  closeAll(): void {
    for (const set of [...this.watchers.values()]) for (const w of [...set]) w.end(undefined);
  }

  /** Live watchers (for tests and metrics). */
  get size(): number {
    let n = 0;
    for (const s of this.watchers.values()) n += s.size;
    return n;
  }
}
