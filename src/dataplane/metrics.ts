/**
 * Prometheus metrics with KServe's names: `request_{preprocess,predict,postprocess,explain}_seconds`
 * histograms labelled by `model_name`, and the requests in flight. A private registry per server
 * (no global state), exposed at `/metrics`.
 */
import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { type HistogramSeries, LabelledHistogram } from './histogram.ts';

export type Stage = 'preprocess' | 'predict' | 'postprocess' | 'explain';

/** KServe's default latency buckets are prom-client's defaults; we add finer low ones. */
const BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

const STAGES: readonly Stage[] = ['preprocess', 'predict', 'postprocess', 'explain'];

/**
 * How often the event-loop delay monitor behind `nodejs_eventloop_lag_p50_seconds` & co. samples,
 * ms. prom-client's default, 10, wakes an idle process 100 times a second: with 100 replicas under
 * `kserve-ts up` that is 10,000 wake-ups/s of a machine doing nothing (idle iris replica: 110 →
 * 20 context switches/s, ~1.5 ms/s less CPU). A block of the loop longer than 100 ms is still
 * always sampled; the per-request stage histograms are unaffected.
 */
const EVENT_LOOP_SAMPLE_MS = 100;

export class ServerMetrics {
  readonly registry = new Registry();
  private readonly stages: Record<Stage, LabelledHistogram>;
  /** Per-model series, so the hot path does no label lookups. */
  private readonly children = new Map<string, Record<Stage, HistogramSeries>>();

  /** `inflight`: read when scraped (the data plane's count; nothing to update per request). */
  constructor(opts: { defaultMetrics?: boolean; inflight?: () => number } = {}) {
    const mk = (stage: Stage): LabelledHistogram => new LabelledHistogram(`request_${stage}_seconds`, `${stage} latency`, 'model_name', BUCKETS, this.registry);
    this.stages = { preprocess: mk('preprocess'), predict: mk('predict'), postprocess: mk('postprocess'), explain: mk('explain') };
    const inflight = opts.inflight;
    new Gauge({
      name: 'kserve_ts_inflight_requests',
      help: 'inference requests in flight',
      registers: [this.registry],
      collect() {
        this.set(inflight ? inflight() : 0);
      },
    });
    if (opts.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: EVENT_LOOP_SAMPLE_MS });
  }

  /** The model's series for each stage (keep it: observing through it is a few additions). */
  seriesFor(model: string): Readonly<Record<Stage, HistogramSeries>> {
    let c = this.children.get(model);
    if (!c) {
      c = Object.fromEntries(STAGES.map((s) => [s, this.stages[s].child(model)])) as Record<Stage, HistogramSeries>;
      this.children.set(model, c);
    }
    return c;
  }

  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
