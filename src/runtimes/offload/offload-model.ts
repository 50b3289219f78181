/**
 * `OffloadedModel`: any JavaScript `Model` (the tree and PMML evaluators) whose big runs move off
 * the event loop. It holds the model twice: one instance on the main thread for metadata and for
 * runs that fit the inline budget, one in a worker thread (worker.ts) built from the same factory
 * and options, for the rest. Where a run goes is decided by its measured cost for its input size
 * (../run-cost.ts): unknown sizes go to the worker first, so a batch of 10,000 rows never holds
 * the loop, while a single row (≈ 1-10 µs) skips the ≈ 100 µs thread round trip.
 *
 * The worker answers runs in order, at most `maxQueued` unanswered (then RUNTIME_QUEUE_FULL, 503).
 * A worker that dies fails its pending runs (INFERENCE_FAILED) and is started again on the next
 * run that needs it.
 */
import { Worker } from 'node:worker_threads';
import { ErrorCode, ServingError, inferenceFailed, modelLoadFailed, modelNotReady, runtimeQueueFull } from '../../core/errors.ts';
import type { InferRequest, ModelMetadata } from '../../protocol/infer.ts';
import type { Tensor } from '../../protocol/tensor.ts';
import { Model, type PredictResult, type RequestContext } from '../model.ts';
import { RunCostModel, inputElements } from '../run-cost.ts';
import { workerEntry } from '../worker-entry.ts';
import type { FromWorker, OffloadSpec, ToWorker } from './wire.ts';

export interface OffloadOptions {
  /** Longest run, µs, measured for its input size, that runs on the event loop (default 100; 0 = never; Infinity = always). */
  inlineBudgetUs?: number;
  /** Most unanswered runs on the worker (default 1024). */
  maxQueued?: number;
}

interface WorkerResult {
  result: PredictResult;
  us: number;
}

interface Pending {
  resolve(r: WorkerResult): void;
  reject(e: Error): void;
}

export class OffloadedModel extends Model {
  readonly cost: RunCostModel;
  private readonly maxQueued: number;
  private worker: Worker | undefined;
  private starting: Promise<Worker> | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private closed = false;

  constructor(private readonly inner: Model, private readonly spec: OffloadSpec, opts: OffloadOptions = {}) {
    super(inner.name);
    this.cost = new RunCostModel(opts.inlineBudgetUs ?? 100);
    this.maxQueued = opts.maxQueued ?? 1024;
    if (inner.v1Records !== undefined) this.v1Records = inner.v1Records;
    if (inner.decodeV1Instances) this.decodeV1Instances = (rows: readonly unknown[]): Tensor[] => inner.decodeV1Instances!(rows);
  }

  /** Loads the main-thread instance, then the worker's (a load error in either fails the load). */
  async load(): Promise<void> {
    this.closed = false;
    await this.inner.load();
    if (this.cost.budgetUs !== Infinity) await this.ensureWorker();
    this.ready = true;
  }

  metadata(): ModelMetadata {
    return this.inner.metadata();
  }

  override preprocess(req: InferRequest, ctx: RequestContext): InferRequest | Promise<InferRequest> {
    // The runtimes offloaded here preprocess into tensors, never into a V1 body.
    return this.inner.preprocess(req, ctx) as InferRequest | Promise<InferRequest>;
  }

  override postprocess(res: PredictResult, ctx: RequestContext): PredictResult | Promise<PredictResult> {
    return this.inner.postprocess(res, ctx);
  }

  async predict(req: InferRequest, ctx: RequestContext): Promise<PredictResult> {
    if (!this.ready) throw modelNotReady(this.name);
    const elements = inputElements(req.inputs);
    if (this.cost.fits(elements)) {
      const t0 = performance.now();
      const r = await this.inner.predict(req, ctx);
      this.cost.record(elements, Math.round((performance.now() - t0) * 1000), 'inline');
      return r;
    }
    const r = await this.runOnWorker(req, ctx);
    this.cost.record(elements, r.us, 'worker');
    return r.result;
  }

  override async unload(): Promise<void> {
    this.ready = false;
    this.closed = true;
    const w = this.worker ?? (await this.starting?.catch(() => undefined));
    this.worker = undefined;
    if (w) {
      w.ref();
      const exited = new Promise<void>((resolve) => w.once('exit', () => resolve()));
      w.postMessage({ t: 'close' } satisfies ToWorker);
      await exited;
    }
    await this.inner.unload();
  }

  private async runOnWorker(req: InferRequest, ctx: RequestContext): Promise<WorkerResult> {
    if (this.pending.size >= this.maxQueued) throw runtimeQueueFull(this.name, this.maxQueued);
    // Post at once when the worker is up, so runs started before an unload are queued before its close.
    const w = this.worker ?? (await this.ensureWorker());
    const id = ++this.nextId;
    return new Promise<WorkerResult>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      if (this.pending.size === 1) w.ref();
      w.postMessage({ t: 'run', id, req, headers: { ...ctx.headers } } satisfies ToWorker);
    });
  }

  private ensureWorker(): Promise<Worker> {
    if (this.worker) return Promise.resolve(this.worker);
    if (this.closed) return Promise.reject(modelNotReady(this.name, 'It is being unloaded.'));
    this.starting ??= this.spawn().finally(() => {
      this.starting = undefined;
    });
    return this.starting;
  }

  private spawn(): Promise<Worker> {
    const entry = workerEntry(import.meta.url, 'worker');
    const w = new Worker(entry.filename, { eval: entry.eval, workerData: this.spec, name: `model:${this.name}` });
    return new Promise((resolve, reject) => {
      let started = false;
      w.on('message', (m: FromWorker) => {
        if (m.t === 'ready') {
          started = true;
          this.worker = w;
          w.unref();
          resolve(w);
        } else if (m.t === 'load-error') reject(modelLoadFailed(this.name, `in the worker thread: ${m.message}`));
        else this.settle(m);
      });
      w.on('error', (err) => {
        if (!started) reject(modelLoadFailed(this.name, `the worker thread failed: ${err.message}`, err));
        else this.failAll(inferenceFailed(this.name, `its worker thread failed: ${err.message}`, err));
      });
      w.on('exit', (code) => {
        if (this.worker === w) this.worker = undefined;
        if (!started) reject(modelLoadFailed(this.name, `the worker thread exited (code ${code}) before the model loaded`));
        else this.failAll(this.closed ? modelNotReady(this.name, 'It was unloaded before this request finished.') : inferenceFailed(this.name, `its worker thread exited (code ${code}) before answering`));
      });
    });
  }

  private settle(m: Extract<FromWorker, { t: 'ok' | 'err' }>): void {
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    if (this.pending.size === 0) this.worker?.unref();
    if (m.t === 'ok') p.resolve({ result: m.result, us: m.us });
    else p.reject(m.code !== undefined && (Object.values(ErrorCode) as string[]).includes(m.code) ? new ServingError(m.code as ErrorCode, m.message) : inferenceFailed(this.name, m.message));
  }

  private failAll(err: Error): void {
    const all = [...this.pending.values()];
    this.pending.clear();
    for (const p of all) p.reject(err);
  }
}

/**
 * An OffloadedModel of `factory`, which `module` (a file: URL, see ../worker-entry.ts
 * `siblingModule`) exports as `exportName`; `options` must be structured-cloneable.
 */
export function offload<O extends OffloadSpec['options']>(factory: (o: O) => Model, module: URL, exportName: string, options: O, opts?: OffloadOptions): OffloadedModel {
  return new OffloadedModel(factory(options), { module: module.href, factory: exportName, options }, opts);
}
