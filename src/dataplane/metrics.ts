/**
 * Prometheus metrics with KServe's names: `request_{preprocess,predict,postprocess,explain}_seconds`
 * histograms labelled by `model_name`, plus request counters. A private registry per server (no
 * global state), exposed at `/metrics`.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export type Stage = 'preprocess' | 'predict' | 'postprocess' | 'explain';

/** KServe's default latency buckets are prom-client's defaults; we add finer low ones. */
const BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export class ServerMetrics {
  readonly registry = new Registry();
  private readonly stages: Record<Stage, Histogram<'model_name'>>;
  private readonly requests: Counter<'model_name' | 'protocol' | 'code'>;
  readonly inflight: Gauge;

  constructor(opts: { defaultMetrics?: boolean } = {}) {
    const mk = (stage: Stage): Histogram<'model_name'> =>
      new Histogram({
        name: `request_${stage}_seconds`,
        help: `${stage} latency`,
        labelNames: ['model_name'],
        buckets: BUCKETS,
        registers: [this.registry],
      });
    this.stages = { preprocess: mk('preprocess'), predict: mk('predict'), postprocess: mk('postprocess'), explain: mk('explain') };
    this.requests = new Counter({
      name: 'kserve_ts_requests_total',
      help: 'inference requests by model, protocol and result code',
      labelNames: ['model_name', 'protocol', 'code'],
      registers: [this.registry],
    });
    this.inflight = new Gauge({ name: 'kserve_ts_inflight_requests', help: 'inference requests in flight', registers: [this.registry] });
    if (opts.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry });
  }

  /** Per-model label children, so the hot path does no label hashing. */
  private readonly children = new Map<string, Record<Stage, { observe(v: number): void }>>();

  observeStage(model: string, stage: Stage, seconds: number): void {
    let c = this.children.get(model);
    if (!c) {
      const s = this.stages;
      c = { preprocess: s.preprocess.labels(model), predict: s.predict.labels(model), postprocess: s.postprocess.labels(model), explain: s.explain.labels(model) };
      this.children.set(model, c);
    }
    c[stage].observe(seconds);
  }

  countRequest(model: string, protocol: string, code: string): void {
    this.requests.inc({ model_name: model, protocol, code });
  }

  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
