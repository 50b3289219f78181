/**
 * `DataPlane`: everything the model server does, with no transport in it. The HTTP and gRPC
 * adapters parse, call one method here, and encode. Request flow for infer:
 * admission (bounded in-flight count) → model lookup → preprocess → validate → predict →
 * postprocess → output selection, with per-stage latency histograms.
 */
import { randomUUID } from 'node:crypto';
import { invalidInput, modelNotFound, overloaded, serverNotReady } from '../core/errors.ts';
import type { Logger } from '../core/logger.ts';
import type { InferRequest, InferResponse, ModelIndexEntry, ModelMetadata, ServerMetadata } from '../protocol/infer.ts';
import type { Tensor } from '../protocol/tensor.ts';
import type { Model, RequestContext } from '../runtimes/model.ts';
import type { ServerMetrics } from './metrics.ts';
import type { ModelRepository } from './repository.ts';
import { validateRequest } from './validate.ts';

export const SERVER_NAME = 'kserve-ts';
export const SERVER_VERSION = '0.1.0';
export const EXTENSIONS = ['model_repository_extension', 'binary_tensor_data'];

export interface DataPlaneOptions {
  repository: ModelRepository;
  metrics?: ServerMetrics;
  log: Logger;
  /** Most inference requests in flight at once; more get OVERLOADED (503). */
  maxInflight: number;
}

export class DataPlane {
  readonly repository: ModelRepository;
  private readonly metrics?: ServerMetrics;
  private readonly log: Logger;
  private readonly maxInflight: number;
  private inflight = 0;
  private started = false;
  private draining = false;
  private idleWaiters: (() => void)[] = [];

  constructor(opts: DataPlaneOptions) {
    this.repository = opts.repository;
    this.metrics = opts.metrics;
    this.log = opts.log;
    this.maxInflight = opts.maxInflight;
  }

  /** Marks startup loading as finished (readiness can turn true). */
  markStarted(): void {
    this.started = true;
  }

  /** Stops admitting inference; resolves when in-flight requests are done. */
  drain(): Promise<void> {
    this.draining = true;
    if (this.inflight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  get inflightCount(): number {
    return this.inflight;
  }

  live(): boolean {
    return true;
  }

  /** Ready when startup loading finished, not draining, and some model is ready (or none is configured). */
  ready(): boolean {
    if (!this.started || this.draining) return false;
    const idx = this.repository.index();
    return idx.length === 0 || idx.some((e) => e.state === 'READY');
  }

  serverMetadata(): ServerMetadata {
    return { name: SERVER_NAME, version: SERVER_VERSION, extensions: [...EXTENSIONS] };
  }

  modelReady(name: string, version?: string): boolean {
    const ready = this.repository.isReady(name);
    this.checkVersion(name, version);
    return ready;
  }

  modelMetadata(name: string, version?: string): ModelMetadata {
    const model = this.repository.get(name);
    this.checkVersion(name, version);
    const meta = model.metadata();
    const v = this.repository.versionOf(name);
    return v !== undefined && !meta.versions ? { ...meta, versions: [v] } : meta;
  }

  modelNames(): string[] {
    return this.repository.index().map((e) => e.name);
  }

  repositoryIndex(readyOnly = false): ModelIndexEntry[] {
    return this.repository.index(readyOnly);
  }

  async load(name: string): Promise<void> {
    await this.repository.load(name);
  }

  async unload(name: string): Promise<void> {
    await this.repository.unload(name);
  }

  /** Looks up a ready model (for adapters that need its metadata to decode, e.g. V1). */
  model(name: string, version?: string): Model {
    const m = this.repository.get(name);
    this.checkVersion(name, version);
    return m;
  }

  /** Runs one inference request through the model's pipeline. */
  infer(req: InferRequest, ctx: RequestContext): Promise<InferResponse> {
    return this.run(req, ctx, 'predict');
  }

  /** Runs an explanation (501 unless the model implements explain). */
  explain(req: InferRequest, ctx: RequestContext): Promise<InferResponse> {
    return this.run(req, ctx, 'explain');
  }

  private async run(req: InferRequest, ctx: RequestContext, kind: 'predict' | 'explain'): Promise<InferResponse> {
    if (this.draining) throw serverNotReady('shutting down');
    if (this.inflight >= this.maxInflight) throw overloaded(this.maxInflight);
    const model = this.model(req.modelName, req.modelVersion);
    this.inflight++;
    try {
      const series = this.metrics?.seriesFor(model.name);
      // Stages that return a value (not a promise) are not awaited: each await is a microtask turn.
      let t = performance.now();
      const pre0 = model.preprocess(req, ctx);
      const pre = isPromise(pre0) ? await pre0 : pre0;
      let now = performance.now();
      series?.preprocess.observe((now - t) / 1000);
      t = now;
      validateRequest(pre, model.metadata());
      const r0 = kind === 'predict' ? model.predict(pre, ctx) : model.explain(pre, ctx);
      let result = isPromise(r0) ? await r0 : r0;
      now = performance.now();
      series?.[kind].observe((now - t) / 1000);
      t = now;
      const post0 = model.postprocess(result, ctx);
      result = isPromise(post0) ? await post0 : post0;
      series?.postprocess.observe((performance.now() - t) / 1000);
      const res: InferResponse = {
        modelName: model.name,
        id: req.id !== undefined && req.id !== '' ? req.id : randomUUID(),
        outputs: selectOutputs(result.outputs, req),
      };
      const version = req.modelVersion ?? this.repository.versionOf(model.name);
      if (version !== undefined) res.modelVersion = version;
      if (result.parameters) res.parameters = result.parameters;
      return res;
    } finally {
      this.inflight--;
      if (this.inflight === 0 && this.idleWaiters.length > 0) {
        const waiters = this.idleWaiters;
        this.idleWaiters = [];
        for (const w of waiters) w();
      }
    }
  }

  private checkVersion(name: string, version: string | undefined): void {
    if (version === undefined || version === '') return;
    const v = this.repository.versionOf(name);
    if (v !== version) throw modelNotFound(`${name} (version ${version}; available: ${v ?? 'none, the model is unversioned'})`);
  }

  get logger(): Logger {
    return this.log;
  }
}

function isPromise<T>(v: T | Promise<T>): v is Promise<T> {
  return typeof (v as { then?: unknown } | null)?.then === 'function';
}

/** Keeps the requested outputs in the requested order (all outputs when none were requested). */
export function selectOutputs(outputs: Tensor[], req: InferRequest): Tensor[] {
  if (!req.outputs || req.outputs.length === 0) return outputs;
  const byName = new Map(outputs.map((o) => [o.name, o]));
  return req.outputs.map((r, i) => {
    const t = byName.get(r.name);
    if (!t) throw invalidInput(`outputs[${i}].name`, r.name, `one of the outputs the model produced: ${[...byName.keys()].join(', ')}`);
    return t;
  });
}
