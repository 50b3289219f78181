/**
 * The InferenceService controller: list + watch InferenceServices (and ServingRuntimes /
 * ClusterServingRuntimes, which requeue the InferenceServices they may serve), a rate-limited work
 * queue keyed `namespace/name`, and workers running one level-based pass per key
 * (reconcile-isvc.ts). It rebuilds everything from the store on start (and on a watch's Gone), and
 * deletes driver revisions no InferenceService wants (orphans of a crash or of a deletion made
 * while it was down). Routes go to `onRoutes`, the gateway's feed, as a whole table on each change.
 */
import { systemClock, type Clock } from '../../core/clock.ts';
import type { Driver } from '../drivers/driver.ts';
import { StoreError, type ResourceType, type Store, type StoredObject, type Watch } from '../store/store.ts';
import { EventRecorder } from './events.ts';
import type { InferenceServiceStatus } from '../../api/index.ts';
import { COMPONENTS, hashAnnotation, parseRevisionId, revisionAnnotation, revisionId } from './observe.ts';
import { CLUSTER_SERVING_RUNTIMES, ISVC, SERVING_RUNTIMES, reconcileOnce, type ModelFetch, type PassContext, type Route } from './reconcile-isvc.ts';
import { RestartEvents } from './restart-events.ts';
import { WorkQueue, type WorkQueueOptions } from './work-queue.ts';

export type { Endpoint, ModelFetch, Route } from './reconcile-isvc.ts';

export interface ReconcilerOptions {
  store: Store;
  driver: Driver;
  /** The kserve-ts launcher each replica runs (`command`), e.g. `process.execPath`. */
  launcher: string;
  /** Arguments before `model-server ...` (e.g. the CLI script when the launcher is node). */
  launcherArgs?: readonly string[];
  /** Base for relative model paths (default: the process's cwd, read at construction). */
  baseDir?: string;
  /** Ingress domain for URLs (KServe's default `example.com`). */
  domain?: string;
  /** `host:port` of the gateway: transformers reach their predictor through it (`--predictor_host`). */
  gatewayAddress?: string;
  /** The storage initializer for remote storageUris (absent: only local paths are served). */
  fetcher?: ModelFetch;
  /** Storage credentials' environment (KServe's names), under the model's own env. */
  storageEnv?: Readonly<Record<string, string | undefined>>;
  clock?: Clock;
  /** Workers running passes at once (default 2; never two on one key). */
  workers?: number;
  queue?: Omit<WorkQueueOptions, 'clock'>;
  /** Receives the whole routing table whenever it changes. */
  onRoutes?: (routes: Route[]) => void;
  /** Told about each failed pass (it is retried with backoff). */
  onError?: (key: string, err: unknown) => void;
}

export class Reconciler {
  readonly #o: ReconcilerOptions;
  readonly #queue: WorkQueue;
  readonly #ctx: PassContext;
  readonly #restarts: RestartEvents;
  readonly #routes = new Map<string, Route[]>();
  readonly #watches: Watch[] = [];
  readonly #idleWaiters: (() => void)[] = [];
  #inFlight = 0;
  #timer: NodeJS.Timeout | undefined;
  #unsubscribe: (() => void) | undefined;
  #closed = false;
  #started = false;

  constructor(opts: ReconcilerOptions) {
    const workers = opts.workers ?? 2;
    if (!Number.isInteger(workers) || workers < 1) throw new RangeError(`reconciler option workers: ${String(workers)} is not allowed: expected an integer ≥ 1`);
    if (opts.launcher === '') throw new RangeError('reconciler option launcher: "" is not allowed: expected the path of the kserve-ts launcher');
    this.#o = { ...opts, workers };
    const clock = opts.clock ?? systemClock;
    this.#queue = new WorkQueue({ ...opts.queue, clock });
    this.#ctx = {
      store: opts.store,
      driver: opts.driver,
      clock,
      events: new EventRecorder(opts.store, clock),
      build: { launcher: opts.launcher, launcherArgs: opts.launcherArgs, baseDir: opts.baseDir ?? process.cwd(), gatewayAddress: opts.gatewayAddress },
      urls: { domain: opts.domain ?? 'example.com' },
      setRoutes: (key, routes) => this.#setRoutes(key, routes),
      ...(opts.fetcher ? { fetcher: opts.fetcher } : {}),
      ...(opts.storageEnv ? { storageEnv: opts.storageEnv } : {}),
    };
    this.#restarts = new RestartEvents(opts.store, this.#ctx.events);
  }

  /** Lists, deletes orphan revisions, queues every InferenceService and starts watching. */
  async start(): Promise<void> {
    if (this.#started) throw new Error('reconciler already started');
    this.#started = true;
    this.#unsubscribe = this.#o.driver.onChange((rev) => {
      const p = parseRevisionId(rev);
      if (p) this.#enqueue(`${p.namespace}/${p.name}`);
      // A replica the driver restarted by itself: an Event, or the crash is invisible once it is Ready again.
      this.#restarts.observe(rev, this.#o.driver.replicas(rev)).catch((err: unknown) => this.#o.onError?.(rev, err));
    });
    await this.#syncIsvcs();
    await this.#watchRuntimes(SERVING_RUNTIMES);
    await this.#watchRuntimes(CLUSTER_SERVING_RUNTIMES);
    // Storage credentials: a Secret or ServiceAccount created or fixed after the InferenceService.
    if (this.#o.fetcher) {
      await this.#watchRuntimes({ group: '', resource: 'serviceaccounts' });
      await this.#watchRuntimes({ group: '', resource: 'secrets' });
    }
  }

  /**
   * Resolves once nothing is queued or running and the store has had a turn to deliver the watch
   * events of the last writes (stores deliver on a later macrotask), so a test can write, await
   * this, and look: no sleeping. Also for `kserve-ts up` waiting for a first sync.
   */
  async settled(): Promise<void> {
    let quietTurns = 0;
    while (quietTurns < 2 && !this.#closed) {
      await new Promise<void>((r) => setImmediate(r));
      if (this.#queue.idle && this.#inFlight === 0) {
        quietTurns++;
      } else {
        quietTurns = 0;
        await new Promise<void>((r) => this.#idleWaiters.push(r));
      }
    }
  }

  /** Queues `namespace/name` for a pass (e.g. its model finished downloading). */
  requeue(key: string): void {
    this.#enqueue(key);
  }

  /** The current routing table. */
  routes(): Route[] {
    return [...this.#routes.values()].flat().sort((a, b) => (a.host < b.host ? -1 : a.host > b.host ? 1 : 0));
  }

  /** Stops watching and working (the driver is the caller's to close); waits for running passes. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#unsubscribe?.();
    if (this.#timer) clearTimeout(this.#timer);
    for (const w of this.#watches.splice(0)) w.close();
    while (this.#inFlight > 0) await new Promise<void>((r) => this.#idleWaiters.push(r));
    for (const r of this.#idleWaiters.splice(0)) r();
  }

  /** List, sweep orphans, queue all, watch from the list's version; a Gone starts over. */
  async #syncIsvcs(): Promise<void> {
    const list = await this.#o.store.list(ISVC);
    await this.#deleteOrphans(list.items);
    for (const item of list.items) this.#enqueue(keyOf(item));
    const watch = await this.#o.store.watch(ISVC, { fromVersion: list.resourceVersion }, (e) => this.#enqueue(keyOf(e.object)));
    this.#watches.push(watch);
    void watch.done.then((err) => {
      if (this.#closed || err === undefined) return;
      if (err instanceof StoreError && err.reason === 'Gone') {
        this.#syncIsvcs().catch((e: unknown) => this.#o.onError?.('(relist)', e));
      } else {
        this.#o.onError?.('(watch)', err);
      }
    });
  }

  async #watchRuntimes(type: ResourceType): Promise<void> {
    const watch = await this.#o.store.watch(type, {}, async (e) => {
      const ns = e.object.metadata.namespace;
      const affected = await this.#o.store.list(ISVC, ns === undefined ? {} : { namespace: ns });
      for (const item of affected.items) this.#enqueue(keyOf(item));
    });
    this.#watches.push(watch);
    void watch.done.then(async (err) => {
      if (this.#closed || err === undefined) return;
      if (!(err instanceof StoreError && err.reason === 'Gone')) return this.#o.onError?.('(runtime watch)', err);
      // Runtime events were missed: every InferenceService may be affected; watch again from now.
      for (const item of (await this.#o.store.list(ISVC)).items) this.#enqueue(keyOf(item));
      await this.#watchRuntimes(type);
    }).catch((e: unknown) => this.#o.onError?.('(runtime watch)', e));
  }

  /** Deletes driver revisions that no stored InferenceService names as created or rolled out, per component. */
  async #deleteOrphans(isvcs: StoredObject[]): Promise<void> {
    const wanted = new Set<string>();
    for (const o of isvcs) {
      if (o.metadata.deletionTimestamp !== undefined) continue;
      const ann = o.metadata.annotations ?? {};
      const components = (o.status as InferenceServiceStatus | undefined)?.components;
      const ns = o.metadata.namespace ?? 'default';
      for (const c of COMPONENTS) {
        const created = ann[revisionAnnotation(c)];
        if (created && ann[hashAnnotation(c)]) wanted.add(revisionId(ns, o.metadata.name, created, c));
        const rolled = components?.[c]?.latestRolledoutRevision;
        if (rolled) wanted.add(revisionId(ns, o.metadata.name, rolled, c));
      }
    }
    for (const rev of this.#o.driver.revisions()) if (!wanted.has(rev)) await this.#o.driver.delete(rev);
  }

  #enqueue(key: string): void {
    if (this.#closed) return;
    this.#queue.add(key);
    this.#pump();
  }

  /** Hands ready keys to free workers; arms one timer for the next delayed key. */
  #pump(): void {
    if (this.#closed) return;
    while (this.#inFlight < (this.#o.workers ?? 2)) {
      const t = this.#queue.take();
      if ('idle' in t) break;
      if ('waitMs' in t) {
        if (this.#timer) clearTimeout(this.#timer);
        this.#timer = setTimeout(() => {
          this.#timer = undefined;
          this.#pump();
        }, t.waitMs);
        break;
      }
      this.#inFlight++;
      void this.#work(t.key);
    }
    this.#notifyIdle();
  }

  async #work(key: string): Promise<void> {
    const slash = key.indexOf('/');
    try {
      await reconcileOnce(this.#ctx, key.slice(0, slash), key.slice(slash + 1));
      this.#queue.forget(key);
    } catch (err) {
      this.#o.onError?.(key, err);
      if (!this.#closed) this.#queue.addRateLimited(key);
    } finally {
      this.#queue.done(key);
      this.#inFlight--;
      this.#pump();
      this.#notifyIdle();
    }
  }

  #notifyIdle(): void {
    if (this.#inFlight > 0 || (!this.#closed && !this.#queue.idle)) return;
    for (const r of this.#idleWaiters.splice(0)) r();
  }

  #setRoutes(key: string, routes: Route[]): void {
    const old = this.#routes.get(key);
    if (routes.length === 0 ? old === undefined : JSON.stringify(old) === JSON.stringify(routes)) return;
    if (routes.length > 0) this.#routes.set(key, routes);
    else this.#routes.delete(key);
    this.#o.onRoutes?.(this.routes());
  }

}

function keyOf(o: StoredObject): string {
  return `${o.metadata.namespace ?? 'default'}/${o.metadata.name}`;
}
