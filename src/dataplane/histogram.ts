/**
 * A Prometheus histogram family with one label, cheap enough for every request's three stages.
 *
 * prom-client's `Histogram#observe` validates and hashes the labels on every call, even on a
 * child from `labels()`: ≈ 0.4 µs each, 1.2 µs of a 30 µs iris request. Here a series is a
 * plain object the caller keeps, and observe is a bucket scan and two additions. The family
 * implements the metric interface prom-client's `Registry` renders (`get`, `reset`), so
 * `/metrics` prints it exactly as a prom-client histogram (`_bucket{le=...}` cumulative, `+Inf`,
 * `_sum`, `_count`).
 */
import type { Registry } from 'prom-client';

/** One sample line as prom-client's Registry renders it (`sharedLabels` print after `labels`). */
interface Sample {
  labels: Record<string, string | number>;
  sharedLabels?: Record<string, string>;
  value: number;
  metricName: string;
}

export class HistogramSeries {
  /** Per-bucket counts (not cumulative); the last slot counts values above every bound. */
  readonly counts: Float64Array;
  sum = 0;
  count = 0;

  constructor(private readonly bounds: Float64Array) {
    this.counts = new Float64Array(bounds.length + 1);
  }

  observe(v: number): void {
    const b = this.bounds;
    let i = 0;
    while (i < b.length && v > b[i]!) i++;
    this.counts[i]!++;
    this.sum += v;
    this.count++;
  }
}

export class LabelledHistogram {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  private readonly bounds: Float64Array;
  private readonly series = new Map<string, HistogramSeries>();

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly labelName: string,
    buckets: readonly number[],
    registry: Registry,
  ) {
    const sorted = [...buckets].sort((a, b) => a - b);
    if (sorted.some((b, i) => !Number.isFinite(b) || (i > 0 && b === sorted[i - 1]))) throw new Error(`${name}: buckets must be distinct finite numbers`);
    this.bounds = Float64Array.from(sorted);
    registry.registerMetric(this as unknown as Parameters<Registry['registerMetric']>[0]);
  }

  /** The series for one label value (created on first use; keep it for the hot path). */
  child(labelValue: string): HistogramSeries {
    let s = this.series.get(labelValue);
    if (!s) {
      s = new HistogramSeries(this.bounds);
      this.series.set(labelValue, s);
    }
    return s;
  }

  get(): { name: string; help: string; type: 'histogram'; aggregator: 'sum'; values: Sample[] } {
    const values: Sample[] = [];
    for (const [label, s] of this.series) {
      const shared = { [this.labelName]: label };
      let acc = 0;
      for (let i = 0; i < this.bounds.length; i++) {
        acc += s.counts[i]!;
        values.push({ labels: { le: this.bounds[i]! }, sharedLabels: shared, value: acc, metricName: `${this.name}_bucket` });
      }
      values.push({ labels: { le: '+Inf' }, sharedLabels: shared, value: s.count, metricName: `${this.name}_bucket` });
      values.push({ labels: shared, value: s.sum, metricName: `${this.name}_sum` });
      values.push({ labels: shared, value: s.count, metricName: `${this.name}_count` });
    }
    return { name: this.name, help: this.help, type: 'histogram', aggregator: 'sum', values };
  }

  reset(): void {
    this.series.clear();
  }
}
