/**
 * A fixed set of worker threads, each owning one ONNX Runtime session on the same model file.
 *
 * - Dispatch: least busy worker (fewest requests sent and not yet answered), ties broken
 *   round-robin. Each worker holds at most `maxQueuedPerWorker` unanswered requests; when every
 *   worker is full the request is refused with OVERLOADED (503), so memory stays bounded.
 * - Protocol: `postMessage` with numeric request ids (see wire.ts); answers resolve the matching
 *   pending request.
 * - Crashes: a worker that exits on its own fails its pending requests with INFERENCE_FAILED and
 *   is replaced by a fresh one; the process and the other workers carry on.
 * - Lifecycle: `close()` is graceful and idempotent: queued requests finish, each worker releases
 *   its session and exits. After `closeTimeoutMs` an idle worker that has not exited is terminated;
 *   a busy one is never terminated (that aborts the process inside onnxruntime-node) but left to
 *   exit on its own once its runs are done.
 * - Idle workers are unref'd, so a pool nobody closed does not keep the process alive.
 */
import { Worker } from 'node:worker_threads';
import { inferenceFailed, invalidRequest, modelNotReady, runtimeQueueFull } from '../../core/errors.ts';
import { once } from '../../core/lifecycle.ts';
import type { Logger } from '../../core/logger.ts';
import { workerEntry } from '../worker-entry.ts';
import type { FromWorker, ToWorker, WireTensor, WorkerInit } from './wire.ts';

export interface WorkerPoolOptions {
  modelName: string;
  init: WorkerInit;
  workers: number;
  maxQueuedPerWorker: number;
  closeTimeoutMs: number;
  log: Logger;
}

/** What a worker reports once its session is created. */
export type ReadyInfo = Extract<FromWorker, { t: 'ready' }>;

/** The session could not be created; `message` is ONNX Runtime's. */
export class WorkerLoadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorkerLoadError';
  }
}

/** A run's outputs and how long ONNX Runtime took in the worker, µs. */
export interface WorkerAnswer {
  outputs: WireTensor[];
  us: number;
}

interface Pending {
  resolve(answer: WorkerAnswer): void;
  reject(err: Error): void;
}

interface Slot {
  index: number;
  worker?: Worker;
  live: boolean;
  pending: Map<number, Pending>;
  lastError?: Error;
}

export class WorkerPool {
  private readonly opts: WorkerPoolOptions;
  private readonly slots: Slot[];
  private nextId = 0;
  private rr = 0;
  private closing = false;
  private liveWaiters: (() => void)[] = [];

  private constructor(opts: WorkerPoolOptions) {
    this.opts = opts;
    this.slots = Array.from({ length: opts.workers }, (_, index) => ({ index, live: false, pending: new Map<number, Pending>() }));
  }

  /** Starts every worker; resolves with the first worker's report once all are ready. */
  static async start(opts: WorkerPoolOptions): Promise<{ pool: WorkerPool; ready: ReadyInfo }> {
    const pool = new WorkerPool(opts);
    const results = await Promise.allSettled(pool.slots.map((s) => pool.spawn(s)));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) {
      await pool.close();
      throw failed.reason;
    }
    return { pool, ready: (results[0] as PromiseFulfilledResult<ReadyInfo>).value };
  }

  /** Number of workers currently able to take requests. */
  get liveWorkers(): number {
    return this.slots.filter((s) => s.live).length;
  }

  /** Resolves once at least one worker can take requests (at once when one can). */
  whenLive(): Promise<void> {
    if (this.liveWorkers > 0) return Promise.resolve();
    return new Promise((resolve) => this.liveWaiters.push(resolve));
  }

  /** Thread ids of the live workers (diagnostics and tests). */
  threadIds(): number[] {
    return this.slots.flatMap((s) => (s.live && s.worker ? [s.worker.threadId] : []));
  }

  /**
   * Makes the worker with thread id `threadId` throw an uncaught exception, as a bug in it would.
   * (Not `worker.terminate()`: terminating a worker while ORT runs in it aborts the process.)
   * @internal for tests of crash recovery.
   */
  crashForTest(threadId: number): void {
    this.slots.find((s) => s.worker?.threadId === threadId)?.worker?.postMessage({ t: 'crash' } satisfies ToWorker);
  }

  /**
   * Sends one run to the least busy worker; resolves with its outputs in `fetches` order. Each run
   * is its own message, sent at once. (Measured alternatives that were slower here: holding runs
   * back while the worker is busy to send them together (17.3k → 13.8k rps at c=8, iris), a
   * message format with a list of runs, and polling the answer port at c=1.)
   */
  run(feeds: WireTensor[], fetches: string[], transfer: ArrayBuffer[]): Promise<WorkerAnswer> {
    const slot = this.pick();
    const worker = slot.worker!;
    const id = ++this.nextId;
    return new Promise<WorkerAnswer>((resolve, reject) => {
      slot.pending.set(id, { resolve, reject });
      if (slot.pending.size === 1) worker.ref();
      try {
        // Two inputs over the same buffer would repeat it, which a transfer list must not.
        worker.postMessage({ t: 'run', id, feeds, fetches } satisfies ToWorker, transfer.length > 1 ? [...new Set(transfer)] : transfer);
      } catch (err) {
        this.settle(slot, id);
        reject(invalidRequest(`model ${this.opts.modelName}: the request could not be sent to the runtime: ${err instanceof Error ? err.message : String(err)}`));
      }
    });
  }

  /** Graceful, idempotent shutdown (see the file comment). */
  readonly close: () => Promise<void> = once(async () => {
    this.closing = true;
    for (const w of this.liveWaiters.splice(0)) w();
    await Promise.all(this.slots.map((s) => this.closeSlot(s)));
  });

  private pick(): Slot {
    if (this.closing) throw modelNotReady(this.opts.modelName, 'It is being unloaded.');
    const n = this.slots.length;
    let best: Slot | undefined;
    for (let k = 0; k < n; k++) {
      const s = this.slots[(this.rr + k) % n]!;
      if (s.live && (!best || s.pending.size < best.pending.size)) best = s;
    }
    if (!best) throw modelNotReady(this.opts.modelName, 'Its ONNX Runtime worker threads are restarting.');
    if (best.pending.size >= this.opts.maxQueuedPerWorker) throw runtimeQueueFull(this.opts.modelName, this.opts.maxQueuedPerWorker * n);
    this.rr = (best.index + 1) % n;
    return best;
  }

  private settle(slot: Slot, id: number): Pending | undefined {
    const p = slot.pending.get(id);
    if (!p) return undefined;
    slot.pending.delete(id);
    if (slot.pending.size === 0 && !this.closing) slot.worker?.unref();
    return p;
  }

  /** Starts the worker of `slot`; resolves when its session is ready. */
  private spawn(slot: Slot): Promise<ReadyInfo> {
    const entry = workerEntry(import.meta.url, 'worker');
    const worker = new Worker(entry.filename, { eval: entry.eval, workerData: this.opts.init, name: `onnx:${this.opts.modelName}` });
    slot.worker = worker;
    slot.lastError = undefined;
    return new Promise<ReadyInfo>((resolve, reject) => {
      let started = false;
      worker.on('message', (msg: FromWorker) => {
        switch (msg.t) {
          case 'ok': this.settle(slot, msg.id)?.resolve(msg); return;
          case 'err': this.settle(slot, msg.id)?.reject(invalidRequest(`model ${this.opts.modelName}: ONNX Runtime rejected the request: ${msg.message}`)); return;
          case 'ready':
            started = true;
            slot.live = !this.closing;
            if (slot.pending.size === 0) worker.unref();
            if (slot.live) for (const w of this.liveWaiters.splice(0)) w();
            resolve(msg);
            return;
          case 'load-error':
            reject(new WorkerLoadError(msg.message));
            return;
        }
      });
      worker.on('error', (err) => {
        slot.lastError = err;
        if (started) this.opts.log.error('ONNX Runtime worker thread failed', { model: this.opts.modelName, worker: slot.index, err });
        else reject(err);
      });
      worker.on('exit', (code) => {
        slot.live = false;
        if (slot.worker === worker) slot.worker = undefined;
        if (!started) {
          reject(slot.lastError ?? new WorkerLoadError(`the worker thread exited with code ${code} before the session was created`));
          return;
        }
        this.onExit(slot, code);
      });
    });
  }

  private onExit(slot: Slot, code: number): void {
    const why = this.closing
      ? modelNotReady(this.opts.modelName, 'It was unloaded before this request finished.')
      : inferenceFailed(this.opts.modelName, `its ONNX Runtime worker thread exited (code ${code}${slot.lastError ? `: ${slot.lastError.message}` : ''}) before answering; the worker is being replaced`, slot.lastError);
    const pending = [...slot.pending.values()];
    slot.pending.clear();
    for (const p of pending) p.reject(why);
    if (this.closing) return;
    this.opts.log.error('ONNX Runtime worker thread exited; starting a replacement', { model: this.opts.modelName, worker: slot.index, code, failedRequests: pending.length });
    this.spawn(slot).then(
      () => this.opts.log.info('ONNX Runtime worker thread replaced', { model: this.opts.modelName, worker: slot.index }),
      (err: unknown) => this.opts.log.error('ONNX Runtime worker thread could not be replaced', { model: this.opts.modelName, worker: slot.index, err }),
    );
  }

  private async closeSlot(slot: Slot): Promise<void> {
    const worker = slot.worker;
    slot.live = false;
    if (!worker) return;
    worker.ref();
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage({ t: 'close' } satisfies ToWorker);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), this.opts.closeTimeoutMs);
      timer.unref();
    });
    const late = await Promise.race([exited.then(() => false), timedOut]);
    clearTimeout(timer);
    if (!late) return;
    if (slot.pending.size > 0) {
      // Terminating a worker while ORT runs in it aborts the whole process (a C++ exception
      // escapes the binding), so a busy worker is left to finish: it exits by itself once its
      // queued runs are done, as it has the close message. It stays ref'd meanwhile, so the
      // process waits for the answers its callers are waiting for.
      this.opts.log.warn('ONNX Runtime worker thread still busy after the close timeout; it will exit when its runs finish', {
        model: this.opts.modelName, worker: slot.index, ms: this.opts.closeTimeoutMs, pending: slot.pending.size,
      });
      return;
    }
    this.opts.log.warn('idle ONNX Runtime worker thread did not exit in time; terminating it', { model: this.opts.modelName, worker: slot.index, ms: this.opts.closeTimeoutMs });
    await worker.terminate();
  }
}
