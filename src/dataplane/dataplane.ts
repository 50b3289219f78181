/**
 * `DataPlane`: everything the model server does, with no transport in it. The HTTP and gRPC
 * adapters parse, call one method here, and encode. Request flow for infer:
 * admission (bounded in-flight count) → model lookup → preprocess → validate → predict →
 * postprocess → output selection, with per-stage latency histograms.
 */
import { randomUUID } from 'node:crypto';
import { invalidInput, modelNotFound, overloaded } from '../core/errors.ts';
import type { Logger } from '../core/logger.ts';
import type { InferRequest, InferResponse, ModelIndexEntry, ModelMetadata, ServerMetadata } from '../protocol/infer.ts';
import type { Tensor } from '../protocol/tensor.ts';
import { decodeV1Parameters, decodeV1Request } from '../protocol/v1.ts';
import type { Model, PredictResult, RequestContext, V1Body } from '../runtimes/model.ts';
import { isInferRequest } from '../runtimes/transformer/predictor.ts';
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
  /**
   * A transformer's predictor, when `--enable-predictor-health-check`: the server and its models
   * are ready only while the predictor answers ready too (KServe's DataPlane.ready/model_ready).
   */
  predictorHealth?: PredictorHealth;
}

/** The predictor readiness checks a transformer's DataPlane asks (every Predictor has them). */
export interface PredictorHealth {
  ready(signal?: AbortSignal): Promise<boolean>;
  modelReady(name: string, signal?: AbortSignal): Promise<boolean>;
}

export class DataPlane {
  readonly repository: ModelRepository;
  private readonly metrics?: ServerMetrics;
  private readonly log: Logger;
  private readonly maxInflight: number;
  private readonly predictorHealth?: PredictorHealth;
  private inflight = 0;
  private started = false;
  private draining = false;
  private idleWaiters: (() => void)[] = [];

  constructor(opts: DataPlaneOptions) {
    this.repository = opts.repository;
    this.metrics = opts.metrics;
    this.log = opts.log;
    this.maxInflight = opts.maxInflight;
    this.predictorHealth = opts.predictorHealth;
  }

  /** Marks startup loading as finished (readiness can turn true). */
  markStarted(): void {
    this.started = true;
  }

  /**
   * Turns readiness false (routers stop sending here) and resolves when in-flight requests are
   * done. Requests still arriving on open connections are served, not refused: a router that
   * picked this replica just before the stop must not see a 503 (Kubernetes keeps a terminating
   * pod serving through its grace period for the same reason). The transports stop accepting
   * connections and calls; the caller unloads models only after they have closed.
   */
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

  /**
   * With `--enable-predictor-health-check`, whether the transformer's predictor is ready; true
   * without one. Readiness probes ask it after `ready()` (KServe's DataPlane.ready).
   */
  predictorReady(): Promise<boolean> {
    return this.predictorHealth ? this.predictorHealth.ready() : Promise.resolve(true);
  }

  /** With `--enable-predictor-health-check`, whether the predictor's model `name` is ready; true without one. */
  predictorModelReady(name: string): Promise<boolean> {
    return this.predictorHealth ? this.predictorHealth.modelReady(name) : Promise.resolve(true);
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
      let r0: PredictResult | Promise<PredictResult>;
      if (!isInferRequest(pre) && kind === 'predict' && model.forwardsToPredictor) {
        // KServe's transformer: a V1 body from preprocess goes to the predictor as it is.
        r0 = model.forward(pre, ctx);
      } else {
        const ir = isInferRequest(pre) ? pre : fromV1Body(pre, req, model);
        validateRequest(ir, model.metadata());
        r0 = kind === 'predict' ? model.predict(ir, ctx) : model.explain(ir, ctx);
      }
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

/** A V1 body returned by preprocess, decoded into input tensors by the model's inputs (V1 codec). */
function fromV1Body(body: V1Body, req: InferRequest, model: Model): InferRequest {
  const inputs = decodeV1Request(body, model.metadata().inputs, model.decodeV1Instances?.bind(model));
  const ir: InferRequest = { modelName: req.modelName, inputs };
  if (req.id !== undefined) ir.id = req.id;
  if (req.outputs) ir.outputs = req.outputs;
  const parameters = decodeV1Parameters(body) ?? req.parameters;
  if (parameters) ir.parameters = parameters;
  return ir;
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
