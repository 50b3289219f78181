/**
 * The storage initializer of embedded mode: gets a `storageUri` into the local model cache before
 * the replicas that need it start (KServe runs an init container; here the control plane does it
 * once per model, shared by every replica and revision). The reconciler stays level-based: each
 * pass asks `ensure`, which answers at once with the state now — Ready with the local directory,
 * Downloading with progress, or Failed with the reason — and starts (or joins) the download in
 * the background; when that finishes, `onChange` requeues the InferenceService.
 *
 * A failed download is retried after a backoff (5 s doubling to 5 min), so a bucket that appears
 * later or credentials that get fixed are picked up without editing the InferenceService.
 */
import { backoffDelayMs } from '../core/backoff.ts';
import type { Logger } from '../core/logger.ts';
import { silentLogger } from '../core/logger.ts';
import type { Progress, StorageContext } from '../storage/provider.ts';

/** What the cache offers (storage/cache's ModelCache). */
export interface ModelSource {
  acquire(uri: string, ctx: StorageContext & { sha256?: string }): Promise<{ path: string; hit: boolean; key: string; release(): void }>;
}

export type FetchState =
  | { phase: 'Ready'; path: string }
  | { phase: 'Downloading'; message: string }
  | { phase: 'Failed'; reason: string; message: string };

/** Who wants the model: the InferenceService key (`ns/name`), so its passes are requeued. */
export interface FetchRequest {
  owner: string;
  uri: string;
  env: Readonly<Record<string, string | undefined>>;
  annotations?: Readonly<Record<string, string>>;
  /** The `serving.kserve-ts.io/sha256` annotation: the artifact must match. */
  sha256?: string;
}

interface Entry {
  state: FetchState;
  owners: Set<string>;
  release?: () => void;
  failures: number;
  retryAt?: number;
  startedAt: number;
  progress?: Progress;
}

export interface ModelFetcherOptions {
  source: ModelSource;
  /** Called with an owner whose model's state changed (download done, failed, progress). */
  onChange: (owner: string) => void;
  log?: Logger;
  now?: () => number;
  /** How often progress requeues the owner (default 1 s). */
  progressIntervalMs?: number;
}

const RETRY_BASE_MS = 5_000;
const RETRY_CAP_MS = 300_000;

export class ModelFetcher {
  readonly #o: ModelFetcherOptions;
  readonly #entries = new Map<string, Entry>();
  readonly #now: () => number;
  readonly #log: Logger;

  constructor(opts: ModelFetcherOptions) {
    this.#o = opts;
    this.#now = opts.now ?? Date.now;
    this.#log = opts.log ?? silentLogger;
  }

  /** The model's state now; starts or retries its download when needed. */
  ensure(req: FetchRequest): FetchState {
    const key = fetchKey(req);
    let e = this.#entries.get(key);
    if (e && e.state.phase === 'Failed' && e.retryAt !== undefined && this.#now() >= e.retryAt) {
      e.retryAt = undefined;
      this.#start(key, e, req);
    }
    if (!e) {
      e = { state: { phase: 'Downloading', message: `Downloading ${displayOf(req.uri)}: resolving` }, owners: new Set(), failures: 0, startedAt: this.#now() };
      this.#entries.set(key, e);
      this.#start(key, e, req);
    }
    e.owners.add(req.owner);
    return e.state;
  }

  /** `owner` no longer needs any model but those in `keep` (fetch keys); unused entries are released to the cache's LRU. */
  releaseOwner(owner: string, keep: ReadonlySet<string> = new Set()): void {
    for (const [key, e] of this.#entries) {
      if (keep.has(key) || !e.owners.delete(owner) || e.owners.size > 0) continue;
      e.release?.();
      this.#entries.delete(key);
    }
  }

  #start(key: string, e: Entry, req: FetchRequest): void {
    e.startedAt = this.#now();
    e.state = { phase: 'Downloading', message: `Downloading ${displayOf(req.uri)}: resolving` };
    let lastNotify = 0;
    const interval = this.#o.progressIntervalMs ?? 1000;
    const ctx: StorageContext & { sha256?: string } = {
      env: req.env,
      ...(req.annotations ? { annotations: req.annotations } : {}),
      ...(req.sha256 ? { sha256: req.sha256 } : {}),
      log: this.#log,
      onProgress: (p) => {
        e.progress = p;
        e.state = { phase: 'Downloading', message: progressMessage(req.uri, p, this.#now() - e.startedAt) };
        const now = this.#now();
        if (now - lastNotify >= interval) {
          lastNotify = now;
          this.#notify(e);
        }
      },
    };
    this.#o.source.acquire(req.uri, ctx).then(
      (got) => {
        if (this.#entries.get(key) !== e) return got.release(); // released while downloading
        e.release = () => got.release();
        e.failures = 0;
        e.state = { phase: 'Ready', path: got.path };
        this.#log.info('model ready', { uri: displayOf(req.uri), cacheHit: got.hit, ms: this.#now() - e.startedAt });
        this.#notify(e);
      },
      (err: unknown) => {
        if (this.#entries.get(key) !== e) return;
        e.failures++;
        const delay = backoffDelayMs(e.failures, RETRY_BASE_MS, RETRY_CAP_MS);
        e.retryAt = this.#now() + delay;
        const reason = (err as { reason?: string }).reason ?? 'Error';
        const message = (err as Error).message;
        e.state = { phase: 'Failed', reason, message: `storage-initializer: ${reason}: ${message}` };
        this.#log.warn('model download failed; retrying after a backoff', { uri: displayOf(req.uri), reason, error: message, retryInMs: delay });
        this.#notify(e);
        // Come back after the backoff even if nothing else requeues the owners.
        setTimeout(() => this.#notify(e), delay + 10).unref();
      },
    );
  }

  #notify(e: Entry): void {
    for (const owner of e.owners) this.#o.onChange(owner);
  }
}

/** Entries are shared by URI, the credentials' source and the checksum. */
export function fetchKey(req: Pick<FetchRequest, 'uri' | 'sha256'>): string {
  return `${req.uri}\n${req.sha256 ?? ''}`;
}

/** The URI without userinfo or SAS/signature query values, for messages. */
export function displayOf(uri: string): string {
  return uri.replace(/\/\/[^/@]*@/, '//').replace(/([?&](sig|se|sp|sv|st|X-Amz-Signature|X-Amz-Credential|token)=)[^&]*/gi, '$1REDACTED');
}

const MB = 1e6;
const fmt = (bytes: number): string => (bytes >= 1e9 ? `${(bytes / 1e9).toFixed(2)} GB` : `${(bytes / MB).toFixed(1)} MB`);

/** `Downloading s3://b/iris: 45% (450.0 MB of 1.00 GB, 120.3 MB/s, ETA 5 s)`. */
export function progressMessage(uri: string, p: Progress, elapsedMs: number): string {
  const rate = elapsedMs > 0 ? p.bytes / (elapsedMs / 1000) : 0;
  const parts = [`${fmt(p.bytes)}${p.totalBytes !== undefined ? ` of ${fmt(p.totalBytes)}` : ''}`];
  if (rate > 0) parts.push(`${(rate / MB).toFixed(1)} MB/s`);
  if (p.totalBytes !== undefined && rate > 0 && p.totalBytes >= p.bytes) parts.push(`ETA ${Math.ceil((p.totalBytes - p.bytes) / rate)} s`);
  const pct = p.totalBytes ? `${Math.floor((p.bytes / p.totalBytes) * 100)}% ` : '';
  return `Downloading ${displayOf(uri)}: ${pct}(${parts.join(', ')})`;
}
